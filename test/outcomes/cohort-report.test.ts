import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCohortCsv } from '../../src/outcomes/cohort-csv.js';
import { cohortReport, type CohortReport } from '../../src/outcomes/cohort-report.js';
import { comparePublished, parsePublishedFigures } from '../../src/outcomes/published-comparison.js';
import type { CohortPatient } from '../../src/outcomes/cohort-patient.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'cohort');

function table1(): CohortPatient[] {
  const result = parseCohortCsv(fs.readFileSync(path.join(FIXTURES, 'table1.csv'), 'utf8'));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.patients;
}

/** As the paper prints it: rounded to the given decimals. */
const r = (x: number | null, decimals = 1) => (x === null ? 'null' : x.toFixed(decimals));

describe("the paper's Results, recomputed from the Table 1 fixture", () => {
  const report: CohortReport = cohortReport(table1());

  it('demographics: n, sex, age, pain duration', () => {
    expect(report.n).toBe(10);
    expect(report.sex).toMatchObject({ M: 6, F: 4 });
    expect([r(report.age.mean), r(report.age.sd)]).toEqual(['66.3', '8.9']);
    expect([report.age.min, report.age.max]).toEqual([58, 84]);
    expect([r(report.durationMonths.mean), r(report.durationMonths.sd)]).toEqual(['53.2', '54.7']);
    expect([report.durationMonths.min, report.durationMonths.max]).toEqual([7, 192]);
  });

  it('dermatomes: count derived from the ranges, 2 single-level, 8 multi-level, 2.60 ± 1.17', () => {
    expect([r(report.dermatomes.mean, 2), r(report.dermatomes.sd, 2)]).toEqual(['2.60', '1.17']);
    expect(report.dermatomes.singleLevel).toBe(2);
    expect(report.dermatomes.multiLevel).toBe(8);
    // The text says "T7–T8 being the most commonly involved levels"; the table gives T8 and T9 (5 each), T7 4.
    expect(report.dermatomes.mostCommonLevels).toEqual(['T8', 'T9']);
    expect(report.dermatomes.levelCounts).toMatchObject({ T7: 4, T8: 5, T9: 5 });
  });

  it('side follows the table (L 4, R 6), not the text (left 6, right 4)', () => {
    expect(report.side).toMatchObject({ L: 4, R: 6 });
  });

  it('baseline NRS (9 patients 10, 1 patient 8; 9.8 ± 0.6) and PDI (55.2 ± 4.5)', () => {
    expect(report.baseline.nrs.counts).toEqual({ '10': 9, '8': 1 });
    expect([r(report.baseline.nrs.mean), r(report.baseline.nrs.sd)]).toEqual(['9.8', '0.6']);
    expect([r(report.baseline.pdi.mean), r(report.baseline.pdi.sd)]).toEqual(['55.2', '4.5']);
  });

  it('pathway: 8 trials, 3 implants, 5 failed (4 conservative, 1 DREZ), 2 primary DREZ', () => {
    expect(report.pathway).toEqual({
      scsTrial: 8,
      scsImplant: 3,
      scsTrialFailed: 5,
      trialFailedConservative: 4,
      drez: 3,
      drezAfterFailedTrial: 1,
      primaryDrez: 2,
    });
  });

  it('SCS implanted: relief 80/60/40 % post-op and 70/40/0 % final; 2 of 3 (66.7 %) ≥30 % at final', () => {
    const g = report.groups['scs-implant'];
    expect(g.n).toBe(3);
    expect(g.reliefPercent.post.map((x) => r(x, 0))).toEqual(['80', '60', '40']);
    expect(g.reliefPercent.final.map((x) => r(x, 0))).toEqual(['70', '40', '0']);
    expect(g.responders30AtFinal).toMatchObject({ count: 2, n: 3 });
    expect(r(g.responders30AtFinal.percent)).toBe('66.7');
  });

  it('SCS implanted: NRS 10.0 ± 0.0 → 4.0 ± 2.0 → 6.3 ± 3.5; PDI 52.3 ± 3.5 → 37.0 ± 15.1', () => {
    const g = report.groups['scs-implant'];
    expect([r(g.nrs.baseline.mean), r(g.nrs.baseline.sd)]).toEqual(['10.0', '0.0']);
    expect([r(g.nrs.post.mean), r(g.nrs.post.sd)]).toEqual(['4.0', '2.0']);
    expect([r(g.nrs.final.mean), r(g.nrs.final.sd)]).toEqual(['6.3', '3.5']);
    expect([r(g.pdi.baseline.mean), r(g.pdi.baseline.sd)]).toEqual(['52.3', '3.5']);
    expect([r(g.pdi.final.mean), r(g.pdi.final.sd)]).toEqual(['37.0', '15.1']);
  });

  it('trial failed: 5 patients, one of them (patient 8) also in the DREZ group', () => {
    expect(report.groups['scs-trial-failed'].patients).toEqual(['4', '5', '6', '7', '8']);
    expect(report.relief.find((x) => x.patient === '8')!.groups).toEqual(['scs-trial-failed', 'drez']);
  });

  it('DREZ: 3 patients, relief 90/80/60 % at final; PDI 59.3 ± 5.1 → 17.3; NRS 10 → 2.3 (text: 3.5)', () => {
    const g = report.groups.drez;
    expect(g.n).toBe(3);
    expect(g.reliefPercent.final.map((x) => r(x, 0)).sort()).toEqual(['60', '80', '90']);
    expect(r(g.nrs.baseline.mean, 0)).toBe('10');
    expect(r(g.nrs.final.mean)).toBe('2.3');
    expect([r(g.pdi.baseline.mean), r(g.pdi.baseline.sd)]).toEqual(['59.3', '5.1']);
    expect(r(g.pdi.final.mean)).toBe('17.3');
    // The text prints 4.1; the table's 16, 22, 14 give 4.163.
    expect(r(g.pdi.final.sd)).toBe('4.2');
  });

  it("paired effect over the whole cohort: Cohen's d 0.89, post hoc power 0.71", () => {
    expect(report.effect.n).toBe(10);
    expect(r(report.effect.dz, 2)).toBe('0.89');
    expect(r(report.effect.power, 2)).toBe('0.71');
    expect(report.effect.df).toBe(9);
  });

  it('counts ≥30 % at final follow-up exactly: 5 of 10', () => {
    expect(report.responders30AtFinal).toMatchObject({ count: 5, n: 10 });
    expect(report.relief.filter((x) => x.meets30AtFinal).map((x) => x.patient)).toEqual(['1', '2', '8', '9', '10']);
  });

  it('has no hospital stay or cost: Table 1 does not record them', () => {
    expect(report.groups['scs-implant'].hospitalDays).toBeNull();
    expect(report.groups.drez.cost).toBeNull();
  });

  it('--json contract: nested keys the issue names', () => {
    const doc = JSON.parse(JSON.stringify(report));
    for (const key of ['age', 'durationMonths', 'dermatomes']) {
      expect(typeof doc[key].mean).toBe('number');
      expect(typeof doc[key].sd).toBe('number');
    }
    for (const m of ['nrs', 'pdi']) for (const k of ['mean', 'sd']) expect(typeof doc.baseline[m][k]).toBe('number');
    for (const g of ['scs-implant', 'scs-trial-failed', 'drez']) {
      expect(typeof doc.groups[g].n).toBe('number');
      for (const m of ['nrs', 'pdi']) {
        for (const when of ['baseline', 'post', 'final']) {
          expect(typeof doc.groups[g][m][when].mean).toBe('number');
          expect(typeof doc.groups[g][m][when].sd).toBe('number');
        }
      }
    }
    expect(typeof doc.effect.dz).toBe('number');
    expect(typeof doc.effect.power).toBe('number');
  });
});

