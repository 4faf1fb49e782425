/**
 * One write transaction on one connection, for either database: BEGIN IMMEDIATE on SQLite (the write
 * lock up front, so a read-then-write never deadlocks another process), and on PostgreSQL a
 * transaction holding an advisory lock on `lockKey` (e.g. the patient id), so check-then-write rules
 * on one patient run one at a time across stations, while unique constraints stay the last line.
 * Everything inside must use the `trx` handed to `fn` (SQLite has one connection).
 */
import { type Kysely, sql } from 'kysely';

/** A Kysely handle whose tables each component narrows for itself. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

export async function transactionOn<T>(
  db: AnyDb,
  kind: 'sqlite' | 'postgres',
  lockKey: string,
  fn: (trx: AnyDb) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw(kind === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN').execute(conn);
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
