/**
 * Issue 17: several stations (separate processes) writing for the same patient at the same time, on
 * one PostgreSQL server or on one SQLite file, lose nothing and duplicate nothing (on SQLite no write
 * fails with "database is locked": writes wait for the lock, see src/store/write-transaction.ts). Every station tries an NRS at each
 * instant of one shared schedule, so they race for every instant: exactly one wins each (the others
 * are refused), and every entry a station was told is stored is there, once.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { bundleWriter } from '../reliability/kill-writer.js';
import { STORE_KINDS, cleanup, target, targetArg } from './store-kinds.js';

afterAll(cleanup);

const STATIONS = 8;
const COUNT = 40;
let writer: string;
beforeAll(() => {
  // Bundled once so the stations start together, fast.
  writer = bundleWriter('test/fixtures/diary/station-writer.ts');
});

/** One station process on the store `where` (a postgres:// URL or a data directory); resolves its lines. */
function station(where: string, n: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, where, String(n), String(COUNT)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) =>
      code === 0 && out.endsWith('done\n')
        ? resolve(out.trim().split('\n').slice(0, -1))
        : reject(new Error(`station ${n} exited ${code}: ${err}`)),
    );
  });
}

describe.each(STORE_KINDS)('several stations writing for one patient on one %s store', (kind) => {
  it(
    'every acknowledged entry is stored exactly once, and each instant has exactly one NRS',
    { timeout: 180_000 },
    async () => {
      const t = await target(kind);
      // The schema exists before the stations start, as after `scs db migrate`.
      await (await DiaryStore.open(t)).close();
      const lines = (await Promise.all(Array.from({ length: STATIONS }, (_, i) => station(targetArg(t), i)))).flat();
      const acks = lines.filter((l) => l.startsWith('ack ')).map((l) => l.split(' '));
      const dups = lines.filter((l) => l.startsWith('dup '));
      const store = await DiaryStore.open(t);
      try {
        const history = await store.history('P-shared');
        // Nothing duplicated: the store holds exactly the acknowledged rows, each id once.
        expect(history.map((e) => e.id).sort((a, b) => a - b)).toEqual(
          acks.map((a) => Number(a[1])).sort((a, b) => a - b),
        );
        const byId = new Map(history.map((e) => [e.id, e]));
        // Nothing lost or altered: every acknowledged entry is there with its instant.
        for (const [, id, at] of acks) expect(byId.get(Number(id))?.at.text).toBe(at);
        // Each station's own activity entries all landed; each shared instant went to exactly one station.
        expect(acks.filter((a) => a[3] === 'activity')).toHaveLength(STATIONS * COUNT);
        const nrs = history.filter((e) => e.nrs !== null);
        expect(nrs).toHaveLength(COUNT);
        expect(new Set(nrs.map((e) => e.at.ms)).size).toBe(COUNT);
        expect(dups).toHaveLength((STATIONS - 1) * COUNT);
      } finally {
        await store.close();
      }
    },
  );
});
