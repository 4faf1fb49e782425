import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine, parseCsv } from '../../src/diary/csv.js';
import { DiaryCsvError, decodeUtf8, readDiaryCsv, writeDiaryCsv } from '../../src/diary/diary-csv.js';

const HEADER = 'timestamp,phase,nrs,pdi,activity,note';

function problemsOf(text: string) {
  try {
    readDiaryCsv(text);
  } catch (err) {
    if (err instanceof DiaryCsvError) return err.problems;
    throw err;
  }
  throw new Error('expected a DiaryCsvError');
}

describe('parseCsv (RFC 4180)', () => {
  it('reads quotes, doubled quotes, commas and newlines inside quotes, CRLF, and line numbers', () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\r\n"multi\nline",z\n\nlast,1';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', 'z'] },
      { line: 6, fields: ['last', '1'] },
    ]);
    expect(parseCsv('\ufeffa,b\n')).toEqual([{ line: 1, fields: ['a', 'b'] }]);
    expect(parseCsv('a,,\n')).toEqual([{ line: 1, fields: ['a', '', ''] }]);
  });

  it('reports an unclosed quote, stray quote and text after a closing quote with the line', () => {
    expect(() => parseCsv('a\n"open,b\n')).toThrow(
      expect.objectContaining({ line: 2, message: expect.stringMatching(/not closed/) }),
    );
    expect(() => parseCsv('a\nab"c\n')).toThrow(
      expect.objectContaining({ line: 2, message: expect.stringMatching(/quote inside/) }),
    );
    expect(() => parseCsv('a\n"ab"c\n')).toThrow(
      expect.objectContaining({ line: 2, message: expect.stringMatching(/after a closing quote/) }),
    );
  });

  it('round-trips any fields through csvLine', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const text = rows.map(csvLine).join('\n');
          expect(parseCsv(text).map((r) => r.fields)).toEqual(rows);
        },
      ),
    );
  });
});

describe('readDiaryCsv', () => {
  it('accepts the columns in any order, the optional recorded column, and PDI domains', () => {
    const rows = readDiaryCsv(
      'note,nrs,phase,timestamp,recorded,pdi\n"ok, fine",4,trial,2024-03-31T08:00+02:00,2024-03-31T09:00+02:00,1;1;1;1;1;1;1\n',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.line).toBe(2);
    expect(rows[0]!.entry).toMatchObject({ nrs: 4, pdi: 7, note: 'ok, fine', phase: 'trial' });
    expect(rows[0]!.entry.recordedAt?.text).toBe('2024-03-31T09:00+02:00');
  });

  it('rejects an unknown column by name, duplicate and missing columns', () => {
    expect(problemsOf('timestamp,phase,nrs,mood\n')).toEqual([
      expect.objectContaining({ line: 1, column: 'mood', message: expect.stringMatching(/unknown column 'mood'/) }),
    ]);
    expect(problemsOf('timestamp,phase,nrs,nrs\n')[0]!.message).toMatch(/appears twice/);
    expect(problemsOf('timestamp,nrs\n2024-03-31T08:00Z,3\n')[0]).toMatchObject({ line: 1, column: 'phase' });
    expect(problemsOf('timestamp,phase,note\n')[0]!.message).toMatch(/at least one of the columns nrs, pdi, activity/);
    expect(problemsOf('')[0]!.message).toMatch(/empty/);
    expect(problemsOf(HEADER + '\n')[0]!.message).toMatch(/no entries/);
  });

  it('reports every bad row with line, column and reason (the header is line 1)', () => {
    const text = [
      HEADER,
      '2024-03-31T08:00+02:00,trial,4,,,',
      '2024-03-31T09:00,trial,4,,,',
      '2024-03-31T10:00+02:00,trial,11,,,',
      '2024-03-31T11:00+02:00,trial,,,,just a note',
      '2024-03-31T12:00+02:00,trial,4,,',
      '2024-03-31T08:00+02:00,trial,5,,,',
      '"2024-03-31T13:00+02:00",trial,3,,maybe,',
    ].join('\n');
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.line, p.column])).toEqual([
      [3, 'timestamp'],
      [4, 'nrs'],
      [5, 'nrs'],
      [6, null],
      [7, 'timestamp'],
      [8, 'activity'],
    ]);
    expect(problems[0]!.message).toMatch(/no UTC offset/);
    expect(problems[3]!.message).toMatch(/5 fields but the header has 6/);
    expect(problems[4]!.message).toMatch(/same instant as line 2/);
  });

  it('finds a second NRS at the same instant written with another offset', () => {
    const p = problemsOf(`${HEADER}\n2024-03-31T08:00+02:00,trial,4,,,\n2024-03-31T06:00Z,trial,4,,,\n`);
    expect(p).toEqual([expect.objectContaining({ line: 3, column: 'timestamp' })]);
  });

  it('names the first line with invalid UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from(`${HEADER}\n2024-03-31T08:00Z,trial,4,,,caf`),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    expect(() => decodeUtf8(bytes)).toThrow(/line 2.*not valid UTF-8/);
    expect(decodeUtf8(Buffer.from('é'))).toBe('é');
  });

  it('writes CSV that reads back to the same entries', () => {
    const text = `${HEADER}\n2024-03-30T08:00+01:00,baseline,7,40,,"said ""ouch"", twice"\n2024-03-31T08:00+02:00,trial,3,1;2;3;4;5;6;7,improved,\n`;
    const entries = readDiaryCsv(text).map((r) => r.entry);
    expect(writeDiaryCsv(entries)).toBe(text);
    const withRecorded = writeDiaryCsv(entries, true);
    expect(withRecorded.split('\n')[0]).toBe(`${HEADER},recorded`);
    expect(readDiaryCsv(withRecorded).map((r) => r.entry)).toEqual(entries);
  });
});
