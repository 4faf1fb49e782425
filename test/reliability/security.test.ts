import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { parseInstant } from '../../src/diary/instant.js';
import { openDatabase } from '../../src/store/database.js';
import { runScs } from './run-scs.js';
import { patientAddArgs } from '../outcomes/patient-add-args.js';

/**
 * Security basics: health data on disk is readable by its owner only, whatever the umask and
 * whatever file was there before; patients appear only under their pseudonymous id; the session
 * audit log shows the first edited, inserted or removed record through `scs audit verify`.
 */

let dir: string;
let oldUmask: number;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-sec-'));
  // A careless umask must not matter: the code sets the modes itself.
  oldUmask = process.umask(0);
});
afterAll(() => {
  process.umask(oldUmask);
  fs.rmSync(dir, { recursive: true, force: true });
});

const mode = (p: string) => fs.statSync(p).mode & 0o777;
/** A file someone left world-readable where an export is about to go. */
function worldReadable(name: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, 'old\n', { mode: 0o644 });
  fs.chmodSync(p, 0o644);
  return p;
}

describe('file modes with umask 000', () => {
  it('the store: data directory 0700, scs.db and its -wal and -shm files 0600', async () => {
    const dataDir = path.join(dir, 'data');
    const store = await DiaryStore.open({ dataDir });
    await store.add('P-001', {
      at: parseInstant('2024-03-01T08:00Z'),
      recordedAt: null,
      phase: 'trial',
      nrs: 4,
      pdi: null,
      pdiDomains: null,
      activity: null,
      note: null,
    });
    expect(mode(dataDir)).toBe(0o700);
    for (const f of ['scs.db', 'scs.db-wal', 'scs.db-shm']) expect(mode(path.join(dataDir, f)), f).toBe(0o600);
    await store.close();
  });

  it('the audit log: 0600 when created, and tightened to 0600 when an existing log is reopened', () => {
    const fresh = path.join(dir, 'fresh.audit.jsonl');
    openAuditLog(fresh).close();
    expect(mode(fresh)).toBe(0o600);
    const old = path.join(dir, 'old.audit.jsonl');
    fs.writeFileSync(old, '');
    fs.chmodSync(old, 0o644);
    const log = openAuditLog(old);
    log.append({ kind: 'stop' });
    log.close();
    expect(mode(old)).toBe(0o600);
  });

  it('scs diary export --out writes 0600 and never overwrites an existing file', async () => {
    const dataDir = path.join(dir, 'data');
    const out = path.join(dir, 'diary.csv');
    expect((await runScs(['diary', 'export', '--patient', 'P-001', '--out', out, '--data-dir', dataDir])).code).toBe(0);
    expect(mode(out)).toBe(0o600);
    const existing = worldReadable('diary-existing.csv');
    const again = await runScs(['diary', 'export', '--patient', 'P-001', '--out', existing, '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.err).toBe(
      `scs: ${existing} already exists; export never overwrites a file. Choose another --out or remove it first.\n`,
    );
    expect(fs.readFileSync(existing, 'utf8')).toBe('old\n');
  });

  it('scs cohort export --out over an existing world-readable file leaves it 0600', async () => {
    const dataDir = path.join(dir, 'registry');
    expect(
      (await runScs([...patientAddArgs('P-100', { age: '70', location: 'T5' }), '--data-dir', dataDir])).code,
    ).toBe(0);
    const out = worldReadable('cohort.csv');
    expect((await runScs(['cohort', 'export', '--out', out, '--data-dir', dataDir])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('P-100');
    expect(mode(out)).toBe(0o600);
  });

  it('scs patient export --out over an existing world-readable file leaves it 0600', async () => {
    const dataDir = path.join(dir, 'registry');
    const out = worldReadable('patient.csv');
    expect(
      (
        await runScs([
          'patient',
          'export',
          '--patient',
          'P-100',
          '--format',
          'csv',
          '--out',
          out,
          '--data-dir',
          dataDir,
        ])
      ).code,
    ).toBe(0);
    expect(mode(out)).toBe(0o600);
  });
});

describe('patients only under a pseudonymous id', () => {
  it.each([
    ['a name', 'Jane Doe'],
    ['an e-mail address', 'jane.doe@example.org'],
    ['a name with a comma', 'Doe,Jane'],
    ['a date of birth with slashes', '01/02/1950'],
    ['text with a newline', 'P-1\nJane'],
  ])('refuses %s as a patient id on every command that takes one, storing nothing', async (_what, id) => {
    const dataDir = fs.mkdtempSync(path.join(dir, 'ids-'));
    expect(
      (
        await runScs([
          'diary',
          'add',
          '--patient',
          'P-ok',
          '--phase',
          'trial',
          '--nrs',
          '5',
          '--at',
          '2024-03-01T08:00Z',
          '--data-dir',
          dataDir,
        ])
      ).code,
    ).toBe(0);
    const diary = await runScs([
      'diary',
      'add',
      '--patient',
      id,
      '--phase',
      'trial',
      '--nrs',
      '5',
      '--at',
      '2024-03-01T09:00Z',
      '--data-dir',
      dataDir,
    ]);
    const patient = await runScs([...patientAddArgs(id, { age: '70', location: 'T5' }), '--data-dir', dataDir]);
    for (const r of [diary, patient]) {
      expect(r.code).toBe(1); // a value given and refused is bad input (exit 1), not a usage mistake
      expect(r.err).toMatch(/not a pseudonymous id/);
    }
    const db = openDatabase({ dataDir });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    const everything = tables.map(({ name }) => JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all())).join('\n');
    db.close();
    expect(everything).toContain('P-ok');
    expect(everything).not.toContain(JSON.stringify(id).slice(1, -1));
  });

  it('the store has no column for a name, birth date, address, phone, e-mail or record number', () => {
    const db = openDatabase({ dataDir: path.join(dir, 'registry') });
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[];
    const columns = tables.flatMap(({ name }) =>
      (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => `${name}.${c.name}`),
    );
    db.close();
    expect(columns.length).toBeGreaterThan(5);
    expect(
      columns.filter((c) =>
        /(^|[._])(name|first_?name|last_?name|surname|birth|dob|address|street|phone|email|mrn|ssn|insurance)($|_)/i.test(
          c.split('.')[1]!,
        ),
      ),
    ).toEqual([]);
  });

  it('the session audit log names a patient only by the pseudonymous id, and nothing identifying', async () => {
    // Issue 13: `scs patient export --audit-log` checks the log belongs to the patient, so the opening
    // session record names the patient (null without --patient) — by the pseudonymous id and nothing else.
    const script = path.join(dir, 'session.scs');
    fs.writeFileSync(script, 'electrodes 1- 2+\nrate 50\npw 300\nsearch start\namp up\nstop\n');
    const log = path.join(dir, 'session.audit.jsonl');
    expect((await runScs(['script', script, '--dwell-ms', '0', '--audit', log])).code).toBe(0);
    const records = fs
      .readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.length).toBeGreaterThan(3);
    const fields: Array<[string, unknown]> = [];
    const walk = (v: unknown): void => {
      if (v && typeof v === 'object')
        for (const [k, inner] of Object.entries(v)) {
          fields.push([k, inner]);
          walk(inner);
        }
    };
    records.forEach(walk);
    expect(fields.filter(([k]) => /name|birth|address|phone|mail/i.test(k))).toEqual([]);
    const patientFields = fields.filter(([k]) => /patient/i.test(k));
    expect(patientFields.filter(([k]) => k !== 'patient')).toEqual([]);
    expect(
      patientFields.filter(
        ([, v]) => !(v === null || (typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(v))),
      ),
    ).toEqual([]);
    expect(mode(log)).toBe(0o600);
  });
});

describe('scs audit verify FILE names the first tampered record', () => {
  let lines: string[];
  beforeAll(async () => {
    const script = path.join(dir, 'tamper.scs');
    fs.writeFileSync(
      script,
      'electrodes 1- 2+\nrate 50\npw 300\nsearch start\namp up\namp up\nmark sensory\noutput off\nstop\n',
    );
    const log = path.join(dir, 'tamper.audit.jsonl');
    expect((await runScs(['script', script, '--dwell-ms', '0', '--audit', log])).code).toBe(0);
    lines = fs.readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(8);
  });
  const verify = async (edited: string[]) => {
    const file = path.join(dir, `t-${Math.random().toString(36).slice(2)}.jsonl`);
    fs.writeFileSync(file, edited.join('\n') + '\n');
    const text = await runScs(['audit', 'verify', file]);
    const json = await runScs(['audit', 'verify', file, '--json']);
    return { text, json: JSON.parse(json.out) as { ok: boolean; line?: number; problem?: string }, file };
  };

  it('an intact log verifies (exit 0)', async () => {
    const { text, json } = await verify(lines);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^OK: \d+ records, chain intact/);
    expect(json.ok).toBe(true);
  });

  it('an edited record: exit 1, its line, "edited"', async () => {
    const edited = [...lines];
    edited[4] = edited[4]!.replace(/"ts":"[^"]+"/, '"ts":"2020-01-01T00:00:00.000Z"');
    const { text, json, file } = await verify(edited);
    expect(text.code).toBe(1);
    expect(text.out).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: record edited: `));
    expect(json).toMatchObject({ ok: false, line: 5, problem: 'edited' });
  });

  it('an inserted record: exit 1, its line, "inserted"', async () => {
    const inserted = [...lines];
    inserted.splice(3, 0, lines[6]!);
    const { text, json } = await verify(inserted);
    expect(text.code).toBe(1);
    expect(json).toMatchObject({ ok: false, line: 4, problem: 'inserted' });
  });

  it('a removed record: exit 1, the line where the gap shows, "removed"', async () => {
    const removed = [...lines];
    removed.splice(2, 1);
    const { text, json } = await verify(removed);
    expect(text.code).toBe(1);
    expect(json).toMatchObject({ ok: false, line: 3, problem: 'removed' });
  });
});
