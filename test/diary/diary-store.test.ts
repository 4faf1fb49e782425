import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiaryStore, DiaryStoreError } from '../../src/diary/diary-store.js';
import { parseInstant } from '../../src/diary/instant.js';
import type { StoreOptions } from '../../src/store/sql-store.js';
import { STORE_KINDS, cleanup, target } from '../store/store-kinds.js';
import { entry } from './helpers.js';

let where: StoreOptions;
let clock: number;
const open = () => DiaryStore.open({ ...where, now: () => new Date(clock) });
afterEach(cleanup);

const nrs = (at: string, value: number, phase: 'baseline' | 'trial' = 'trial') => entry(at, phase, { nrs: value });

// The same contract on both databases (issue 17): only how the store is selected differs.
describe.each(STORE_KINDS)('DiaryStore on %s', (kind) => {
  beforeEach(async () => {
    where = await target(kind);
    clock = Date.UTC(2024, 2, 31, 7, 0);
  });

  it('keeps entries, the instant described and the time recorded across close and reopen', async () => {
    const store = await open();
    const a = await store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    await store.add(
      'P-001',
      entry('2024-03-30T08:00+01:00', 'baseline', { pdi: 28, pdiDomains: [1, 2, 3, 4, 5, 6, 7], note: 'tired' }),
    );
    await store.setTrial('P-001', { start: parseInstant('2024-03-29T08:00+01:00') });
    await store.close();
    const again = await open();
    const entries = await again.current('P-001');
    expect(entries.map((e) => e.at.text)).toEqual(['2024-03-30T08:00+01:00', '2024-03-31T08:00+02:00']);
    expect(entries[0]).toMatchObject({
      pdi: 28,
      pdiDomains: [1, 2, 3, 4, 5, 6, 7],
      note: 'tired',
      phase: 'baseline',
      source: 'add',
    });
    expect(entries[1]!.id).toBe(a.id);
    expect(entries[1]!.recordedAt.ms).toBe(clock);
    expect((await again.getPatient('P-001'))?.trialStart?.text).toBe('2024-03-29T08:00+01:00');
    expect(await again.listPatients()).toEqual(['P-001']);
    await again.close();
    if (kind === 'sqlite')
      for (const f of fs.readdirSync(where.dataDir!))
        expect(fs.statSync(path.join(where.dataDir!, f)).mode & 0o777).toBe(0o600);
  });

  it('rejects a second NRS at the same instant (same epoch ms, any offset) for the same patient only', async () => {
    const store = await open();
    await store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    await expect(store.add('P-001', nrs('2024-03-31T06:00:00.000Z', 5))).rejects.toThrow(
      /already has an NRS at 2024-03-31T08:00\+02:00/,
    );
    await store.add('P-002', nrs('2024-03-31T06:00Z', 5)); // another patient
    await store.add('P-001', entry('2024-03-31T06:00Z', 'trial', { activity: 'improved' })); // not an NRS
    expect(await store.current('P-001')).toHaveLength(2);
    await store.close();
  });

  it('a second NRS at one instant is refused by a unique constraint of the database, not only by the check before it', async () => {
    const store = await open();
    const first = await store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    // Straight past the store's own check: the row another station would insert after checking too early.
    const insert = sql`INSERT INTO diary_entries (patient_id, at, at_ms, recorded_at, recorded_ms, phase, nrs, source, nrs_key)
      VALUES ('P-001', '2024-03-31T06:00Z', ${first.at.ms}, '2024-03-31T06:00Z', 0, 'trial', 5, 'add', 'w0')`;
    await expect(insert.execute(store.store.db)).rejects.toThrow(/unique|UNIQUE/);
    expect((await store.current('P-001')).map((e) => e.nrs)).toEqual([4]);
    await store.close();
  });

  it('is append-only: SQL UPDATE and DELETE on entries are refused by the database itself', async () => {
    const store = await open();
    await store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    await expect(sql`UPDATE diary_entries SET nrs = 0`.execute(store.store.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM diary_entries`.execute(store.store.db)).rejects.toThrow(/append-only/);
    if (kind === 'postgres')
      await expect(sql`TRUNCATE diary_entries CASCADE`.execute(store.store.db)).rejects.toThrow(/append-only/);
    expect((await store.current('P-001'))[0]!.nrs).toBe(4);
    await store.close();
  });

  it('corrects by superseding with a reason; the history stays readable; nothing is deleted', async () => {
    const store = await open();
    const first = await store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    clock += 3_600_000;
    const fixed = await store.correct('P-001', first.id, nrs('2024-03-31T08:00+02:00', 5), 'patient misread the scale');
    expect(fixed).toMatchObject({
      supersedes: first.id,
      correctionReason: 'patient misread the scale',
      nrs: 5,
      source: 'correction',
    });
    expect((await store.current('P-001')).map((e) => e.nrs)).toEqual([5]);
    const history = await store.history('P-001');
    expect(history.map((e) => [e.id, e.nrs, e.supersededBy])).toEqual([
      [first.id, 4, fixed.id],
      [fixed.id, 5, null],
    ]);
    await expect(store.correct('P-001', first.id, nrs('2024-03-31T08:00+02:00', 6), 'again')).rejects.toThrow(
      /already corrected by entry/,
    );
    await expect(store.correct('P-001', fixed.id, null, '  ')).rejects.toThrow(/needs a reason/);
    await expect(store.correct('P-001', 999, null, 'x')).rejects.toThrow(/no diary entry 999/);
    await expect(store.correct('P-002', fixed.id, null, 'x')).rejects.toThrow(/no diary entry/);
    const withdrawn = await store.correct('P-001', fixed.id, null, 'entered for the wrong patient');
    expect(withdrawn.voided).toBe(true);
    expect(await store.current('P-001')).toEqual([]);
    expect(await store.history('P-001')).toHaveLength(3);
    // the instant is free again after a withdrawal, and again after a second one
    const again = await store.add('P-001', nrs('2024-03-31T08:00+02:00', 3));
    await store.correct('P-001', again.id, null, 'duplicate of the paper diary');
    await store.add('P-001', nrs('2024-03-31T08:00+02:00', 2));
    expect((await store.current('P-001')).map((e) => e.nrs)).toEqual([2]);
    await store.close();
  });

  it('a correction may not collide with another current NRS', async () => {
    const store = await open();
    await store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    const b = await store.add('P-001', nrs('2024-03-31T12:00+02:00', 4));
    await expect(store.correct('P-001', b.id, nrs('2024-03-31T08:00+02:00', 4), 'wrong time')).rejects.toThrow(
      DiaryStoreError,
    );
    expect(await store.history('P-001')).toHaveLength(2);
    await store.close();
  });

  it('imports all rows or none, reporting duplicates by line', async () => {
    const store = await open();
    await store.add('P-001', nrs('2024-03-31T08:00+02:00', 4));
    const rows = [
      { line: 2, entry: nrs('2024-03-30T08:00+01:00', 5) },
      { line: 3, entry: nrs('2024-03-31T08:00+02:00', 5) },
      { line: 4, entry: nrs('2024-04-01T08:00+02:00', 5) },
      { line: 5, entry: nrs('2024-04-01T06:00Z', 6) },
    ];
    const error = await store.importRows('P-001', rows).then(
      () => undefined,
      (err: unknown) => err as DiaryStoreError,
    );
    expect(error?.problems.map((p) => p.line)).toEqual([3, 5]);
    expect(await store.history('P-001')).toHaveLength(1);
    const ok = await store.importRows('P-001', [rows[0]!, rows[2]!]);
    expect(ok.map((e) => e.source)).toEqual(['import', 'import']);
    expect(await store.current('P-001')).toHaveLength(3);
    await store.close();
  });

  it('keeps a recorded time given by an import, and uses the import time otherwise', async () => {
    const store = await open();
    const recordedAt = parseInstant('2024-03-30T09:00+01:00');
    const [a, b] = await store.importRows('P-001', [
      { line: 2, entry: { ...nrs('2024-03-30T08:00+01:00', 5), recordedAt } },
      { line: 3, entry: nrs('2024-03-30T12:00+01:00', 5) },
    ]);
    expect(a!.recordedAt.text).toBe('2024-03-30T09:00+01:00');
    expect(b!.recordedAt.ms).toBe(clock);
    await store.close();
  });

  it('refuses a patient id that is not pseudonymous, storing nothing', async () => {
    const store = await open();
    await expect(store.add('Jane Doe', nrs('2024-03-31T08:00+02:00', 4))).rejects.toThrow(/not a pseudonymous id/);
    await expect(store.add('', nrs('2024-03-31T08:00+02:00', 4))).rejects.toThrow(/patient id is required/);
    expect(await store.listPatients()).toEqual([]);
    await expect(
      store.setTrial('P-1', { start: parseInstant('2024-03-31T08:00Z'), end: parseInstant('2024-03-30T08:00Z') }),
    ).rejects.toThrow(/before trial start/);
    expect(await store.listPatients()).toEqual([]);
    await store.close();
  });
});
