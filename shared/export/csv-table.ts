/**
 * RFC 4180 CSV: `toCsv` writes a header row plus one line per record (fields with `,`, `"`, CR
 * or LF are quoted, quotes doubled; `null`/`undefined` → empty cell; lines end with `\n`), and
 * `parseCsv` reads such text back (quoted fields, CRLF or LF, optional UTF-8 BOM) into rows of
 * strings keyed by the header. Numbers are written with `String(n)` (full precision, `.` decimal).
 *
 * CSV injection (OWASP): a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
 * return is written with a leading `'`, so a spreadsheet shows it as text instead of running it as
 * a formula (a PatientName `=HYPERLINK(…)` used to become a live link). Numbers, and text that is
 * a plain decimal number such as `-3.5`, stay numeric.
 */
export type CsvCell = string | number | boolean | null | undefined;

/** Thrown for CSV text that cannot be parsed (unterminated quote, ragged row, empty header). */
export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

/** A plain decimal number written as text (never a formula). */
const NUMERIC_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A text cell made safe for spreadsheets: prefixed with `'` when it begins with a character that
 * starts a formula (`= + - @`, tab, CR) and is not a plain number. Exported for other CSV writers.
 */
export function neutraliseCsvText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) && !NUMERIC_TEXT.test(s) ? `'${s}` : s;
}

/** Writes `rows` under the given `columns` (in that order). */
export function toCsv(columns: readonly string[], rows: readonly Readonly<Record<string, CsvCell>>[]): string {
  const cell = (v: CsvCell): string => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : neutraliseCsvText(String(v));
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [columns.map(cell).join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))];
  return `${lines.join('\n')}\n`;
}

/** Parses CSV text with a header row; every row must have as many fields as the header. */
export function parseCsv(text: string): { columns: string[]; rows: Record<string, string>[] } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  let fieldStarted = false;
  const endField = () => {
    record.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') endField();
    else if (ch === '\n') endRecord();
    else if (ch === '\r') {
      if (text[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new CsvError('unterminated quoted field at the end of the CSV text');
  if (field !== '' || record.length > 0) endRecord();
  const header = records.shift();
  if (!header || header.every((h) => h.trim() === '')) throw new CsvError('the CSV text has no header row');
  const columns = header.map((h) => h.trim());
  const rows = records.map((r, n) => {
    if (r.length !== columns.length) {
      throw new CsvError(`CSV row ${n + 2} has ${r.length} fields, the header has ${columns.length}`);
    }
    const o: Record<string, string> = {};
    columns.forEach((c, k) => (o[c] = r[k]!));
    return o;
  });
  return { columns, rows };
}
