import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { type Db, type OpenDatabaseOptions, openDatabase } from './database.js';
import { redactDatabaseUrl, resolveDatabaseUrl, scrubSecrets } from './database-url.js';
import { DatabaseFileError } from './database.js';
import { checkPostgresStore } from './pg-marker.js';
import { DatabaseUnreachableError, isServerUnreachable } from './unreachable.js';
import { type AnyDb, transactionOn } from './write-transaction.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface StoreOptions extends OpenDatabaseOptions {
  /** From `--database-url`; wins over $SCS_DATABASE_URL. */
  databaseUrl?: string | undefined;
}

/**
 * One store, two databases: a Kysely handle over the SQLite file (better-sqlite3, opened with all the
 * checks of database.ts) or over a PostgreSQL server (pg). Components write their queries once with
 * Kysely's builder; the few dialect differences (BEGIN IMMEDIATE, advisory locks, migration SQL) live
 * here and in dialect-migrations.ts. Kysely was chosen because it is a typed builder, not an ORM: the
 * SQL stays visible, both dialects are first-class, and better-sqlite3 keeps its durability settings.
 */
export interface SqlStore {
  readonly kind: StoreKind;
  /** Where the data lives, safe to print (file path, or the URL without credentials). */
  readonly location: string;
  // Kysely<any>: each component narrows it to its own tables with `withTables<T>()`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  /** The better-sqlite3 handle (SQLite only): pragmas, sync tests. */
  readonly sqlite: Db | undefined;
  /** SQLite: how long a write waits for other processes' writes (write-transaction.ts). */
  readonly lockWaitMs?: number | undefined;
  close(): Promise<void>;
}

/** Opens the store the options select: PostgreSQL when a URL is given, else the SQLite file. */
export async function openSqlStore(options: StoreOptions = {}): Promise<SqlStore> {
  const url = resolveDatabaseUrl(options);
  return url
    ? openPostgres(url, options.mustExist ?? false)
    : sqliteStore(openDatabase(options), { lockWaitMs: options.lockWaitMs });
}

/** A store over an open SQLite handle; `shared`: the handle belongs to someone else, close() leaves it open. */
export function sqliteStore(raw: Db, options: { shared?: boolean; lockWaitMs?: number | undefined } = {}): SqlStore {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
  return {
    kind: 'sqlite',
    location: raw.name,
    db,
    sqlite: raw,
    lockWaitMs: options.lockWaitMs,
    close: async () => (options.shared ? undefined : db.destroy()),
  };
}

/** The same store for a component that does not own it: its close() leaves the store open. */
export function borrowed(store: SqlStore): SqlStore {
  return { ...store, close: async () => undefined };
}

/** Whether `table` exists in the store (reads only: a read-only command creates nothing). */
export async function tableExists(store: SqlStore, table: string): Promise<boolean> {
  const { rows } =
    store.kind === 'sqlite'
      ? await sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ${table}`.execute(store.db)
      : await sql`SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ${table}`.execute(
          store.db,
        );
  return rows.length > 0;
}

// int8 (counts, epoch milliseconds) as numbers, like better-sqlite3 gives them: they stay below 2^53.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

async function openPostgres(url: string, mustExist: boolean): Promise<SqlStore> {
  const pool = new pg.Pool({ connectionString: url, types, max: 4, connectionTimeoutMillis: 10_000 });
  // A client losing its server (restart, outage) must not crash the process: the query in flight
  // rejects by itself, and the pool replaces the client. Idle clients report through the pool,
  // checked-out ones through their own 'error' event.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    await checkPostgresStore(db, mustExist);
  } catch (err) {
    await db.destroy();
    if (err instanceof DatabaseFileError) throw err;
    const message = `cannot use the PostgreSQL database ${redactDatabaseUrl(url)}: ${scrubSecrets((err as Error).message, url)}${tlsHint(err)}`;
    // Unreachable (not refused): a station may go on from its own copies (session/patient-binding.ts).
    throw isServerUnreachable(err) ? new DatabaseUnreachableError(message) : new DatabaseFileError(message);
  }
  return { kind: 'postgres', location: redactDatabaseUrl(url), db, sqlite: undefined, close: () => db.destroy() };
}

/** Node's codes for a server certificate that was not accepted (TLS, sslmode=verify-full). */
const CERTIFICATE_REFUSED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function tlsHint(err: unknown): string {
  const code = (err as { code?: string }).code;
  return code && CERTIFICATE_REFUSED.has(code)
    ? ` (the server's TLS certificate was not accepted: sslrootcert= must name the CA that signed it, and the host in the URL must be a name the certificate carries)`
    : '';
}

/** Runs `fn` in one write transaction serialised on `lockKey` (see write-transaction.ts). */
export function writeTransaction<T>(store: SqlStore, lockKey: string, fn: (trx: AnyDb) => Promise<T>): Promise<T> {
  return transactionOn(store.db, store.kind, lockKey, fn, { lockWaitMs: store.lockWaitMs, location: store.location });
}
