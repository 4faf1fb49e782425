/**
 * The migration that lets entries say 'web' or 'bedside' rebuilds diary_entries: every older row must
 * survive unchanged (ids, corrections), and the table must stay append-only.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DIARY_MIGRATIONS, DiaryStore } from '../../src/diary/diary-store.js';
import { applyMigrations, openDatabase } from '../../src/store/database.js';
import { entry } from '../diary/helpers.js';
import { tempDataDir } from './web-helpers.js';

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('entry sources migration', () => {
  it('keeps every row of a database made before it, and entries stay append-only', async () => {
    dir = tempDataDir();
    const db = openDatabase({ dataDir: dir });
    applyMigrations(db, 'diary', DIARY_MIGRATIONS.slice(0, 1));
    db.prepare("INSERT INTO diary_patients (id, created_at) VALUES ('P-1', '2024-03-01T08:00Z')").run();
    const insert = db.prepare(
      `INSERT INTO diary_entries (patient_id, at, at_ms, recorded_at, recorded_ms, phase, nrs, source, supersedes, correction_reason)
       VALUES ('P-1', ?, ?, '2024-03-01T09:00Z', 0, 'trial', ?, ?, ?, ?)`,
    );
    insert.run('2024-03-01T08:00Z', Date.UTC(2024, 2, 1, 8), 7, 'add', null, null);
    insert.run('2024-03-01T08:00Z', Date.UTC(2024, 2, 1, 8), 6, 'correction', 1, 'misread');
    insert.run('2024-03-02T08:00Z', Date.UTC(2024, 2, 2, 8), 5, 'import', null, null);
    expect(() => insert.run('2024-03-03T08:00Z', 0, 5, 'web', null, null)).toThrow(/CHECK/);
    db.close();

    const store = await DiaryStore.open({ dataDir: dir });
    try {
      const history = await store.history('P-1');
      expect(history.map((e) => [e.id, e.nrs, e.source, e.supersedes, e.supersededBy])).toEqual([
        [1, 7, 'add', null, 2],
        [2, 6, 'correction', 1, null],
        [3, 5, 'import', null, null],
      ]);
      const web = await store.add('P-1', entry('2024-03-04T08:00Z', 'trial', { nrs: 4 }), 'web');
      const bedside = await store.add('P-1', entry('2024-03-05T08:00Z', 'trial', { nrs: 3 }), 'bedside');
      expect([web.id, web.source, bedside.id, bedside.source]).toEqual([4, 'web', 5, 'bedside']);
      expect(() => store.db.prepare('UPDATE diary_entries SET nrs = 0 WHERE id = 1').run()).toThrow(/append-only/);
      expect(() => store.db.prepare('DELETE FROM diary_entries WHERE id = 4').run()).toThrow(/append-only/);
      expect(() =>
        store.db
          .prepare(
            "INSERT INTO diary_entries (patient_id, at, at_ms, recorded_at, recorded_ms, phase, nrs, source) VALUES ('P-1', 'x', 0, 'x', 0, 'trial', 1, 'phone')",
          )
          .run(),
      ).toThrow(/CHECK/);
    } finally {
      await store.close();
    }
  });
});
