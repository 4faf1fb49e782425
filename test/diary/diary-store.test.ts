import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiaryStore, DiaryStoreError } from '../../src/diary/diary-store.js';
import { parseInstant } from '../../src/diary/instant.js';
import { entry } from './helpers.js';

let dir: string;
let clock: number;
const open = () => DiaryStore.open({ dataDir: dir, now: () => new Date(clock) });
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-diary-'));
  clock = Date.UTC(2024, 2, 31, 7, 0);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const nrs = (at: string, value: number, phase: 'baseline' | 'trial' = 'trial') => entry(at, phase, { nrs: value });

describe('DiaryStore', () => {
  it('keeps entries, the instant described and the time recorded across close and reopen', () => {
    const store = open();
    const a = store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    store.add('P-001', entry('2024-03-30T08:00+01:00', 'baseline', { pdi: 28, pdiDomains: [1, 2, 3, 4, 5, 6, 7], note: 'tired' }));
    store.setTrial('P-001', { start: parseInstant('2024-03-29T08:00+01:00') });
    store.close();
    const again = open();
    const entries = again.current('P-001');
    expect(entries.map((e) => e.at.text)).toEqual(['2024-03-30T08:00+01:00', '2024-03-31T08:00+02:00']);
    expect(entries[0]).toMatchObject({ pdi: 28, pdiDomains: [1, 2, 3, 4, 5, 6, 7], note: 'tired', phase: 'baseline', source: 'add' });
    expect(entries[1]!.id).toBe(a.id);
    expect(entries[1]!.recordedAt.ms).toBe(clock);
    expect(again.getPatient('P-001')?.trialStart?.text).toBe('2024-03-29T08:00+01:00');
    expect(again.listPatients()).toEqual(['P-001']);
    again.close();
    for (const f of fs.readdirSync(dir)) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
  });

  it('rejects a second NRS at the same instant (same epoch ms, any offset) for the same patient only', () => {
    const store = open();
    store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    expect(() => store.add('P-001', nrs('2024-03-31T06:00:00.000Z', 5))).toThrow(/already has an NRS at 2024-03-31T08:00\+02:00/);
    store.add('P-002', nrs('2024-03-31T06:00Z', 5)); // another patient
    store.add('P-001', entry('2024-03-31T06:00Z', 'trial', { activity: 'improved' })); // not an NRS
    expect(store.current('P-001')).toHaveLength(2);
    store.close();
  });

  it('is append-only: SQL UPDATE and DELETE on entries are refused by the database itself', () => {
    const store = open();
    store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    expect(() => store.db.prepare('UPDATE diary_entries SET nrs = 0').run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM diary_entries').run()).toThrow(/append-only/);
    expect(store.current('P-001')[0]!.nrs).toBe(4);
    store.close();
  });

  it('corrects by superseding with a reason; the history stays readable; nothing is deleted', () => {
    const store = open();
    const first = store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    clock += 3_600_000;
    const fixed = store.correct('P-001', first.id, nrs('2024-03-31T08:00+02:00', 5), 'patient misread the scale');
    expect(fixed).toMatchObject({ supersedes: first.id, correctionReason: 'patient misread the scale', nrs: 5, source: 'correction' });
    expect(store.current('P-001').map((e) => e.nrs)).toEqual([5]);
    const history = store.history('P-001');
    expect(history.map((e) => [e.id, e.nrs, e.supersededBy])).toEqual([
      [first.id, 4, fixed.id],
      [fixed.id, 5, null],
    ]);
    expect(() => store.correct('P-001', first.id, nrs('2024-03-31T08:00+02:00', 6), 'again')).toThrow(/already corrected by entry/);
    expect(() => store.correct('P-001', fixed.id, null, '  ')).toThrow(/needs a reason/);
    expect(() => store.correct('P-001', 999, null, 'x')).toThrow(/no diary entry 999/);
    expect(() => store.correct('P-002', fixed.id, null, 'x')).toThrow(/no diary entry/);
    const withdrawn = store.correct('P-001', fixed.id, null, 'entered for the wrong patient');
    expect(withdrawn.voided).toBe(true);
    expect(store.current('P-001')).toEqual([]);
    expect(store.history('P-001')).toHaveLength(3);
    // the instant is free again after a withdrawal
    store.add('P-001', nrs('2024-03-31T08:00+02:00', 3));
    store.close();
  });

  it('a correction may not collide with another current NRS', () => {
    const store = open();
    store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    const b = store.add('P-001', nrs('2024-03-31T12:00+02:00', 4));
    expect(() => store.correct('P-001', b.id, nrs('2024-03-31T08:00+02:00', 4), 'wrong time')).toThrow(DiaryStoreError);
    expect(store.history('P-001')).toHaveLength(2);
    store.close();
  });

  it('imports all rows or none, reporting duplicates by line', () => {
    const store = open();
    store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    const rows = [
      { line: 2, entry: nrs('2024-03-30T08:00+01:00', 5) },
      { line: 3, entry: nrs('2024-03-31T08:00+02:00', 5) },
      { line: 4, entry: nrs('2024-04-01T08:00+02:00', 5) },
      { line: 5, entry: nrs('2024-04-01T06:00Z', 6) },
    ];
    let error: DiaryStoreError | undefined;
    try {
      store.importRows('P-001', rows);
    } catch (err) {
      error = err as DiaryStoreError;
    }
    expect(error?.problems.map((p) => p.line)).toEqual([3, 5]);
    expect(store.history('P-001')).toHaveLength(1);
    const ok = store.importRows('P-001', [rows[0]!, rows[2]!]);
    expect(ok.map((e) => e.source)).toEqual(['import', 'import']);
    expect(store.current('P-001')).toHaveLength(3);
    store.close();
  });

  it('keeps a recorded time given by an import, and uses the import time otherwise', () => {
    const store = open();
    const recordedAt = parseInstant('2024-03-30T09:00+01:00');
    const [a, b] = store.importRows('P-001', [
      { line: 2, entry: { ...nrs('2024-03-30T08:00+01:00', 5), recordedAt } },
      { line: 3, entry: nrs('2024-03-30T12:00+01:00', 5) },
    ]);
    expect(a!.recordedAt.text).toBe('2024-03-30T09:00+01:00');
    expect(b!.recordedAt.ms).toBe(clock);
    store.close();
  });

  it('refuses a patient id that is not pseudonymous, storing nothing', () => {
    const store = open();
    expect(() => store.add('Jane Doe', nrs('2024-03-31T08:00+02:00', 4))).toThrow(/not a pseudonymous id/);
    expect(() => store.add('', nrs('2024-03-31T08:00+02:00', 4))).toThrow(/patient id is required/);
    expect(store.listPatients()).toEqual([]);
    expect(() => store.setTrial('P-1', { start: parseInstant('2024-03-31T08:00Z'), end: parseInstant('2024-03-30T08:00Z') })).toThrow(/before trial start/);
    expect(store.listPatients()).toEqual([]);
    store.close();
  });
});
