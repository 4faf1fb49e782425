import { type Kysely, sql } from 'kysely';
import { UserError } from '../errors/user-error.js';

/** A Kysely handle whose tables each component narrows for itself. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

/**
 * How long a SQLite write waits for other processes' writes before it gives up. SQLite's own
 * busy_timeout (database.ts) is not fair: under many writers one can wait past it while others keep
 * winning, so BEGIN IMMEDIATE is tried again until this much time has passed.
 */
export const LOCK_WAIT_MS = 60_000;

export interface SqliteLockWait {
  /** Total wait for the write lock (default LOCK_WAIT_MS). */
  lockWaitMs?: number | undefined;
  /** The file, for the message when the wait runs out. */
  location?: string | undefined;
}

/** A SQLite write that could not get the write lock within the wait: nothing was written. */
export class DatabaseBusyError extends UserError {
  constructor(location: string, waitedMs: number) {
    super(
      `${location} stayed locked by other writers for ${Math.round(waitedMs / 1000)} s, so this change was NOT stored ` +
        '(nothing was written). Try again; if it happens again, look for an scs process that is stuck writing to this ' +
        'data directory.',
    );
    this.name = 'DatabaseBusyError';
  }
}

const isBusy = (err: unknown) => /^SQLITE_BUSY/.test(String((err as { code?: unknown }).code ?? ''));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** BEGIN IMMEDIATE, tried again (short, jittered pauses) while another process holds the write lock. */
async function beginImmediate(conn: AnyDb, wait: SqliteLockWait): Promise<void> {
  const waitMs = wait.lockWaitMs ?? LOCK_WAIT_MS;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await sql.raw('BEGIN IMMEDIATE').execute(conn);
      return;
    } catch (err) {
      const waited = Date.now() - started;
      if (!isBusy(err)) throw err;
      if (waited >= waitMs) throw new DatabaseBusyError(wait.location ?? 'the database', waited);
      await sleep(Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}

/**
 * One write transaction on one connection, for either database: BEGIN IMMEDIATE on SQLite (the write
 * lock up front, so a read-then-write never deadlocks another process), and on PostgreSQL a
 * transaction holding an advisory lock on `lockKey` (e.g. the patient id), so check-then-write rules
 * on one patient run one at a time across stations, while unique constraints stay the last line.
 * Everything inside must use the `trx` handed to `fn` (SQLite has one connection).
 */
export async function transactionOn<T>(
  db: AnyDb,
  kind: 'sqlite' | 'postgres',
  lockKey: string,
  fn: (trx: AnyDb) => Promise<T>,
  wait: SqliteLockWait = {},
): Promise<T> {
  return db.connection().execute(async (conn) => {
    if (kind === 'sqlite') await beginImmediate(conn, wait);
    else await sql.raw('BEGIN').execute(conn);
    try {
      if (kind === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext(${lockKey}))`.execute(conn);
      const result = await fn(conn);
      await sql.raw('COMMIT').execute(conn);
      return result;
    } catch (err) {
      try {
        await sql.raw('ROLLBACK').execute(conn);
      } catch {
        // the connection is gone (outage): the server rolls back by itself
      }
      throw err;
    }
  });
}
