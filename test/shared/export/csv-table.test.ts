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
  assert.deepEqual(rows, [{ id: '1', label: '0' }, { id: '2', label: '1' }]);
});

test('malformed CSV is a CsvError', () => {
  assert.throws(() => parseCsv('a,b\n1\n'), CsvError);
  assert.throws(() => parseCsv('a,b\n"1,2\n'), /unterminated/);
  assert.throws(() => parseCsv(''), /no header/);
});
