import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  COHORT_COLUMNS,
  formatCohortCsv,
  parseCohortCsv,
  type CohortCsvProblem,
} from '../../src/outcomes/cohort-csv.js';
import { DERMATOMES, parseDermatomeRange } from '../../src/outcomes/dermatome-range.js';

const TABLE1 = fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'cohort', 'table1.csv'), 'utf8');
const HEADER = COHORT_COLUMNS.join(',');

function problems(text: string): CohortCsvProblem[] {
  const r = parseCohortCsv(text);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

describe('dermatome ranges', () => {
  it.each([
    ['T9', 'T9', 1],
    ['T7–9', 'T7–T9', 3],
    ['T7-9', 'T7–T9', 3],
    ['T8–T12', 'T8–T12', 5],
    ['t8 - t12', 'T8–T12', 5],
    ['C8–T2', 'C8–T2', 3],
    ['L5–S1', 'L5–S1', 2],
  ])('%s → %s (%i levels)', (input, text, count) => {
    const r = parseDermatomeRange(input);
    expect(r.ok && r.range).toMatchObject({ text, count });
  });

  it.each([['T13'], ['T9–7'], ['X3'], ['T'], ['T4–6–8'], ['C9']])('refuses %s with a reason', (input) => {
    const r = parseDermatomeRange(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/dermatome|upwards/);
  });

  it('property: the count equals the levels between the ends, both spellings agree', () => {
    fc.assert(
      fc.property(fc.nat({ max: DERMATOMES.length - 1 }), fc.nat({ max: DERMATOMES.length - 1 }), (a, b) => {
        const [i, j] = a <= b ? [a, b] : [b, a];
        const first = DERMATOMES[i]!;
        const last = DERMATOMES[j]!;
        const long = parseDermatomeRange(`${first}-${last}`);
        expect(long.ok && long.range.count).toBe(j - i + 1);
        if (first[0] === last[0] && i !== j) {
          const short = parseDermatomeRange(`${first}–${last.slice(1)}`);
          expect(short.ok && short.range.text).toBe(long.ok && long.range.text);
        }
      }),
    );
  });
});

describe('cohort CSV', () => {
  it('reads the Table 1 fixture: 10 patients, Y/N/empty kept apart', () => {
    const r = parseCohortCsv(TABLE1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.patients).toHaveLength(10);
    expect(r.patients[7]).toMatchObject({
      patient: '8',
      scsTrial: 'Y',
      scsImplant: 'N',
      drez: 'Y',
      nrs: { baseline: 10, post: 1, final: 1 },
    });
    expect(r.patients[8]).toMatchObject({ scsTrial: null, scsImplant: null, drez: 'Y' });
    expect(r.patients[3]!.location).toMatchObject({ text: 'T8–T12', count: 5 });
  });

  it('round-trips through formatCohortCsv', () => {
    const r = parseCohortCsv(TABLE1);
    if (!r.ok) throw new Error('fixture');
    const again = parseCohortCsv(formatCohortCsv(r.patients));
    expect(again).toEqual(r);
  });

  it('reports every bad field with line, column and reason, and returns no patients', () => {
    const text = [
      HEADER,
      '1,M,60,T9,R,24,Y,Y,,10,2,3,52,16,20',
      '2,Q,73,T10,L,48,Y,Y,,11,4,6,56,30,42',
      '3,F,58,T4–6,R,23,maybe,Y,,10,6,10,49,32,71',
      'Jane Doe,F,58,T13,R,23,Y,Y,,10,6,10,49,32,49',
      '1,M,60,T9,R,24,Y,Y,,10,2,3,52,16',
    ].join('\n');
    const r = parseCohortCsv(text);
    expect(r.ok).toBe(false);
    const ps = problems(text);
    const at = (line: number, field: string) => ps.find((p) => p.line === line && p.field === field);
    expect(at(3, 'sex')).toMatchObject({ column: 2 });
    expect(at(3, 'nrs_baseline')!.reason).toMatch(/outside 0–10/);
    expect(at(4, 'scs_trial')!.reason).toMatch(/'maybe' is not one of Y, N or empty/);
    expect(at(4, 'pdi_final')!.reason).toMatch(/outside 0–70/);
    expect(at(5, 'patient')!.reason).toMatch(/pseudonymous/);
    expect(at(5, 'location')!.reason).toMatch(/T13/);
    expect(ps.find((p) => p.line === 6)!.reason).toMatch(/14 fields, the header has 15/);
  });

  it('refuses duplicate patients, pointing at the first occurrence', () => {
    const ps = problems(
      [HEADER, '7,M,60,T9,R,24,Y,Y,,10,2,3,52,16,20', '7,M,60,T9,R,24,Y,Y,,10,2,3,52,16,20'].join('\n'),
    );
    expect(ps).toEqual([
      expect.objectContaining({
        line: 3,
        field: 'patient',
        reason: expect.stringMatching(/already appears on line 2/),
      }),
    ]);
  });

  it('checks the header: missing, unknown and repeated columns', () => {
    expect(problems('patient,sex\n1,M\n').map((p) => p.field)).toContain('age');
    expect(problems(`${HEADER},colour\n`)[0]!.reason).toMatch(/unknown column 'colour'/);
    expect(problems(`${HEADER},age\n`)[0]!.reason).toMatch(/appears twice/);
    expect(problems('')[0]!.reason).toMatch(/empty/);
    expect(problems(`${HEADER}\n`)[0]!.reason).toMatch(/no patient rows/);
  });

  it('reads optional economics; a cost needs a currency', () => {
    const head = `${HEADER},hospital_days,cost,currency,price_year`;
    const ok = parseCohortCsv(`${head}\n1,M,60,T9,R,24,Y,Y,,10,2,3,52,16,20,18,133700,cny,2023\n`);
    expect(ok.ok && ok.patients[0]).toMatchObject({ hospitalDays: 18, cost: 133700, currency: 'CNY', priceYear: 2023 });
    const bad = problems(`${head}\n1,M,60,T9,R,24,Y,Y,,10,2,3,52,16,20,18,133700,,2023\n`);
    expect(bad[0]).toMatchObject({ field: 'currency', line: 2, column: 18 });
  });

  it('reports CSV syntax errors with their position', () => {
    const ps = problems(`${HEADER}\n1,M,60,"T9,R,24\n`);
    expect(ps[0]!.reason).toMatch(/not closed/);
  });
});

describe('cohort CSV as Table 1 prints it', () => {
  it('reads a dash in scs_trial, scs_implant and drez as not done', () => {
    const dashed = TABLE1.replace('9,M,58,T6–8,R,48,,,Y', '9,M,58,T6–8,R,48,–,–,Y').replace(
      '1,M,60,T9,R,24,Y,Y,,',
      '1,M,60,T9,R,24,Y,Y,-,',
    );
    expect(parseCohortCsv(dashed)).toEqual(parseCohortCsv(TABLE1));
  });

  it('refuses an implant without a trial', () => {
    const ps = problems(TABLE1.replace('1,M,60,T9,R,24,Y,Y,,', '1,M,60,T9,R,24,,Y,,'));
    expect(ps).toEqual([
      expect.objectContaining({ line: 2, field: 'scs_implant', reason: expect.stringMatching(/passed SCS trial/) }),
    ]);
  });
});
