import { CsvSyntaxError, csvLine, parseCsv } from './csv.js';
import { type DiaryEntry, type EntryText, parseEntry } from './entry.js';

/**
 * The diary's CSV form (pure): header `timestamp,phase,nrs,pdi,activity,note` in any order, plus the
 * optional `recorded` column (when the entry was written down). Unknown columns are rejected by name.
 * Every problem names the line (the header is line 1), the column and the reason; a file with any
 * problem yields no entries at all.
 */
export const CSV_COLUMNS = ['timestamp', 'phase', 'nrs', 'pdi', 'activity', 'note'] as const;
export const OPTIONAL_CSV_COLUMNS = ['recorded'] as const;
const KNOWN = [...CSV_COLUMNS, ...OPTIONAL_CSV_COLUMNS] as readonly string[];
const MAX_PROBLEMS_LISTED = 50;

export interface CsvProblem {
  line: number;
  column: string | null;
  message: string;
}

export class DiaryCsvError extends Error {
  constructor(readonly problems: CsvProblem[]) {
    super(formatProblems(problems));
    this.name = 'DiaryCsvError';
  }
}

export function formatProblems(problems: readonly CsvProblem[], source = ''): string {
  const prefix = source ? `${source}:` : '';
  const lines = problems
    .slice(0, MAX_PROBLEMS_LISTED)
    .map((p) => `${prefix}line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${p.message}`);
  if (problems.length > MAX_PROBLEMS_LISTED)
    lines.push(`... and ${problems.length - MAX_PROBLEMS_LISTED} more problems`);
  return lines.join('\n');
}

export interface DiaryRow {
  line: number;
  entry: DiaryEntry;
}

/** Decodes bytes as UTF-8 or throws a DiaryCsvError naming the first line with invalid bytes. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i));
        } catch {
          break;
        }
        line++;
        start = i + 1;
      }
    }
    throw new DiaryCsvError([{ line, column: null, message: 'is not valid UTF-8 text; save the file as UTF-8' }]);
  }
}

/** Reads a diary CSV; throws DiaryCsvError listing every problem when any row is bad. */
export function readDiaryCsv(text: string): DiaryRow[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError)
      throw new DiaryCsvError([{ line: err.line, column: null, message: `${err.message} (character ${err.column})` }]);
    throw err;
  }
  const header = records[0];
  if (!header)
    throw new DiaryCsvError([
      {
        line: 1,
        column: null,
        message: `the file is empty; the first line must be the header ${CSV_COLUMNS.join(',')}`,
      },
    ]);
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const headerProblems: CsvProblem[] = [];
  names.forEach((name, i) => {
    if (name === '')
      headerProblems.push({ line: 1, column: `#${i + 1}`, message: 'the header has an empty column name' });
    else if (!KNOWN.includes(name)) {
      headerProblems.push({
        line: 1,
        column: header.fields[i]!,
        message: `unknown column '${header.fields[i]}'; the columns are ${[...KNOWN].join(', ')}`,
      });
    } else if (names.indexOf(name) !== i)
      headerProblems.push({ line: 1, column: name, message: `column '${name}' appears twice` });
  });
  for (const required of ['timestamp', 'phase']) {
    if (!names.includes(required))
      headerProblems.push({ line: 1, column: required, message: `the header has no '${required}' column` });
  }
  if (!['nrs', 'pdi', 'activity'].some((c) => names.includes(c))) {
    headerProblems.push({
      line: 1,
      column: null,
      message: 'the header needs at least one of the columns nrs, pdi, activity',
    });
  }
  if (headerProblems.length) throw new DiaryCsvError(headerProblems);

  const problems: CsvProblem[] = [];
  const rows: DiaryRow[] = [];
  const nrsAt = new Map<number, number>(); // epoch ms → line of the first NRS there
  if (records.length === 1) problems.push({ line: 2, column: null, message: 'the file has a header but no entries' });
  for (const record of records.slice(1)) {
    if (record.fields.length !== names.length) {
      problems.push({
        line: record.line,
        column: null,
        message: `has ${record.fields.length} fields but the header has ${names.length}`,
      });
      continue;
    }
    const text: EntryText = {};
    names.forEach((name, i) => (text[name as keyof EntryText] = record.fields[i]));
    const result = parseEntry(text);
    if (!result.ok) {
      for (const p of result.problems) problems.push({ line: record.line, column: p.field, message: p.message });
      continue;
    }
    const { entry } = result;
    if (entry.nrs !== null) {
      const first = nrsAt.get(entry.at.ms);
      if (first !== undefined) {
        problems.push({
          line: record.line,
          column: 'timestamp',
          message: `a second NRS at the same instant as line ${first} (${entry.at.text}); keep one`,
        });
        continue;
      }
      nrsAt.set(entry.at.ms, record.line);
    }
    rows.push({ line: record.line, entry });
  }
  if (problems.length) throw new DiaryCsvError(problems);
  return rows;
}

/** Writes entries as CSV (LF line ends) in time order; `withRecorded` adds the `recorded` column. */
export function writeDiaryCsv(entries: readonly DiaryEntry[], withRecorded = false): string {
  const header = withRecorded ? [...CSV_COLUMNS, 'recorded'] : [...CSV_COLUMNS];
  const lines = [header.join(',')];
  for (const e of [...entries].sort((a, b) => a.at.ms - b.at.ms)) {
    const values = [
      e.at.text,
      e.phase,
      e.nrs === null ? '' : String(e.nrs),
      e.pdiDomains ? e.pdiDomains.join(';') : e.pdi === null ? '' : String(e.pdi),
      e.activity ?? '',
      e.note ?? '',
    ];
    if (withRecorded) values.push(e.recordedAt?.text ?? '');
    lines.push(csvLine(values));
  }
  return lines.join('\n') + '\n';
}
