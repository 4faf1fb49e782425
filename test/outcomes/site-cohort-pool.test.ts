/**
 * Issue 17, multicentre: Table 1 of the paper split across two sites (each its own store, filled by
 * `scs cohort import HALF.csv`, named with `scs db init --site`, exported with `scs cohort export
 * --deidentified`), both exports imported into a fresh coordinating store (all three stores on the
 * SQLite file, then all on PostgreSQL), and `scs cohort report --by-site --json` gives the paper's
 * figures pooled and each half's own. Site B numbers its patients 1–5 like site A, so a collision of
 * ids would show as a wrong n.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCohortCsv } from '../../src/outcomes/cohort-csv.js';
import type { CohortPatient } from '../../src/outcomes/cohort-patient.js';
import { type CohortReport, cohortReport } from '../../src/outcomes/cohort-report.js';
import { runScs } from '../reliability/run-scs.js';
import type { StoreKind } from '../../src/store/sql-store.js';
import { STORE_KINDS, cleanup, target } from '../store/store-kinds.js';
import { removeTmpDirs, storeArgs, tmpDir } from './site-cohort-kit.js';

const TABLE1 = fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'cohort', 'table1.csv'), 'utf8');
const [HEADER, ...ROWS] = TABLE1.trim().split('\n');
// Site A: the paper's patients 1, 3, 5, 7, 9 as they are; site B: 2, 4, 6, 8, 10 renumbered 1–5.
const SITE_A = ROWS.filter((_, i) => i % 2 === 0);
const SITE_B = ROWS.filter((_, i) => i % 2 === 1).map((row, i) => row.replace(/^\d+,/, `${i + 1},`));
const original = (qualified: string) => {
  const [site, n] = qualified.split('/');
  return site === 'site-a' ? n : String(2 * Number(n));
};

const tmp = tmpDir;

async function ok(argv: string[], where: string[]): Promise<string> {
  const r = await runScs([...argv, ...where]);
  expect(r.err, argv.join(' ')).toBe('');
  expect(r.code, argv.join(' ')).toBe(0);
  return r.out;
}

function parse(csv: string): CohortPatient[] {
  const r = parseCohortCsv(csv);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.patients;
}

/** A site's store (of `kind`) filled from its half of Table 1, exported de-identified; returns the file. */
async function siteExport(kind: StoreKind, site: string, rows: string[]): Promise<string> {
  const where = storeArgs(await target(kind));
  const dir = tmp(site);
  const csv = path.join(dir, `${site}.csv`);
  fs.writeFileSync(csv, [HEADER, ...rows].join('\n') + '\n');
  await ok(['cohort', 'import', csv], where);
  await ok(['db', 'init', '--site', site], where);
  const out = path.join(dir, `${site}.json`);
  await ok(['cohort', 'export', '--deidentified', '--out', out], where);
  return out;
}

/** The report without its patient ids: pooling renames patients (site/pseudonym), nothing else may change. */
function figures(r: CohortReport) {
  const byOriginal = (ids: string[]) => ids.map((id) => (id.includes('/') ? original(id) : id));
  const relief = r.relief
    .map((x) => ({ ...x, patient: byOriginal([x.patient])[0]! }))
    .sort((a, b) => Number(a.patient) - Number(b.patient));
  const groups = Object.fromEntries(
    Object.entries(r.groups).map(([g, v]) => {
      const order = byOriginal(v.patients).map((id, i) => ({ id, i }));
      order.sort((a, b) => Number(a.id) - Number(b.id));
      return [
        g,
        {
          ...v,
          patients: order.map((o) => o.id),
          reliefPercent: {
            post: order.map((o) => v.reliefPercent.post[o.i]),
            final: order.map((o) => v.reliefPercent.final[o.i]),
          },
        },
      ];
    }),
  );
  return { ...r, relief, groups };
}

afterAll(() => {
  removeTmpDirs();
  cleanup();
});

