/**
 * Issue 14, CSV formula injection (OWASP): a cell starting with =, +, -, @, tab or CR is written with
 * a leading single quote so a spreadsheet shows it as text; importing the export gives back exactly
 * what was stored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { csvLine, fromSpreadsheetSafe, parseCsv, spreadsheetSafe } from '../../src/diary/csv.js';
import { runScs } from '../reliability/run-scs.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-csv-injection-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('spreadsheet-safe cells', () => {
  it.each(['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx'])('escapes %j with a leading quote', (v) => {
    expect(spreadsheetSafe(v)).toBe(`'${v}`);
    expect(fromSpreadsheetSafe(spreadsheetSafe(v))).toBe(v);
  });

  it('leaves other cells alone, and keeps quotes that were already there through the round trip', () => {
    for (const v of ['walked', "'quoted", '1=1', ' =x', '']) expect(spreadsheetSafe(v)).toBe(v);
    expect(spreadsheetSafe("'=x")).toBe("''=x");
    expect(fromSpreadsheetSafe("''=x")).toBe("'=x");
  });

  it('writes =HYPERLINK(...) so no cell of the line starts with a formula character', () => {
    const line = csvLine(['2024-03-02T08:00Z', '=HYPERLINK("http://x")', '-1']);
    expect(line).toBe(`2024-03-02T08:00Z,"'=HYPERLINK(""http://x"")",'-1`);
    for (const cell of parseCsv(line.replace(/'/g, 'Q'))[0]!.fields) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('round-trips any text exactly through the writer and the reader', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('=', '+', '-', '@', "'", '\t', '\r', '\n', '"', ',', 'a', ' ') }), {
          minLength: 1,
          maxLength: 4,
        }),
        (cells) => {
          const fields = parseCsv(`${csvLine(['h', ...cells])}\n`)[0]!.fields;
          expect(fields).toEqual(['h', ...cells]);
        },
      ),
    );
  });
});

describe('scs diary export / import', () => {
  it('exports formula-like notes escaped and imports the export back to the original notes', async () => {
    const data = path.join(dir, 'data');
    const notes = ['=HYPERLINK("http://evil.example","click")', '+1 walked', '-2 today', '@SUM(1)', "'=already quoted"];
    for (const [i, note] of notes.entries()) {
      const r = await runScs([
        'diary',
        'add',
        '--patient',
        'P-1',
        '--phase',
        'trial',
        '--nrs',
        '4',
        '--at',
        `2024-03-0${i + 1}T08:00Z`,
        `--note=${note}`,
        '--data-dir',
        data,
      ]);
      expect(r.code).toBe(0);
    }
    const out = path.join(dir, 'export.csv');
    expect((await runScs(['diary', 'export', '--patient', 'P-1', '--out', out, '--data-dir', data])).code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    const noteCells = text
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.slice(l.indexOf(',,,') + 3));
    expect(noteCells).toEqual([
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
      "'+1 walked",
      "'-2 today",
      "'@SUM(1)",
      "''=already quoted",
    ]);
    expect((await runScs(['diary', 'import', '--patient', 'P-2', out, '--data-dir', data])).code).toBe(0);
    const back = JSON.parse(
      (await runScs(['diary', 'show', '--patient', 'P-2', '--json', '--data-dir', data])).out,
    ) as { entries: { note: string }[] };
    expect(back.entries.map((e) => e.note)).toEqual(notes);
  });
});
