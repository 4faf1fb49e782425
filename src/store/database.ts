import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../errors/user-error.js';
import { type DataDirOptions, resolveDataDir } from './data-dir.js';

// Where the data directory is lives in data-dir.ts (no SQLite there: the bedside UI needs only the path).
export { DATA_DIR_ENV, type DataDirOptions, resolveDataDir } from './data-dir.js';

export type Db = Database.Database;

/** 'SCSC' as a big-endian 32-bit integer: SQLite header offset 68 marks the file as ours. */
export const APPLICATION_ID = 0x53435343;
/** Version of the file's shape as managed here (migration table layout). Bumped only by this module. */
export const FILE_FORMAT_VERSION = 1;
export const DB_FILE_NAME = 'scs.db';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** SQLite's own wait for another process's lock, per attempt (writes try again, write-transaction.ts). */
const SQLITE_BUSY_MS = 5000;

/** Thrown for a file that must not be touched (foreign, corrupt, too new).  Kind 'input' (exit 1). */
export class DatabaseFileError extends UserError {
  constructor(message: string) {
    super(message, 'input');
    this.name = 'DatabaseFileError';
  }
}

/** Whether the data directory already holds a database (checks only; creates nothing). */
export function databaseExists(options: DataDirOptions = {}): boolean {
  return (fileSize(path.join(resolveDataDir(options), DB_FILE_NAME)) ?? 0) > 0;
}

export interface OpenDatabaseOptions extends DataDirOptions {
  /** Open an existing database only; a missing file is an error (for read-only commands). */
  mustExist?: boolean;
  /** How long a write waits for other processes' writes (default 60 s, write-transaction.ts). */
  lockWaitMs?: number | undefined;
}

/**
 * The companion's one embedded SQLite file (diary, outcomes, ...). Opening it is careful:
 * - a file that is not ours (foreign SQLite database, corrupt bytes, a newer format) is refused with a
 *   clear message BEFORE anything is written to it, so it is never overwritten;
 * - a new file is created under a temporary name, marked (application_id, user_version), then renamed
 *   into place, so `scs.db` is either absent or marked;
 * - WAL + synchronous=FULL: a commit that returned is on disk (survives a crash or power cut);
 * - the directory is 0700 and the files 0600.
 * Components add their tables with `applyMigrations` (through dialect-migrations.ts's applyStoreMigrations).
 *
 * Opens (creating if needed) `<data dir>/scs.db`; each component then migrates its own tables.
 */
