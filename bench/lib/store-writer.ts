/**
 * One writer process of the store benchmark: opens the store (a data directory for the SQLite file,
 * or a postgres:// URL), says `ready`, waits for `go` on stdin, then adds COUNT diary entries for its
 * own patient, each its own transaction as `scs diary add` does, and prints one JSON line with its
 * first and last wall-clock millisecond how many entries the store acknowledged, and how many
 * it refused because the SQLite write lock stayed taken past the whole wait (DatabaseBusyError; before
 * the wait was added these were raw SQLITE_BUSY "database is locked" errors after 5 s).
 * Usage: node --import tsx bench/lib/store-writer.ts DATA_DIR|POSTGRES_URL PATIENT COUNT
 */
import { DiaryStore } from '../../src/diary/diary-store.js';
import { formatInstant, parseInstant } from '../../src/diary/instant.js';
import { DatabaseBusyError } from '../../src/store/write-transaction.js';

const [where, patient, countText] = process.argv.slice(2);
const count = Number(countText);
const store = await DiaryStore.open(
  where!.startsWith('postgres') ? { databaseUrl: where, env: {} } : { dataDir: where, env: {} },
);
const wallMs = () => performance.timeOrigin + performance.now();
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const start = Date.UTC(2024, 5, 1);
const t0 = wallMs();
let acked = 0;
// A write that never got the SQLite write lock (60 s): counted, not fatal, so the run reports it.
let busy = 0;
for (let i = 0; i < count; i++) {
  const at = parseInstant(formatInstant(start + i * 60_000, 60));
  const entry = {
    at,
    recordedAt: null,
    phase: 'trial' as const,
    nrs: i % 11,
    pdi: null,
    pdiDomains: null,
    activity: null,
    note: null,
  };
  try {
    await store.add(patient!, entry);
    acked++;
  } catch (err) {
    if (!(err instanceof DatabaseBusyError)) throw err;
    busy++;
  }
}
const t1 = wallMs();
await store.close();
process.stdout.write(`${JSON.stringify({ patient, acked, busy, startMs: t0, endMs: t1 })}\n`);
