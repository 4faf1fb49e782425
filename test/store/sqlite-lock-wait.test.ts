/**
 * Issue 17: on the SQLite file, a write that finds another process holding the write lock waits for
 * it (past SQLite's own 5 s busy_timeout, which is not fair among many writers) instead of failing
 * with a raw "database is locked"; and when the lock truly stays taken, the write fails in words,
 * having written nothing. The lock is held by a separate process, as another station's `scs` would.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { UserError } from '../../src/errors/user-error.js';
import { DB_FILE_NAME } from '../../src/store/database.js';
import { entry as diaryEntry } from '../diary/helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function diaryDir(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-lock-'));
  dirs.push(dir);
  await (await DiaryStore.open({ dataDir: dir, env: {} })).close(); // the schema exists, as after a first add
  return dir;
}

/** Another process takes the file's write lock, holds it `ms`, then commits; resolves once it holds it. */
async function holdWriteLock(dir: string, ms: number): Promise<{ released: Promise<void> }> {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.argv[2]));
    db.exec('COMMIT');
    db.close();`;
  const child = spawn(process.execPath, ['-e', script, path.join(dir, DB_FILE_NAME), String(ms)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const released = new Promise<void>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`)))),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => (d.toString().includes('locked') ? resolve() : undefined));
    child.on('exit', () => reject(new Error('lock holder ended before it held the lock')));
  });
  return { released };
}

const entry = (nrs: number) => diaryEntry('2024-06-01T08:00Z', 'trial', { nrs });

describe('SQLite writes while another process holds the write lock', () => {
  it('a diary add waits past the 5 s busy timeout and the entry is stored', { timeout: 60_000 }, async () => {
    const dir = await diaryDir();
    const store = await DiaryStore.open({ dataDir: dir, env: {} }); // open first: the add starts waiting at once
    try {
      const holder = await holdWriteLock(dir, 8000);
      const added = await store.add('P-lock', entry(5));
      await holder.released;
      expect(added.nrs).toBe(5);
      expect((await store.history('P-lock')).map((e) => e.nrs)).toEqual([5]);
    } finally {
      await store.close();
    }
  });

  it('a lock held past the whole wait fails in words, and nothing is written', { timeout: 60_000 }, async () => {
    const dir = await diaryDir();
    const store = await DiaryStore.open({ dataDir: dir, env: {}, lockWaitMs: 1000 });
    try {
      const holder = await holdWriteLock(dir, 4000);
      const failed = await store.add('P-lock', entry(6)).then(
        () => null,
        (e: unknown) => e,
      );
      await holder.released;
      expect(failed).toBeInstanceOf(UserError);
      expect((failed as Error).message).toMatch(
        new RegExp(
          `^${path.join(dir, DB_FILE_NAME)} stayed locked by other writers for \\d+ s, so this change was NOT stored`,
        ),
      );
      expect(await store.history('P-lock')).toEqual([]);
      // The lock gone, the same store writes again.
      expect((await store.add('P-lock', entry(7))).nrs).toBe(7);
    } finally {
      await store.close();
    }
  });
});
