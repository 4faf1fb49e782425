import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { StoreOptions } from '../../src/store/sql-store.js';
import { STORE_KINDS, cleanup, target } from '../store/store-kinds.js';
import { parseCohortCsv } from '../../src/outcomes/cohort-csv.js';
import { cohortReport } from '../../src/outcomes/cohort-report.js';
import { OutcomeRegistry, RegistryError, type PatientFields } from '../../src/outcomes/outcome-registry.js';
import { cohortFromRegistry, importCohort } from '../../src/outcomes/registry-cohort.js';
import { patientRecord } from '../../src/outcomes/patient-record.js';
import { parseDermatomeRange } from '../../src/outcomes/dermatome-range.js';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { entry } from '../diary/helpers.js';
import type { CommandIo } from '../../src/cli/command.js';
import cohortCommand from '../../src/cli/cohort-command.js';
import patientCommand from '../../src/cli/patient-command.js';
import followupCommand from '../../src/cli/followup-command.js';
import type { CohortPatient } from '../../src/outcomes/cohort-patient.js';
import type { DiaryEntry } from '../../src/diary/entry.js';

const TABLE1 = path.join(import.meta.dirname, '..', 'fixtures', 'cohort', 'table1.csv');
let dir: string;
let registry: OutcomeRegistry;

function table1(): CohortPatient[] {
  const r = parseCohortCsv(fs.readFileSync(TABLE1, 'utf8'));
  if (!r.ok) throw new Error('fixture');
  return r.patients;
}

const T9 = (() => {
  const r = parseDermatomeRange('T9');
  if (!r.ok) throw new Error('T9');
  return r.range;
})();
const fields: PatientFields = {
  sex: 'F',
  age: 70,
  location: T9,
  side: 'L',
  durationMonths: 12,
  hospitalDays: null,
  cost: null,
  currency: null,
  priceYear: null,
};

afterAll(cleanup);

