/**
 * `scs cohort export --deidentified`: what leaves a site. A site store is filled through the real
 * commands with every kind of data the station holds (dates, free-text reasons, complication
 * descriptions, diary notes, a generator binding with its serial), then the file is read back and
 * searched for each of them. The same test body runs on a SQLite site store and on a PostgreSQL one
 * (a fresh database on the run's throwaway server).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GeneratorBindingStore } from '../../src/session/generator-binding-store.js';
import { AGE_TOP_CODE, parseSiteCohortFile } from '../../src/outcomes/site-cohort-file.js';
import type { StoreOptions } from '../../src/store/sql-store.js';
import { pgQuery } from '../pg/pg-database.js';
import { runScs } from '../reliability/run-scs.js';
import { STORE_KINDS, cleanup, target } from '../store/store-kinds.js';
import { removeTmpDirs, storeArgs, tmpDir, words } from './site-cohort-kit.js';

const tmp = tmpDir;
afterAll(removeTmpDirs);
afterAll(cleanup);

/** Runs `scs ARGV` on the site store `site` and expects it to succeed quietly. */
async function ok(argv: string[], site: StoreOptions): Promise<string> {
  const r = await runScs([...argv, ...storeArgs(site)]);
  expect(r.err, argv.join(' ')).toBe('');
  expect(r.code, argv.join(' ')).toBe(0);
  return r.out;
}

// Values a coordinating centre must never see; each is put into the site's store below.
const SECRET = {
  trialReason: 'relief reported by Mrs Zhang at home',
  explantReason: 'moved to Harbin hospital',
  complication: 'lead migration seen by Dr Li',
  diaryNote: 'walked to the Tiantan market',
  serial: 'SN-7741-0093',
  dates: ['2024-04-05', '2024-04-20', '2025-01-10', '2024-10-20', '2024-05-02', '2024-03-31'],
};

describe.each(STORE_KINDS)('scs cohort export --deidentified on a %s site store', (storeKind) => {
  it('writes the Table 1 record per patient under a site-qualified id and nothing else the site holds', async () => {
    const site = await target(storeKind);
    await ok(['db', 'init', '--site', 'site-a'], site);
    const asP17 = words('--patient P-017');
    await ok(
      words('patient add --patient P-017 --sex M --age 58 --location T7–9 --side R --duration-months 22').concat(
        words('--hospital-days 18 --cost 133700 --currency CNY --price-year 2023'),
      ),
      site,
    );
    const [trialDate, implantDate, explantDate, visitDate, complicationDate, baselineDate] = SECRET.dates;
    const procedure = (kind: string, date: string, ...rest: string[]) =>
      ok(['patient', 'procedure', ...asP17, '--kind', kind, '--date', date, ...rest], site);
    await procedure('scs-trial', trialDate!, '--verdict', 'pass', '--reason', SECRET.trialReason);
    await procedure('ipg-implant', implantDate!);
    await procedure('explant', explantDate!, '--reason', SECRET.explantReason);
    const complication = words('--category hardware --severity mild --date').concat(complicationDate!);
    await ok(['patient', 'complication', ...asP17, ...complication, '--description', SECRET.complication], site);
    await ok([...words('followup add --visit baseline --nrs 9 --pdi 52 --date'), baselineDate!, ...asP17], site);
    await ok(
      [...words('followup add --visit 6m --nrs 3 --pdi-domains 2,3,2,4,1,0,0 --date'), visitDate!, ...asP17],
      site,
    );
    await ok(
      [
        ...words('diary add --at 2024-03-31T08:00+02:00 --phase baseline --nrs 8'),
        ...asP17,
        '--note',
        SECRET.diaryNote,
      ],
      site,
    );
    // The oldest patient of a small centre: written as 90, not as their age.
    await ok(words('patient add --patient P-018 --sex F --age 97 --location T9 --side L --duration-months 12'), site);
    const bindings = await GeneratorBindingStore.open(site);
    try {
      await bindings.record('P-017', { serial: SECRET.serial, proto: 2 });
    } finally {
      await bindings.close();
    }

    // The site store is the one named: on PostgreSQL the patients are on the server.
    if (site.databaseUrl)
      expect(await pgQuery(site.databaseUrl, 'SELECT id FROM outcome_patients ORDER BY 1')).toEqual([
        { id: 'P-017' },
        { id: 'P-018' },
      ]);
    const out = path.join(tmp('site-export-out'), 'site-a.json');
    expect(await ok(['cohort', 'export', '--deidentified', '--out', out], site)).toMatch(
      /2 de-identified patients of site site-a/,
    );
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(out, 'utf8');
    const doc = JSON.parse(text);

    // Free text, serials and record dates appear nowhere in the file.
    for (const secret of [
      SECRET.trialReason,
      SECRET.explantReason,
      SECRET.complication,
      SECRET.diaryNote,
      SECRET.serial,
    ])
      expect(text).not.toContain(secret);
    for (const word of ['Zhang', 'Harbin', 'Dr Li', 'Tiantan', '7741']) expect(text).not.toContain(word);
    const { exportedAt, ...rest } = doc;
    expect(Date.parse(exportedAt)).not.toBeNaN(); // the export's own time is the one date in it
    expect(JSON.stringify(rest)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // No field the contract does not list: per patient only the Table 1 shape.
    expect(Object.keys(doc).sort()).toEqual(
      ['ageTopCodedAt', 'deidentified', 'dropped', 'exportedAt', 'format', 'patients', 'site', 'version'].sort(),
    );
    const keys = words(
      'age cost currency drez durationMonths hospitalDays id location nrs pdi priceYear scsImplant scsTrial sex side',
    );
    for (const p of doc.patients) expect(Object.keys(p).sort()).toEqual(keys);
    expect(JSON.stringify(doc)).not.toMatch(/"(name|birth|dob|dateOfBirth|serial|note|reasons?|description|date)"/i);

    const [p17, p18] = doc.patients;
    expect(p17).toMatchObject({
      id: 'site-a/P-017',
      age: 58,
      location: 'T7–T9',
      scsTrial: 'Y',
      scsImplant: 'Y',
      nrs: { baseline: 9, post: null, final: 3 },
      pdi: { baseline: 52, post: null, final: 12 },
      cost: 133700,
      currency: 'CNY',
    });
    expect(p18).toMatchObject({ id: 'site-a/P-018', age: AGE_TOP_CODE });
    expect(parseSiteCohortFile(text).ok).toBe(true);
  });

  it('needs --out, and a registry with patients', async () => {
    const site = await target(storeKind);
    expect((await runScs(['cohort', 'export', '--deidentified', ...storeArgs(site)])).code).toBe(2);
    const out = path.join(tmp('site-export-empty'), 'x.json');
    const r = await runScs(['cohort', 'export', '--deidentified', '--out', out, ...storeArgs(site)]);
    expect(r.code).toBe(1);
    expect(fs.existsSync(out)).toBe(false);
  });
});
