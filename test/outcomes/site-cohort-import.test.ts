/**
 * `scs cohort import SITE.json …` on both stores: idempotent (twice changes nothing), the same
 * pseudonym at two sites stays two patients, a later export of a site replaces its older record and an
 * older one never overwrites a newer, and a foreign or newer file is refused with nothing imported.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCohortCsv } from '../../src/outcomes/cohort-csv.js';
import type { CohortPatient } from '../../src/outcomes/cohort-patient.js';
import { SITE_COHORT_FORMAT, siteCohortFile } from '../../src/outcomes/site-cohort-file.js';
import { runScs } from '../reliability/run-scs.js';
import { STORE_KINDS, cleanup, target } from '../store/store-kinds.js';
import { storeArgs } from './site-cohort-kit.js';

const ROOT = path.join(import.meta.dirname, '..', '..');
const TABLE1 = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'cohort', 'table1.csv'), 'utf8');
const parsed = parseCohortCsv(TABLE1);
if (!parsed.ok) throw new Error('table1.csv');
const PATIENTS: CohortPatient[] = parsed.patients;

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-site-import-'));
afterAll(() => {
  fs.rmSync(DIR, { recursive: true, force: true });
  cleanup();
});

let n = 0;
function write(doc: unknown): string {
  const file = path.join(DIR, `f${n++}.json`);
  fs.writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
}
const exportOf = (site: string, patients: CohortPatient[], at: string) =>
  write(siteCohortFile(site, patients, new Date(at)));

describe.each(STORE_KINDS)('scs cohort import of site exports on %s', (kind) => {
  it('merges idempotently, keeps sites apart, lets a newer export win and refuses foreign files', async () => {
    const t = await target(kind);
    const where = storeArgs(t);
    const scs = (argv: string[]) => runScs([...argv, ...where]);
    const pooled = async () => JSON.parse((await scs(['cohort', 'report', '--by-site', '--json'])).out);

    // Both sites call their first patients 1, 2, 3.
    const a = exportOf('site-a', PATIENTS.slice(0, 3), '2026-11-01T10:00:00Z');
    const b = exportOf(
      'site-b',
      PATIENTS.slice(3, 6).map((p, i) => ({ ...p, patient: String(i + 1) })),
      '2026-11-02T10:00:00Z',
    );
    expect((await scs(['cohort', 'import', a, b])).out).toBe(
      `${a}: site site-a: 3 added, 0 updated, 0 unchanged.\n${b}: site site-b: 3 added, 0 updated, 0 unchanged.\n`,
    );
    const before = await pooled();
    expect(before.pooled.n).toBe(6);
    expect(before.pooled.relief.map((r: { patient: string }) => r.patient)).toEqual([
      'site-a/1',
      'site-a/2',
      'site-a/3',
      'site-b/1',
      'site-b/2',
      'site-b/3',
    ]);
    expect((await scs(['cohort', 'import', a, b])).out).toMatch(
      /site-a: 0 added, 0 updated, 3 unchanged[\s\S]*site-b: 0 added, 0 updated, 3 unchanged/,
    );
    expect(await pooled()).toEqual(before);

    // A later export of site A (patient 1 now has a final visit of 2) replaces the record; the old file again does not.
    const changed = PATIENTS.slice(0, 3).map((p, i) => (i === 0 ? { ...p, nrs: { ...p.nrs, final: 2 } } : p));
    const later = exportOf('site-a', changed, '2026-11-20T10:00:00Z');
    expect((await scs(['cohort', 'import', later])).out).toMatch(/0 added, 1 updated, 2 unchanged/);
    expect((await scs(['cohort', 'import', a])).out).toMatch(/0 added, 0 updated, 3 unchanged/);
    const after = await pooled();
    expect(after.sites['site-a'].relief[0]).toMatchObject({ patient: 'site-a/1', reliefFinalPercent: 80 });

    // Foreign, newer, tampered: refused, exit 1, and nothing of a good file given alongside is imported.
    const fresh = exportOf('site-c', PATIENTS.slice(6), '2026-11-03T10:00:00Z');
    const newer = write({ ...siteCohortFile('site-d', PATIENTS.slice(0, 1), new Date()), version: 2 });
    const foreign = write({ resourceType: 'Bundle', type: 'collection', entry: [] });
    const tampered = write(
      JSON.stringify(siteCohortFile('site-a', changed, new Date('2026-11-20T10:00:00Z'))).replace(
        '"age":60',
        '"age":61',
      ),
    );
    const wrongSite = write({ ...siteCohortFile('site-e', PATIENTS.slice(0, 1), new Date()), site: 'site-f' });
    const cases: [string, RegExp][] = [
      [newer, /format version 2, newer than this scs-companion reads \(1\); upgrade/],
      [foreign, /is not an scs-companion site export/],
      [write('not json'), /is not JSON/],
      [tampered, /site-a\/1 differs from the record of the same export/],
      [wrongSite, /'site-e\/1', which is not 'site-f\/'/],
    ];
    for (const [file, message] of cases) {
      const r = await scs(['cohort', 'import', fresh, file]);
      expect(r.code, file).toBe(1);
      expect(r.err).toMatch(message);
    }
    expect(await pooled()).toEqual(after);
    expect(SITE_COHORT_FORMAT).toBe('scs-companion/cohort-export');
  }, 120_000);
});

describe('scs cohort import as a real process', () => {
  it('a file of a newer format: one line on stderr, exit 1', () => {
    const newer = write({ ...siteCohortFile('site-a', PATIENTS.slice(0, 1), new Date()), version: 7 });
    const r = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      [path.join(ROOT, 'src', 'cli', 'main.ts'), 'cohort', 'import', newer, '--data-dir', DIR],
      { encoding: 'utf8', env: { ...process.env, SCS_DATABASE_URL: '' } },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^scs: .*f\d+\.json was written in site-export format version 7, newer than this/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