// The registry's contract on both databases (issue 17): the SQLite file and a fresh PostgreSQL database.
describe.each(STORE_KINDS)('outcomes registry on %s', (kind) => {
  let where: StoreOptions & { env: NodeJS.ProcessEnv };
  beforeEach(async () => {
    where = await target(kind);
    dir = where.dataDir!;
    registry = await OutcomeRegistry.open(where);
  });
  afterEach(async () => {
    await registry.close();
  });

  /** The store flags of this run's target, as a person would type them. */
  const storeFlags = () => ['--data-dir', dir, ...(where.databaseUrl ? ['--database-url', where.databaseUrl] : [])];

  async function cli(
    command: { run(argv: string[], io: CommandIo): Promise<number> },
    argv: string[],
  ): Promise<string> {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (c) => (out += c));
    await command.run([...argv, ...storeFlags()], {
      stdout,
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      env: {},
    });
    return out;
  }

  describe('cohort import and the report from the store', () => {
    it('the report from the registry equals the report from the CSV', async () => {
      await importCohort(registry, table1(), 'table1.csv');
      expect(await cohortFromRegistry(registry)).toEqual(table1());
      expect(cohortReport(await cohortFromRegistry(registry))).toEqual(cohortReport(table1()));
    });

    it('is all-or-nothing: a clash with one stored patient stores none of the file', async () => {
      await registry.addPatient('7', fields);
      await expect(importCohort(registry, table1(), 'table1.csv')).rejects.toThrow(
        /patient 7 is already in the registry/,
      );
      expect((await registry.listPatients()).map((p) => p.id)).toEqual(['7']);
      expect(await registry.procedures('1')).toEqual([]);
    });

    it('a bad file via the CLI creates no database at all', async () => {
      const bad = path.join(dir, 'bad.csv');
      fs.writeFileSync(bad, fs.readFileSync(TABLE1, 'utf8').replace('10,F,66', '10,F,666'));
      const fresh = path.join(dir, 'fresh');
      await expect(
        cohortCommand.run(['import', bad, '--data-dir', fresh], {
          stdout: new PassThrough(),
          stderr: new PassThrough(),
          stdin: new PassThrough(),
          env: {},
        }),
      ).rejects.toThrow(/bad\.csv:11:3 \(age\)/);
      expect(fs.existsSync(fresh)).toBe(false);
    });

    it('scs cohort import, report --json from the store and export round-trip through the CLI', async () => {
      await registry.close();
      await cli(cohortCommand, ['import', TABLE1]);
      const doc = JSON.parse(await cli(cohortCommand, ['report', '--json']));
      expect(doc.effect.dz.toFixed(2)).toBe('0.89');
      expect(doc.groups.drez.n).toBe(3);
      // Same data; locations come back spelled out (T4–6 → T4–T6).
      expect(parseCohortCsv(await cli(cohortCommand, ['export']))).toEqual(
        parseCohortCsv(fs.readFileSync(TABLE1, 'utf8')),
      );
      registry = await OutcomeRegistry.open(where);
    });
  });

  describe('pathway rules', () => {
    beforeEach(async () => {
      await registry.addPatient('P1', fields);
    });

    it('an implant needs a passed trial on or before its date', async () => {
      await expect(registry.addProcedure('P1', { kind: 'ipg-implant', date: '2024-02-01' })).rejects.toThrow(
        /no passed SCS trial/,
      );
      await registry.addProcedure('P1', {
        kind: 'scs-trial',
        date: '2024-01-10',
        verdict: 'fail',
        reasons: ['NRS 9 → 8'],
      });
      await expect(registry.addProcedure('P1', { kind: 'ipg-implant', date: '2024-02-01' })).rejects.toThrow(
        /no passed SCS trial/,
      );
      await registry.addProcedure('P1', {
        kind: 'scs-trial',
        date: '2024-03-01',
        verdict: 'pass',
        reasons: ['NRS 9 → 4 for 72 h'],
      });
      await expect(registry.addProcedure('P1', { kind: 'ipg-implant', date: '2024-02-01' })).rejects.toThrow(
        /on or before 2024-02-01/,
      );
      expect((await registry.addProcedure('P1', { kind: 'ipg-implant', date: '2024-03-20' })).kind).toBe('ipg-implant');
    });

    it('a trial needs a verdict with reasons; an explant needs an implant and a reason', async () => {
      await expect(registry.addProcedure('P1', { kind: 'scs-trial', date: '2024-01-10' })).rejects.toThrow(/verdict/);
      await expect(
        registry.addProcedure('P1', { kind: 'scs-trial', date: '2024-01-10', verdict: 'pass', reasons: [' '] }),
      ).rejects.toThrow(/reason/);
      await expect(registry.addProcedure('P1', { kind: 'drez', date: '2024-01-10', verdict: 'pass' })).rejects.toThrow(
        /only an SCS trial/,
      );
      await expect(
        registry.addProcedure('P1', { kind: 'explant', date: '2024-05-01', reasons: ['loss of efficacy'] }),
      ).rejects.toThrow(/no IPG implant/);
      await registry.addProcedure('P1', { kind: 'scs-trial', date: '2024-01-10', verdict: 'pass', reasons: ['ok'] });
      await registry.addProcedure('P1', { kind: 'ipg-implant', date: '2024-01-20' });
      await expect(registry.addProcedure('P1', { kind: 'explant', date: '2024-05-01' })).rejects.toThrow(/reason/);
      await expect(registry.addProcedure('P1', { kind: 'drez', date: '2024-02-30' })).rejects.toThrow(/calendar date/);
      expect(
        (await registry.addProcedure('P1', { kind: 'explant', date: '2024-05-01', reasons: ['loss of efficacy'] }))
          .reasons,
      ).toEqual(['loss of efficacy']);
    });

    it('follow-up visits: on the schedule, once each; final is the latest month visit', async () => {
      await registry.addFollowUp('P1', { visit: 'baseline', date: null, nrs: 10, pdi: 60 });
      await registry.addFollowUp('P1', { visit: '24m', date: '2026-01-01', nrs: 3, pdi: null });
      await registry.addFollowUp('P1', { visit: '6m', date: '2024-07-01', nrs: 5, pdi: 30 });
      await expect(registry.addFollowUp('P1', { visit: '6m', date: null, nrs: 5, pdi: null })).rejects.toThrow(
        /already has a 6m visit/,
      );
      await expect(registry.addFollowUp('P1', { visit: '30m', date: null, nrs: 5, pdi: null })).rejects.toThrow(
        /not on the follow-up schedule/,
      );
      await expect(registry.addFollowUp('P1', { visit: '36m', date: null, nrs: null, pdi: null })).rejects.toThrow(
        /needs an NRS/,
      );
      await expect(registry.addFollowUp('P1', { visit: '36m', date: null, nrs: 11, pdi: null })).rejects.toThrow(
        /0–10/,
      );
      const record = await patientRecord(registry, 'P1');
      expect(record.followUps.map((f) => [f.visit.label, f.reliefPercent])).toEqual([
        ['baseline', null],
        ['6m', 50],
        ['24m', 70],
      ]);
      const [row] = await cohortFromRegistry(registry);
      // NRS final from 24m; PDI final from the latest visit that has one (6m).
      expect(row!.nrs).toEqual({ baseline: 10, post: null, final: 3 });
      expect(row!.pdi).toEqual({ baseline: 60, post: null, final: 30 });
    });

    it('complications belong to the patient and may point at one of their procedures', async () => {
      await registry.addPatient('P2', fields);
      const drez = await registry.addProcedure('P2', { kind: 'drez', date: '2024-01-10' });
      await expect(
        registry.addComplication('P1', {
          category: 'neurological',
          severity: 'mild',
          description: 'segmental sensory loss',
          date: null,
          procedureId: drez.id,
        }),
      ).rejects.toThrow(/has no procedure/);
      const c = await registry.addComplication('P2', {
        category: 'neurological',
        severity: 'mild',
        description: 'segmental sensory loss',
        date: '2024-01-12',
        procedureId: drez.id,
      });
      expect(await registry.complications('P2')).toEqual([c]);
    });

    it('the SQL constraints hold even if the checks in code are bypassed (duplicates too)', async () => {
      const db = registry.store.db;
      await expect(
        sql`INSERT INTO outcome_followups (patient_id, visit, nrs, recorded_at) VALUES ('P1', '1m', 11, 'x')`.execute(
          db,
        ),
      ).rejects.toThrow(/CHECK|check constraint/);
      await expect(
        sql`INSERT INTO outcome_procedures (patient_id, kind, recorded_at) VALUES ('P1', 'scs-trial', 'x')`.execute(db),
      ).rejects.toThrow(/CHECK|check constraint/);
      await expect(
        sql`INSERT INTO outcome_procedures (patient_id, kind, recorded_at) VALUES ('nobody', 'drez', 'x')`.execute(db),
      ).rejects.toThrow(/FOREIGN KEY|foreign key/);
      await expect(
        sql`INSERT INTO outcome_patients (id, sex, age, location, dermatome_count, side, duration_months, created_at)
          VALUES ('P1', 'F', 70, 'T9', 1, 'L', 12, 'x')`.execute(db),
      ).rejects.toThrow(/UNIQUE|duplicate key/);
      await sql`INSERT INTO outcome_followups (patient_id, visit, nrs, recorded_at) VALUES ('P1', '1m', 5, 'x')`.execute(
        db,
      );
      await expect(
        sql`INSERT INTO outcome_followups (patient_id, visit, nrs, recorded_at) VALUES ('P1', '1m', 6, 'x')`.execute(
          db,
        ),
      ).rejects.toThrow(/UNIQUE|duplicate key/);
    });

    it('everything written is there after a reopen', async () => {
      await registry.addFollowUp('P1', { visit: 'baseline', date: '2024-01-01', nrs: 8, pdi: 40, pdiDomains: null });
      const trial = await registry.addProcedure('P1', {
        kind: 'scs-trial',
        date: '2024-01-10',
        verdict: 'pass',
        reasons: ['ok'],
      });
      const before = await patientRecord(registry, 'P1');
      await registry.close();
      registry = await OutcomeRegistry.open(where);
      expect(await patientRecord(registry, 'P1')).toEqual(before);
      expect((await registry.procedures('P1'))[0]).toEqual(trial);
      expect(before.site).toMatch(/^site-[0-9a-f]{16}$/);
    });

    it('refuses names as ids and implausible fields', async () => {
      await expect(registry.addPatient('Jane Doe', fields)).rejects.toThrow(RegistryError);
      await expect(registry.addPatient('P3', { ...fields, age: 150 })).rejects.toThrow(/age 150/);
      await expect(registry.addPatient('P3', { ...fields, cost: 100 })).rejects.toThrow(/currency/);
      await expect(registry.addPatient('P1', fields)).rejects.toThrow(/already in the registry/);
    });
  });

  describe('the trial verdict from the diary', () => {
    /** An entry `h` hours after 2024-01-01T00:00Z. */
    const e = (h: number, phase: 'baseline' | 'trial', f: Partial<DiaryEntry>): DiaryEntry =>
      entry(new Date(Date.UTC(2024, 0, 1) + h * 3_600_000).toISOString().replace('Z', '+00:00'), phase, f);

    it('scs patient procedure --from-diary records the criterion verdict with its reasons', async () => {
      const diary = await DiaryStore.beside(registry.store);
      for (const [h, nrs] of [
        [0, 8],
        [12, 8],
        [24, 8],
      ] as const)
        await diary.add('P9', e(h, 'baseline', { nrs }));
      for (let h = 48; h <= 120; h += 12) await diary.add('P9', e(h, 'trial', { nrs: 4 }));
      await diary.add('P9', e(121, 'trial', { activity: 'improved' }));
      await registry.addPatient('P9', fields);
      await registry.close();
      await cli(patientCommand, [
        'procedure',
        '--patient',
        'P9',
        '--kind',
        'scs-trial',
        '--date',
        '2024-01-06',
        '--from-diary',
      ]);
      registry = await OutcomeRegistry.open(where);
      const [trial] = await registry.procedures('P9');
      expect(trial!.verdict).toBe('pass');
      expect(trial!.reasons.join(' ')).toMatch(/Baseline NRS 8/);
      const shown = await cli(patientCommand, ['show', '--patient', 'P9']);
      expect(shown).toMatch(/Trial diary: 11 entries; criterion verdict PASS/);
    });
  });

  describe('scs followup via the CLI', () => {
    it('adds visits with PDI domains and lists relief', async () => {
      await registry.addPatient('P5', fields);
      await registry.close();
      await cli(followupCommand, [
        'add',
        '--patient',
        'P5',
        '--visit',
        'baseline',
        '--nrs',
        '10',
        '--pdi-domains',
        '8,8,8,8,8,8,8',
      ]);
      await cli(followupCommand, ['add', '--patient', 'P5', '--visit', '12m', '--nrs', '7', '--date', '2025-01-01']);
      const list = JSON.parse(await cli(followupCommand, ['list', '--patient', 'P5', '--json']));
      expect(
        list.followUps.map((f: { pdi: number | null; reliefPercent: number | null }) => [f.pdi, f.reliefPercent]),
      ).toEqual([
        [56, null],
        [null, 30],
      ]);
      registry = await OutcomeRegistry.open(where);
    });
  });
});
