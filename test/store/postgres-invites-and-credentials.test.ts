/**
 * Issue 17, two bullets checked on a real PostgreSQL server: the web diary's invites live there with
 * a database URL (nothing in the station's SQLite file), and a password in the URL never reaches
 * output or the session audit log — neither with the server up nor while it is away.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runScriptCommand } from '../../src/cli/script-command.js';
import { openGeneratorLink, type OpenLinkOptions } from '../../src/link/open-link.js';
import { DB_FILE_NAME } from '../../src/store/database.js';
import { freshDatabase, pgQuery } from '../pg/pg-database.js';
import { runScs } from '../reliability/run-scs.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-pg-cred-'));
  dirs.push(d);
  return d;
}

const PASSWORD = 'Pw-17-never-shown';

/** The URL with a password (the test server trusts its socket, so any password connects). */
function withPassword(url: string): string {
  const u = new URL(url);
  u.password = PASSWORD;
  return u.toString();
}

describe('the web diary and credentials on PostgreSQL', () => {
  it('scs diary invite and --revoke keep the invite on the server, not in the station file', async () => {
    const url = await freshDatabase('invites');
    const dir = tmp();
    const flags = ['--database-url', url, '--data-dir', dir];
    expect((await runScs(['db', 'migrate', ...flags])).code).toBe(0);
    const day = (n: number) => `${new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 16)}Z`;
    const trial = ['--start', day(-1), '--end', day(6)]; // a trial under way: the link expires after it
    expect((await runScs(['diary', 'trial', '--patient', 'P-017', ...trial, ...flags])).code).toBe(0);
    const made = await runScs(['diary', 'invite', '--patient', 'P-017', '--url', 'https://10.0.0.5:8443', ...flags]);
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    expect(made.out).toContain('https://10.0.0.5:8443/');
    expect(await pgQuery(url, "SELECT patient_id, revoked_ms FROM diary_invites WHERE patient_id = 'P-017'")).toEqual([
      { patient_id: 'P-017', revoked_ms: null },
    ]);
    const revoked = await runScs(['diary', 'invite', '--revoke', '--patient', 'P-017', ...flags]);
    expect(revoked.code).toBe(0);
    const [row] = await pgQuery<{ revoked_ms: string | null }>(url, 'SELECT revoked_ms FROM diary_invites');
    expect(row!.revoked_ms).not.toBeNull();
    expect(fs.existsSync(path.join(dir, DB_FILE_NAME))).toBe(false);
  });

  it('a password in the URL is in no output and not in the audit log, server up or away', async () => {
    const url = withPassword(await freshDatabase('credentials'));
    const away = url.replace(/host=[^&]+/, `host=${encodeURIComponent(path.join(tmp(), 'no-server'))}`);
    const dir = tmp();
    const script = path.join(dir, 's.scs');
    fs.writeFileSync(script, 'rate 45\n');
    const openLink = (o: OpenLinkOptions) => openGeneratorLink({ ...o, simulator: { telemetryHz: 0 } });
    const seen: string[] = [];
    for (const [where, audit] of [
      [url, path.join(dir, 'up.jsonl')],
      [away, path.join(dir, 'away.jsonl')],
    ] as const) {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      stdout.on('data', (b: Buffer) => seen.push(b.toString()));
      stderr.on('data', (b: Buffer) => seen.push(b.toString()));
      const argv = [script, '--patient', 'P-017', '--database-url', where, '--data-dir', dir, '--audit', audit];
      const io = { stdout, stderr, stdin: new PassThrough(), env: {} };
      // Up: it runs. Away: this station has no copy of the binding, so it refuses, naming the server.
      await runScriptCommand(argv, io, openLink).then(
        (code) => seen.push(`exit ${code}`),
        (e: unknown) => seen.push((e as Error).message),
      );
      if (fs.existsSync(audit)) seen.push(fs.readFileSync(audit, 'utf8'));
    }
    const all = seen.join('\n');
    expect(all).toContain('exit 0');
    expect(all).toMatch(/cannot use the PostgreSQL database postgres:\/\/localhost\/t_credentials_\w+/);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('scs_admin');
  });
});