export function openDatabase(options: OpenDatabaseOptions = {}): Db {
  const dir = resolveDataDir(options);
  const file = path.join(dir, DB_FILE_NAME);
  const size = fileSize(file);
  if (size === undefined || size === 0) {
    if (fs.existsSync(`${file}-wal`) && fileSize(`${file}-wal`)! > 0) {
      throw new DatabaseFileError(
        `${file}-wal exists but ${file} is missing or empty; refusing to start a new database beside it. ` +
          'Restore scs.db from a backup or move the -wal file away.',
      );
    }
    // Checked before anything is created: a command that only reads never makes the directory.
    if (options.mustExist) {
      throw new DatabaseFileError(
        `no database at ${file}; nothing has been stored in this data directory yet (see --data-dir).`,
      );
    }
    ensurePrivateDir(dir);
    createMarkedFile(file, size === 0);
  } else {
    ensurePrivateDir(dir);
    checkHeader(file);
  }
  const db = new Database(file, { fileMustExist: true });
  try {
    configure(db, file, Math.min(SQLITE_BUSY_MS, options.lockWaitMs ?? SQLITE_BUSY_MS));
    restrictFileModes(file);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Reads the first 100 bytes (never writes) and refuses anything that is not our SQLite file. */
function checkHeader(file: string): void {
  const header = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw new DatabaseFileError(
      `${file} is not a SQLite database (corrupt or another kind of file). It was left untouched; ` +
        'restore it from a backup, or choose another data directory with --data-dir.',
    );
  }
  const appId = header.readInt32BE(68);
  if (appId !== APPLICATION_ID) {
    throw new DatabaseFileError(
      `${file} is a SQLite database that scs-companion did not create (application_id ${appId}). ` +
        'It was left untouched; choose another data directory with --data-dir.',
    );
  }
  const version = header.readInt32BE(60);
  if (version > FILE_FORMAT_VERSION) {
    throw new DatabaseFileError(
      `${file} was written by a newer scs-companion (file format ${version}, this one reads ${FILE_FORMAT_VERSION}). ` +
        'It was left untouched; upgrade scs-companion.',
    );
  }
}

/**
 * Creates the marked file under a temporary name and links it into place (atomic on POSIX).
 * Exported for tests only: another process may create `file` between the caller's check and here.
 */
export function createMarkedFile(file: string, replaceEmpty: boolean): void {
  const tmp = `${file}.creating-${process.pid}`;
  fs.rmSync(tmp, { force: true });
  fs.closeSync(fs.openSync(tmp, 'wx', 0o600));
  const db = new Database(tmp, { fileMustExist: true });
  try {
    // Rollback-journal mode here, so the mark lands in the main file before WAL is switched on.
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma(`user_version = ${FILE_FORMAT_VERSION}`);
    db.pragma('journal_mode = WAL');
  } finally {
    db.close();
  }
  for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(tmp + suffix, { force: true });
  fsyncFile(tmp);
  if (replaceEmpty) {
    fs.renameSync(tmp, file);
  } else {
    // link() fails if the name exists, so a database another process created meanwhile is kept,
    // never replaced (rename would silently overwrite it).
    try {
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  fsyncFile(path.dirname(file));
}

function configure(db: Db, file: string, busyMs: number): void {
  let integrity: string;
  try {
    integrity = String(db.pragma('quick_check', { simple: true }));
  } catch (err) {
    throw new DatabaseFileError(
      `${file} cannot be read (${(err as Error).message}). It was left untouched; restore it from a backup.`,
    );
  }
  if (integrity !== 'ok') {
    throw new DatabaseFileError(
      `${file} failed SQLite's integrity check (${integrity}). It was left untouched; restore it from a backup.`,
    );
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${busyMs}`);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL,
    step INTEGER NOT NULL,
    sql_sha256 TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (component, step)
  ) STRICT`);
}

// ---- migrations ----------------------------------------------------------------------------------

/**
 * Applies the steps of `component` not yet recorded, in order, in one transaction. A recorded step
 * whose SQL changed, or more recorded steps than the code knows, is refused (append-only migrations).
 */
export function applyMigrations(db: Db, component: string, steps: readonly string[]): void {
  const applied = () =>
    checkApplied(
      component,
      steps,
      db.prepare('SELECT step, sql_sha256 FROM schema_migrations WHERE component = ? ORDER BY step').all(component) as {
        step: number;
        sql_sha256: string;
      }[],
    );
  // Up to date (the usual case): a read, no write lock, so many processes can open the file at once.
  if (applied() === steps.length) return;
  const run = db.transaction(() => {
    const done = applied();
    const insert = db.prepare(
      'INSERT INTO schema_migrations (component, step, sql_sha256, applied_at) VALUES (?, ?, ?, ?)',
    );
    for (let i = done; i < steps.length; i++) {
      db.exec(steps[i]!);
      insert.run(component, i, sha256(steps[i]!), new Date().toISOString());
    }
  });
  run.immediate();
}

/** How many of `steps` the database has applied; refuses a changed step or more steps than known. */
function checkApplied(
  component: string,
  steps: readonly string[],
  done: readonly { step: number; sql_sha256: string }[],
): number {
  if (done.length > steps.length) {
    throw new DatabaseFileError(
      `the database has ${done.length} '${component}' migrations but this scs-companion knows ${steps.length}; upgrade scs-companion.`,
    );
  }
  done.forEach((row, i) => {
    if (row.step !== i || row.sql_sha256 !== sha256(steps[i]!)) {
      throw new Error(
        `migration ${component}#${i} differs from the one applied to this database; add a new step instead of editing it`,
      );
    }
  });
  return done.length;
}

// ---- files ---------------------------------------------------------------------------------------

function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = fs.statSync(dir);
  if (!stat.isDirectory()) throw new DatabaseFileError(`data directory ${dir} is not a directory.`);
}

/** SQLite creates -wal/-shm with the main file's mode; enforce 0600 on all three anyway. */
function restrictFileModes(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if ((fs.statSync(f).mode & 0o777) !== 0o600) fs.chmodSync(f, 0o600);
    } catch {
      // -wal/-shm may not exist yet.
    }
  }
}

function fileSize(file: string): number | undefined {
  try {
    return fs.statSync(file).size;
  } catch {
    return undefined;
  }
}

function fsyncFile(p: string): void {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
