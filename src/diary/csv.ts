/**
 * A small RFC 4180 reader and writer (pure): comma separator, fields optionally in double quotes with
 * "" for a quote, CRLF or LF line ends, newlines allowed inside quoted fields. Each record remembers
 * the physical line it starts on (line 1 is the first line of the file) for error messages.
 *
 * Formula injection (OWASP "CSV Injection"): a cell starting with =, +, -, @, tab or CR is run as a
 * formula by a spreadsheet that opens the file, so the writer prefixes such a cell with a single
 * quote, which spreadsheets show as text. The reader removes that one quote again, so an export
 * imports back exactly. A cell that already starts with quotes before such a character gets one more
 * quote on export, so that round trip is exact too.
 */

/** A cell a spreadsheet would run as a formula: starts with = + - @ tab or CR (OWASP), possibly after our quotes. */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/** The cell as written to a CSV file: a leading ' added when a spreadsheet would take it as a formula. */
export function spreadsheetSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes spreadsheetSafe: the cell as it was before export. */
export function fromSpreadsheetSafe(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value) ? value.slice(1) : value;
}

export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

/** Parses the whole text. Blank lines (outside quotes) are skipped. A leading UTF-8 BOM is ignored. */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let col = 1;
  let i = 0;
  let fields: string[] = [];
  let field = '';
  let recordLine = 1;
  let fieldStarted = false; // something (even "") was read for the current record

  const endRecord = () => {
    fields.push(field);
    fields = fields.map(fromSpreadsheetSafe);
    const isBlank = fields.length === 1 && fields[0] === '' && !fieldStarted;
    if (!isBlank) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };

  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '"') {
      if (field !== '')
        throw new CsvSyntaxError(
          line,
          col,
          'a quote inside an unquoted field; quote the whole field and double the quote ("")',
        );
      fieldStarted = true;
      const startLine = line;
      i++;
      col++;
      for (;;) {
        if (i >= s.length)
          throw new CsvSyntaxError(startLine, col, 'a quoted field is not closed before the end of the file');
        const c = s[i]!;
        if (c === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
            col += 2;
            continue;
          }
          i++;
          col++;
          break;
        }
        if (c === '\n') {
          line++;
          col = 1;
        } else col++;
        field += c;
        i++;
      }
      const next = s[i];
      if (next !== undefined && next !== ',' && next !== '\n' && !(next === '\r' && s[i + 1] === '\n')) {
        throw new CsvSyntaxError(
          line,
          col,
          'text after a closing quote; a quoted field must end at a comma or the end of the line',
        );
      }
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
      i++;
      col++;
      continue;
    }
    if (ch === '\r' && s[i + 1] === '\n') {
      i++;
      continue;
    }
    if (ch === '\n') {
      endRecord();
      i++;
      line++;
      col = 1;
      recordLine = line;
      continue;
    }
    field += ch;
    i++;
    col++;
  }
  if (field !== '' || fieldStarted || fields.length > 0) endRecord();
  return records;
}

/** Escapes a would-be formula (see above), then quotes a field holding a comma, quote, CR or LF (or leading/trailing space). */
export function csvField(raw: string): string {
  const value = spreadsheetSafe(raw);
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: readonly string[]): string {
  return values.map(csvField).join(',');
}