describe.each(STORE_KINDS)('Table 1 split across two sites, pooled on %s', (kind) => {
  it('the pooled figures are the paper’s and today’s report’s; each site has its own half', async () => {
    // The sites' registries on the same kind of store as the coordinating centre's.
    const files = { a: await siteExport(kind, 'site-a', SITE_A), b: await siteExport(kind, 'site-b', SITE_B) };
    const t = await target(kind);
    const where = storeArgs(t);
    const first = JSON.parse(await ok(['cohort', 'import', files.a, files.b, '--json'], where));
    expect(first.imported).toEqual([
      { file: files.a, site: 'site-a', added: 5, updated: 0, unchanged: 0 },
      { file: files.b, site: 'site-b', added: 5, updated: 0, unchanged: 0 },
    ]);
    const doc = JSON.parse(await ok(['cohort', 'report', '--by-site', '--json'], where));
    const pooled: CohortReport = doc.pooled;

    // The paper's Table 1 and Results, as printed.
    expect(pooled.n).toBe(10);
    expect(pooled.sex).toMatchObject({ M: 6, F: 4 });
    expect([pooled.age.mean!.toFixed(1), pooled.age.sd!.toFixed(1)]).toEqual(['66.3', '8.9']);
    expect([pooled.dermatomes.mean!.toFixed(2), pooled.dermatomes.sd!.toFixed(2)]).toEqual(['2.60', '1.17']);
    expect(pooled.pathway).toMatchObject({ scsTrial: 8, scsImplant: 3, scsTrialFailed: 5, drez: 3 });
    expect([pooled.effect.dz!.toFixed(2), pooled.effect.power!.toFixed(2)]).toEqual(['0.89', '0.71']);
    expect(pooled.responders30AtFinal).toMatchObject({ count: 5, n: 10 });
    // Every figure of today's single-store report of Table 1, exactly (only the ids are site-qualified).
    expect(figures(pooled)).toEqual(figures(JSON.parse(JSON.stringify(cohortReport(parse(TABLE1))))));
    expect(pooled.relief.map((x) => x.patient)).toContain('site-b/1');
    expect(pooled.relief.map((x) => x.patient)).toContain('site-a/1');

    // Each site: its own half, as a report on that half alone gives it.
    expect(Object.keys(doc.sites)).toEqual(['site-a', 'site-b']);
    const half = (rows: string[]) => JSON.parse(JSON.stringify(cohortReport(parse([HEADER, ...rows].join('\n')))));
    const strip = (r: CohortReport) => ({
      ...r,
      relief: r.relief.map((x) => ({ ...x, patient: '' })),
      groups: Object.fromEntries(Object.entries(r.groups).map(([g, v]) => [g, { ...v, patients: [] }])),
    });
    expect(strip(doc.sites['site-a'])).toEqual(strip(half(SITE_A)));
    expect(strip(doc.sites['site-b'])).toEqual(strip(half(SITE_B)));
    expect(doc.sites['site-a'].n + doc.sites['site-b'].n).toBe(10);

    // Importing the same files again changes nothing.
    const again = JSON.parse(await ok(['cohort', 'import', files.b, files.a, '--json'], where));
    expect(
      again.imported.map((r: { added: number; updated: number; unchanged: number }) => [
        r.added,
        r.updated,
        r.unchanged,
      ]),
    ).toEqual([
      [0, 0, 5],
      [0, 0, 5],
    ]);
    expect(JSON.parse(await ok(['cohort', 'report', '--by-site', '--json'], where))).toEqual(doc);

    // The human report names each site and the pool.
    const text = await ok(['cohort', 'report', '--by-site'], where);
    expect(text).toMatch(/Cohort report: 5 patients \(site site-a\)/);
    expect(text).toMatch(/Cohort report: 10 patients \(pooled: 2 sites, site-a, site-b\)/);
  }, 120_000);
});
