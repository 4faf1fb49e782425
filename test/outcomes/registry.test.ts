import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCohortCsv } from '../../src/outcomes/cohort-csv.js';
import { cohortReport } from '../../src/outcomes/cohort-report.js';
import { OutcomeRegistry, RegistryError, type PatientFields } from '../../src/outcomes/outcome-registry.js';
import { cohortFromRegistry, importCohort } from '../../src/outcomes/registry-cohort.js';
import { patientRecord } from '../../src/outcomes/patient-record.js';
import { parseDermatomeRange } from '../../src/outcomes/dermatome-range.js';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { parseInstant } from '../../src/diary/instant.js';
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

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-registry-'));
  registry = OutcomeRegistry.open({ dataDir: dir });
});
afterEach(() => {
  registry.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(command: { run(argv: string[], io: CommandIo): Promise<number> }, argv: string[]): Promise<string> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  await command.run([...argv, '--data-dir', dir], {
    stdout,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: {},
  });
  return out;
}

describe('cohort import and the report from the store', () => {
  it('the report from the registry equals the report from the CSV', () => {
    importCohort(registry, table1(), 'table1.csv');
    expect(cohortFromRegistry(registry)).toEqual(table1());
    expect(cohortReport(cohortFromRegistry(registry))).toEqual(cohortReport(table1()));
  });

  it('is all-or-nothing: a clash with one stored patient stores none of the file', () => {
    registry.addPatient('7', fields);
    expect(() => importCohort(registry, table1(), 'table1.csv')).toThrow(/patient 7 is already in the registry/);
    expect(registry.listPatients().map((p) => p.id)).toEqual(['7']);
    expect(registry.procedures('1')).toEqual([]);
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
    registry.close();
    await cli(cohortCommand, ['import', TABLE1]);
    const doc = JSON.parse(await cli(cohortCommand, ['report', '--json']));
    expect(doc.effect.dz.toFixed(2)).toBe('0.89');
    expect(doc.groups.drez.n).toBe(3);
    // Same data; locations come back spelled out (T4–6 → T4–T6).
    expect(parseCohortCsv(await cli(cohortCommand, ['export']))).toEqual(
      parseCohortCsv(fs.readFileSync(TABLE1, 'utf8')),
    );
    registry = OutcomeRegistry.open({ dataDir: dir });
  });
});

describe('pathway rules', () => {
  beforeEach(() => registry.addPatient('P1', fields));

  it('an implant needs a passed trial on or before its date', () => {
    expect(() => registry.addProcedure('P1', { kind: 'ipg-implant', date: '2024-02-01' })).toThrow(
      /no passed SCS trial/,
    );
    registry.addProcedure('P1', { kind: 'scs-trial', date: '2024-01-10', verdict: 'fail', reasons: ['NRS 9 → 8'] });
    expect(() => registry.addProcedure('P1', { kind: 'ipg-implant', date: '2024-02-01' })).toThrow(
      /no passed SCS trial/,
    );
    registry.addProcedure('P1', {
      kind: 'scs-trial',
      date: '2024-03-01',
      verdict: 'pass',
      reasons: ['NRS 9 → 4 for 72 h'],
    });
    expect(() => registry.addProcedure('P1', { kind: 'ipg-implant', date: '2024-02-01' })).toThrow(
      /on or before 2024-02-01/,
    );
    expect(registry.addProcedure('P1', { kind: 'ipg-implant', date: '2024-03-20' }).kind).toBe('ipg-implant');
  });

  it('a trial needs a verdict with reasons; an explant needs an implant and a reason', () => {
    expect(() => registry.addProcedure('P1', { kind: 'scs-trial', date: '2024-01-10' })).toThrow(/verdict/);
    expect(() =>
      registry.addProcedure('P1', { kind: 'scs-trial', date: '2024-01-10', verdict: 'pass', reasons: [' '] }),
    ).toThrow(/reason/);
    expect(() => registry.addProcedure('P1', { kind: 'drez', date: '2024-01-10', verdict: 'pass' })).toThrow(
      /only an SCS trial/,
    );
    expect(() =>
      registry.addProcedure('P1', { kind: 'explant', date: '2024-05-01', reasons: ['loss of efficacy'] }),
    ).toThrow(/no IPG implant/);
    registry.addProcedure('P1', { kind: 'scs-trial', date: '2024-01-10', verdict: 'pass', reasons: ['ok'] });
    registry.addProcedure('P1', { kind: 'ipg-implant', date: '2024-01-20' });
    expect(() => registry.addProcedure('P1', { kind: 'explant', date: '2024-05-01' })).toThrow(/reason/);
    expect(() => registry.addProcedure('P1', { kind: 'drez', date: '2024-02-30' })).toThrow(/calendar date/);
    expect(
      registry.addProcedure('P1', { kind: 'explant', date: '2024-05-01', reasons: ['loss of efficacy'] }).reasons,
    ).toEqual(['loss of efficacy']);
  });

  it('follow-up visits: on the schedule, once each; final is the latest month visit', async () => {
    registry.addFollowUp('P1', { visit: 'baseline', date: null, nrs: 10, pdi: 60 });
    registry.addFollowUp('P1', { visit: '24m', date: '2026-01-01', nrs: 3, pdi: null });
    registry.addFollowUp('P1', { visit: '6m', date: '2024-07-01', nrs: 5, pdi: 30 });
    expect(() => registry.addFollowUp('P1', { visit: '6m', date: null, nrs: 5, pdi: null })).toThrow(
      /already has a 6m visit/,
    );
    expect(() => registry.addFollowUp('P1', { visit: '30m', date: null, nrs: 5, pdi: null })).toThrow(
      /not on the follow-up schedule/,
    );
    expect(() => registry.addFollowUp('P1', { visit: '36m', date: null, nrs: null, pdi: null })).toThrow(
      /needs an NRS/,
    );
    expect(() => registry.addFollowUp('P1', { visit: '36m', date: null, nrs: 11, pdi: null })).toThrow(/0–10/);
    const record = await patientRecord(registry, 'P1');
    expect(record.followUps.map((f) => [f.visit.label, f.reliefPercent])).toEqual([
      ['baseline', null],
      ['6m', 50],
      ['24m', 70],
    ]);
    const [row] = cohortFromRegistry(registry);
    // NRS final from 24m; PDI final from the latest visit that has one (6m).
    expect(row!.nrs).toEqual({ baseline: 10, post: null, final: 3 });
    expect(row!.pdi).toEqual({ baseline: 60, post: null, final: 30 });
  });

  it('complications belong to the patient and may point at one of their procedures', () => {
    registry.addPatient('P2', fields);
    const drez = registry.addProcedure('P2', { kind: 'drez', date: '2024-01-10' });
    expect(() =>
      registry.addComplication('P1', {
        category: 'neurological',
        severity: 'mild',
        description: 'segmental sensory loss',
        date: null,
        procedureId: drez.id,
      }),
    ).toThrow(/has no procedure/);
    const c = registry.addComplication('P2', {
      category: 'neurological',
      severity: 'mild',
      description: 'segmental sensory loss',
      date: '2024-01-12',
      procedureId: drez.id,
    });
    expect(registry.complications('P2')).toEqual([c]);
  });

  it('the SQL constraints hold even if the checks in code are bypassed', () => {
    expect(() =>
      registry.db
        .prepare("INSERT INTO outcome_followups (patient_id, visit, nrs, recorded_at) VALUES ('P1', '1m', 11, 'x')")
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      registry.db
        .prepare("INSERT INTO outcome_procedures (patient_id, kind, recorded_at) VALUES ('P1', 'scs-trial', 'x')")
        .run(),
    ).toThrow(/CHECK/);
    expect(() =>
      registry.db
        .prepare("INSERT INTO outcome_procedures (patient_id, kind, recorded_at) VALUES ('nobody', 'drez', 'x')")
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('refuses names as ids and implausible fields', () => {
    expect(() => registry.addPatient('Jane Doe', fields)).toThrow(RegistryError);
    expect(() => registry.addPatient('P3', { ...fields, age: 150 })).toThrow(/age 150/);
    expect(() => registry.addPatient('P3', { ...fields, cost: 100 })).toThrow(/currency/);
    expect(() => registry.addPatient('P1', fields)).toThrow(/already in the registry/);
  });
});

describe('the trial verdict from the diary', () => {
  const at = (h: number) =>
    parseInstant(new Date(Date.UTC(2024, 0, 1) + h * 3_600_000).toISOString().replace('Z', '+00:00'));
  const e = (h: number, phase: 'baseline' | 'trial', f: Partial<DiaryEntry>): DiaryEntry => ({
    at: at(h),
    recordedAt: null,
    phase,
    nrs: null,
    pdi: null,
    pdiDomains: null,
    activity: null,
    note: null,
    ...f,
  });

  it('scs patient procedure --from-diary records the criterion verdict with its reasons', async () => {
    const diary = await DiaryStore.beside(registry.db);
    for (const [h, nrs] of [
      [0, 8],
      [12, 8],
      [24, 8],
    ] as const)
      await diary.add('P9', e(h, 'baseline', { nrs }));
    for (let h = 48; h <= 120; h += 12) await diary.add('P9', e(h, 'trial', { nrs: 4 }));
    await diary.add('P9', e(121, 'trial', { activity: 'improved' }));
    registry.addPatient('P9', fields);
    registry.close();
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
    registry = OutcomeRegistry.open({ dataDir: dir });
    const [trial] = registry.procedures('P9');
    expect(trial!.verdict).toBe('pass');
    expect(trial!.reasons.join(' ')).toMatch(/Baseline NRS 8/);
    const shown = await cli(patientCommand, ['show', '--patient', 'P9']);
    expect(shown).toMatch(/Trial diary: 11 entries; criterion verdict PASS/);
  });
});

describe('scs followup via the CLI', () => {
  it('adds visits with PDI domains and lists relief', async () => {
    registry.addPatient('P5', fields);
    registry.close();
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
    registry = OutcomeRegistry.open({ dataDir: dir });
  });
});
