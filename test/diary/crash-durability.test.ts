import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { killTrackedChildren, trackChild } from '../helpers/child-registry.js';
import { bundleWriter, diaryAcks, runUntilKilled } from '../reliability/kill-writer.js';
import { STORE_KINDS, cleanup, target, targetArg } from '../store/store-kinds.js';

const KILLS = 6;
let dir: string;
let writer: string;
beforeAll(() => {
  writer = bundleWriter();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-crash-'));
});
afterAll(() => {
  // A run cut short by its time limit leaves no writer behind.
  killTrackedChildren();
  fs.rmSync(dir, { recursive: true, force: true });
  cleanup();
});

// The same contract on both databases (issue 17): on PostgreSQL the writer is killed, the server lives on.
describe.each(STORE_KINDS)('crash durability on %s (SIGKILL in the middle of writes)', (kind) => {
  // Child processes start slowly on a busy machine: a generous limit, never a timing assertion.
  it(
    `loses no acknowledged entry over ${KILLS} kills, and the database stays intact`,
    { timeout: 180_000 },
    async () => {
      const where = kind === 'sqlite' ? { dataDir: dir } : await target(kind);
      const acknowledged = new Map<number, string>();
      for (let run = 0; run < KILLS; run++) {
        const killed = await runUntilKilled(writer, [targetArg(where), String(run)], {
          acks: 5 + Math.floor(Math.random() * 200),
        });
        const acks = diaryAcks(killed.acks);
        expect(acks.size).toBeGreaterThan(0);
        for (const [id, at] of acks) acknowledged.set(id, at);
        const store = await DiaryStore.open(where);
        try {
          if (kind === 'sqlite') expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
          const history = await store.history('P-crash');
          const stored = new Map(history.map((e) => [e.id, e.at.text]));
          for (const [id, at] of acknowledged) expect(stored.get(id)).toBe(at);
          // an import is all or nothing even when killed inside it: groups of three never split
          const imported = history.filter((e) => e.source === 'import');
          expect(imported.length % 3).toBe(0);
        } finally {
          await store.close();
        }
      }
      expect(acknowledged.size).toBeGreaterThan(KILLS * 5);
    },
  );
});

describe('several processes creating the same new database at once', () => {
  it('keep every entry (no process replaces a database another one just created)', { timeout: 180_000 }, async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-race-'));
    try {
      const script = path.resolve('test/fixtures/diary/add-one.ts');
      const runs = [0, 1, 2, 3, 4, 5].map(
        (n) =>
          new Promise<number>((resolve, reject) => {
            const child = trackChild(
              spawn(process.execPath, ['--import', 'tsx', script, fresh, String(n)], {
                stdio: ['ignore', 'pipe', 'inherit'],
              }),
            );
            let out = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.on('exit', (code) =>
              code === 0 ? resolve(Number(out.trim())) : reject(new Error(`child ${n} exited ${code}`)),
            );
          }),
      );
      const ids = await Promise.all(runs);
      const store = await DiaryStore.open({ dataDir: fresh });
      expect((await store.current('P-race')).map((e) => e.id).sort()).toEqual([...ids].sort());
      expect(await store.current('P-race')).toHaveLength(6);
      await store.close();
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