describe('comparison with the published figures', () => {
  const figures = parsePublishedFigures(
    fs.readFileSync(path.join(FIXTURES, 'published.json'), 'utf8'),
    'published.json',
  );
  const rows = comparePublished(figures, cohortReport(table1()));
  const byKey = new Map(rows.map((x) => [x.key, x]));

  it('matches every figure except the ones where the text disagrees with its own table', () => {
    const differs = rows
      .filter((x) => x.status === 'differs')
      .map((x) => x.key)
      .sort();
    expect(differs).toEqual([
      'dermatomes.mostCommonLevels',
      'groups.drez.nrs.final.mean',
      'groups.drez.pdi.final.sd',
      'side.L',
      'side.R',
    ]);
    expect(byKey.get('side.L')).toMatchObject({ published: '6', recomputed: '4' });
    expect(byKey.get('groups.drez.nrs.final.mean')).toMatchObject({ published: '3.5', recomputed: '2.3' });
    expect(byKey.get('groups.drez.pdi.final.sd')!.reason).toMatch(/last digit/);
  });

  it('marks hospital stay and costs as not in the data', () => {
    const missing = rows.filter((x) => x.status === 'not-in-data').map((x) => x.key);
    expect(missing).toHaveLength(4);
    expect(missing.every((k) => /hospitalDays|cost/.test(k))).toBe(true);
    expect(rows.filter((x) => x.status === 'match').length).toBe(figures.length - 9);
  });

  it('reads the same figures from CSV, and flags a number changed in the data', () => {
    const csv = 'key,published,where\nage.mean,66.3,Results\ngroups.scs-implant.reliefPercent.post,80;60;40,Results\n';
    const patients = table1();
    patients[0] = { ...patients[0]!, age: 70 };
    const [age, relief] = comparePublished(parsePublishedFigures(csv, 'p.csv'), cohortReport(patients));
    expect(age).toMatchObject({ status: 'differs', recomputed: '67.3' });
    expect(relief!.status).toBe('match');
  });

  it('refuses a key that names nothing in the report', () => {
    expect(() => comparePublished([{ key: 'age.mode', published: '58', where: 'x' }], cohortReport(table1()))).toThrow(
      /names nothing/,
    );
  });
});

describe('economics per group when present', () => {
  it('summarises hospital stay and cost per group and currency, with price year', () => {
    const patients = table1().map((p, i) => ({
      ...p,
      hospitalDays: 10 + i,
      cost: 1000 * (i + 1),
      currency: 'CNY',
      priceYear: 2023,
    }));
    const g = cohortReport(patients).groups.drez;
    expect(g.hospitalDays!.mean).toBeCloseTo((17 + 18 + 19) / 3, 12);
    expect(g.cost).toHaveLength(1);
    expect(g.cost![0]).toMatchObject({ currency: 'CNY', priceYears: [2023], mean: 9000 });
  });
});

describe('published figures in other shapes', () => {
  it('accepts an object of values, flat or nested like the report', () => {
    const report = cohortReport(table1());
    const nested = parsePublishedFigures(
      JSON.stringify({ age: { mean: 66.3, sd: 8.9 }, effect: { dz: 0.89 }, side: { L: 6 } }),
      'p.json',
    );
    const flat = parsePublishedFigures(
      JSON.stringify({ 'age.mean': 66.3, 'age.sd': 8.9, 'effect.dz': 0.89, 'side.L': 6 }),
      'p.json',
    );
    for (const figs of [nested, flat]) {
      expect(comparePublished(figs, report).map((x) => [x.key, x.status])).toEqual([
        ['age.mean', 'match'],
        ['age.sd', 'match'],
        ['effect.dz', 'match'],
        ['side.L', 'differs'],
      ]);
    }
  });
});
