/**
 * PostgreSQL's equivalent of the SQLite file header check: a database holding tables but no
 * `scs_store` row is someone else's, and one whose store format is newer than this program is refused.
 * Both are decided by reading only, before anything is written. An empty database is marked (format,
 * application id, a random site id) in one transaction, unless the command only reads.
 */
import { sql } from 'kysely';
import { type AnyDb, transactionOn } from './write-transaction.js';
import { APPLICATION_ID, DatabaseFileError, FILE_FORMAT_VERSION } from './database.js';

/** Serialises marking and migrating across stations that start at the same time. */
export const SCHEMA_LOCK = 'scs-companion schema';

export interface StoreMark {
  application_id: number;
  format_version: number;
  site_id: string;
}

export async function readMark(db: AnyDb): Promise<StoreMark | undefined> {
  const { rows } = await sql<StoreMark>`SELECT application_id, format_version, site_id FROM scs_store`.execute(db);
  return rows[0];
}

async function tablesHere(db: AnyDb): Promise<string[]> {
  const { rows } = await sql<{
    name: string;
  }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(db);
  return rows.map((r) => r.name);
}

export async function checkPostgresStore(db: AnyDb, mustExist: boolean): Promise<void> {
  const tables = await tablesHere(db);
  if (tables.includes('scs_store')) {
    checkMark(await readMark(db));
    return;
  }
  if (tables.length > 0) {
    throw new DatabaseFileError(
      `this PostgreSQL database holds tables scs-companion did not create (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', ...' : ''}). ` +
        'It was left untouched; give scs an empty database of its own.',
    );
  }
  if (mustExist)
    throw new DatabaseFileError(
      "this PostgreSQL database holds no scs-companion store yet; create it with 'scs db migrate'.",
    );
  await transactionOn(db, 'postgres', SCHEMA_LOCK, async (conn) => {
    await sql`CREATE TABLE IF NOT EXISTS scs_store (
      one INTEGER PRIMARY KEY DEFAULT 1 CHECK (one = 1),
      application_id INTEGER NOT NULL,
      format_version INTEGER NOT NULL,
      site_id TEXT NOT NULL CHECK (length(site_id) BETWEEN 1 AND 64),
      created_at TEXT NOT NULL)`.execute(conn);
    await sql`INSERT INTO scs_store (application_id, format_version, site_id, created_at)
      VALUES (${APPLICATION_ID}, ${FILE_FORMAT_VERSION}, 'site-' || substr(md5(random()::text || clock_timestamp()::text), 1, 16), ${new Date().toISOString()})
      ON CONFLICT (one) DO NOTHING`.execute(conn);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      component TEXT NOT NULL, step INTEGER NOT NULL, sql_sha256 TEXT NOT NULL, applied_at TEXT NOT NULL,
      PRIMARY KEY (component, step))`.execute(conn);
  });
}

function checkMark(mark: StoreMark | undefined): void {
  if (!mark || mark.application_id !== APPLICATION_ID) {
    throw new DatabaseFileError(
      'this PostgreSQL database has an scs_store table that scs-companion did not write. It was left untouched.',
    );
  }
  if (mark.format_version > FILE_FORMAT_VERSION) {
    throw new DatabaseFileError(
      `this PostgreSQL database was written by a newer scs-companion (store format ${mark.format_version}, this one reads ${FILE_FORMAT_VERSION}). It was left untouched; upgrade scs-companion.`,
    );
  }
}
