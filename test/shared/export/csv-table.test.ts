import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CsvError, parseCsv, toCsv } from '../../../shared/export/csv-table.ts';

test('CSV round trip keeps commas, quotes, newlines and empty cells', () => {
  const rows = [
    { a: 'plain', b: 1.5, c: 'with, comma' },
    { a: 'say "hi"', b: null, c: 'two\nlines' },
  ];
  const text = toCsv(['a', 'b', 'c'], rows);
  assert.equal(text, 'a,b,c\nplain,1.5,"with, comma"\n"say ""hi""",,"two\nlines"\n');
  assert.deepEqual(parseCsv(text).rows, [
    { a: 'plain', b: '1.5', c: 'with, comma' },
    { a: 'say "hi"', b: '', c: 'two\nlines' },
  ]);
});

test('parseCsv accepts a BOM and CRLF line ends', () => {
  const { columns, rows } = parseCsv('\ufeffid, label\r\n1,0\r\n2,1\r\n');
  assert.deepEqual(columns, ['id', 'label']);
  assert.deepEqual(rows, [
    { id: '1', label: '0' },
    { id: '2', label: '1' },
  ]);
});

test('malformed CSV is a CsvError', () => {
  assert.throws(() => parseCsv('a,b\n1\n'), CsvError);
  assert.throws(() => parseCsv('a,b\n"1,2\n'), /unterminated/);
  assert.throws(() => parseCsv(''), /no header/);
});

test('CSV injection: text cells starting a formula are neutralised; numbers stay numeric (OWASP)', () => {
  const csv = toCsv(
    ['name', 'value', 'note'],
    [
      { name: '=HYPERLINK("http://evil.example","x")', value: -3.5, note: '-12.5' },
      { name: '+1+1', value: 0, note: '@SUM(A1)' },
      { name: '-2+3', value: 1e-7, note: '\tlead' },
      { name: '\rcr', value: -0, note: 'plain' },
    ],
  );
  const rows = parseCsv(csv).rows;
  assert.deepEqual(
    rows.map((r) => r['name']),
    [`'=HYPERLINK("http://evil.example","x")`, `'+1+1`, `'-2+3`, `'\rcr`],
  );
  assert.deepEqual(
    rows.map((r) => r['value']),
    ['-3.5', '0', '1e-7', '0'],
  );
  assert.deepEqual(
    rows.map((r) => r['note']),
    ['-12.5', `'@SUM(A1)`, `'\tlead`, 'plain'],
  );
  for (const line of csv.split('\n').slice(1, -1)) assert.ok(!/^[=+\-@]/.test(line), `no line starts a formula: ${line}`);
});
