import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  APPLICATION_ID,
  DatabaseFileError,
  applyMigrations,
  createMarkedFile,
  openDatabase,
  resolveDataDir,
} from '../../src/store/database.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-db-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('resolveDataDir', () => {
  it('prefers --data-dir, then SCS_DATA_DIR, then XDG_DATA_HOME, then ~/.local/share', () => {
    const env = { SCS_DATA_DIR: '/e', XDG_DATA_HOME: '/x', HOME: '/h' };
    expect(resolveDataDir({ dataDir: '/d', env })).toBe('/d');
    expect(resolveDataDir({ env })).toBe('/e');
    expect(resolveDataDir({ env: { XDG_DATA_HOME: '/x', HOME: '/h' } })).toBe('/x/scs-companion');
    expect(resolveDataDir({ env: { HOME: '/h' } })).toBe('/h/.local/share/scs-companion');
    // A relative XDG_DATA_HOME is invalid per the XDG spec and ignored.
    expect(resolveDataDir({ env: { XDG_DATA_HOME: 'rel', HOME: '/h' } })).toBe('/h/.local/share/scs-companion');
  });
});

describe('openDatabase', () => {
  it('creates a 0700 directory and a 0600 WAL database with full sync, marked as ours', () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const db = openDatabase({ dataDir });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    expect(mode(dataDir)).toBe(0o700);
    for (const f of ['scs.db', 'scs.db-wal', 'scs.db-shm']) expect(mode(path.join(dataDir, f))).toBe(0o600);
    db.close();
    // The mark is in the main file itself (not only in the WAL), so the header check sees it.
    expect(fs.readFileSync(path.join(dataDir, 'scs.db')).readInt32BE(68)).toBe(APPLICATION_ID);
    expect(fs.readdirSync(dataDir).filter((f) => f.includes('creating'))).toEqual([]);
  });

  it('reopens after close with the data intact and tightens a loosened file mode', () => {
    const db = openDatabase({ dataDir: dir });
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (42)');
    db.close();
    fs.chmodSync(path.join(dir, 'scs.db'), 0o644);
    const again = openDatabase({ dataDir: dir });
    expect(again.prepare('SELECT x FROM t').get()).toEqual({ x: 42 });
    expect(mode(path.join(dir, 'scs.db'))).toBe(0o600);
    again.close();
  });

  it('uses SCS_DATA_DIR from the given env', () => {
    const db = openDatabase({ env: { SCS_DATA_DIR: dir } });
    db.close();
    expect(fs.existsSync(path.join(dir, 'scs.db'))).toBe(true);
  });

  it('refuses a missing database when mustExist is set, creating nothing', () => {
    expect(() => openDatabase({ dataDir: dir, mustExist: true })).toThrow(/no database/);
    expect(fs.existsSync(path.join(dir, 'scs.db'))).toBe(false);
  });

  const untouched = (content: Buffer | (() => void), pattern: RegExp) => {
    const file = path.join(dir, 'scs.db');
    if (typeof content === 'function') content();
    else fs.writeFileSync(file, content);
    const before = fs.readFileSync(file);
    let error: unknown;
    try {
      openDatabase({ dataDir: dir });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DatabaseFileError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).toMatch(/untouched|upgrade/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  };

  it('refuses a file of random bytes and never overwrites it', () => {
    untouched(Buffer.from('this is not a database at all, just some text\n'.repeat(100)), /not a SQLite database/);
  });

  it('refuses a foreign SQLite database and never overwrites it', () => {
    untouched(() => {
      const foreign = new Database(path.join(dir, 'scs.db'));
      foreign.exec("CREATE TABLE patients (name TEXT); INSERT INTO patients VALUES ('someone else')");
      foreign.close();
    }, /did not create/);
  });

  it('refuses a database from a newer file format', () => {
    untouched(() => {
      openDatabase({ dataDir: dir }).close();
      const raw = new Database(path.join(dir, 'scs.db'));
      raw.pragma('journal_mode = DELETE');
      raw.pragma('user_version = 99');
      raw.close();
    }, /newer scs-companion/);
  });

  it('refuses a truncated (corrupt) database of ours and never overwrites it', () => {
    untouched(() => {
      const db = openDatabase({ dataDir: dir });
      db.exec('CREATE TABLE t (x TEXT)');
      const ins = db.prepare('INSERT INTO t VALUES (?)');
      for (let i = 0; i < 2000; i++) ins.run('row ' + 'x'.repeat(200) + i);
      db.close();
      const file = path.join(dir, 'scs.db');
      const bytes = fs.readFileSync(file);
      // Keep the header, scribble over the pages after it.
      bytes.fill(0xa5, 4096, bytes.length - 4096);
      fs.writeFileSync(file, bytes);
    }, /integrity|cannot be read|malformed/);
  });

  it('never replaces a database another process created between the check and the creation', () => {
    const db = openDatabase({ dataDir: dir });
    db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (7)');
    db.close();
    createMarkedFile(path.join(dir, 'scs.db'), false);
    const again = openDatabase({ dataDir: dir });
    expect(again.prepare('SELECT x FROM t').get()).toEqual({ x: 7 });
    again.close();
    expect(fs.readdirSync(dir).filter((f) => f.includes('creating'))).toEqual([]);
  });

  it('refuses to start a new database beside an orphaned -wal file', () => {
    fs.writeFileSync(path.join(dir, 'scs.db-wal'), Buffer.alloc(64, 1));
    expect(() => openDatabase({ dataDir: dir })).toThrow(/-wal exists/);
    expect(fs.existsSync(path.join(dir, 'scs.db'))).toBe(false);
  });
});

describe('applyMigrations', () => {
  it('applies missing steps once, in order, and records them', () => {
    const db = openDatabase({ dataDir: dir });
    applyMigrations(db, 'demo', ['CREATE TABLE a (x)']);
    applyMigrations(db, 'demo', ['CREATE TABLE a (x)', 'CREATE TABLE b (y)']);
    applyMigrations(db, 'demo', ['CREATE TABLE a (x)', 'CREATE TABLE b (y)']);
    const rows = db.prepare("SELECT step FROM schema_migrations WHERE component = 'demo' ORDER BY step").all();
    expect(rows).toEqual([{ step: 0 }, { step: 1 }]);
    db.close();
  });

  it('rolls back every step of a failing batch', () => {
    const db = openDatabase({ dataDir: dir });
    expect(() => applyMigrations(db, 'demo', ['CREATE TABLE a (x)', 'THIS IS NOT SQL'])).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'a'").get()).toBeUndefined();
    db.close();
  });

  it('refuses an edited step and a database that knows more steps than the code', () => {
    const db = openDatabase({ dataDir: dir });
    applyMigrations(db, 'demo', ['CREATE TABLE a (x)', 'CREATE TABLE b (y)']);
    expect(() => applyMigrations(db, 'demo', ['CREATE TABLE a (x, z)', 'CREATE TABLE b (y)'])).toThrow(/differs/);
    expect(() => applyMigrations(db, 'demo', ['CREATE TABLE a (x)'])).toThrow(/upgrade/);
    db.close();
  });
});
