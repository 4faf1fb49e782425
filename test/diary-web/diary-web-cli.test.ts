/**
 * `scs diary invite` and `scs diary serve` as a person runs them (real processes): the link, its QR
 * code and card, revocation, the default expiry, loopback-only without TLS, the warning for
 * --insecure-http, TLS with Secure cookies, clean stops on SIGINT/SIGTERM, and `diary show` marking
 * web entries.
 */
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { formatInstant } from '../../src/diary/instant.js';
import { tokenHash } from '../../src/diary/web/invite-token.js';
import { ROOT, invite, scs, startServer, startTrial, tempDataDir } from './web-helpers.js';

const TLS = path.join(ROOT, 'test', 'fixtures', 'tls');
let dir: string;
beforeAll(() => {
  dir = tempDataDir();
  startTrial(dir, 'P-017');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('scs diary invite', () => {
  it('prints a one-time link with a ≥128-bit token, its QR code, and stores only the hash; expiry = trial end + 2 days', async () => {
    const r = scs(['diary', 'invite', '--patient', 'P-017', '--data-dir', dir, '--url', 'https://10.0.0.5:8443']);
    expect(r.status).toBe(0);
    const link = /https:\/\/10\.0\.0\.5:8443\/enrol\/([A-Za-z0-9_-]+)/.exec(r.stdout);
    expect(link).not.toBeNull();
    const token = link![1]!;
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(r.stdout).toMatch(/[▀▄█]{5}/); // the QR code, drawn with block characters
    const store = await DiaryStore.open({ dataDir: dir, mustExist: true });
    try {
      const rows = store.db.prepare('SELECT * FROM diary_invites').all() as {
        token_sha256: string;
        expires_ms: number;
      }[];
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(rows.map((x) => x.token_sha256)).toContain(tokenHash(token));
      const end = (await store.getPatient('P-017'))!.trialEnd!;
      expect(rows.at(-1)!.expires_ms).toBe(end.ms + 2 * 24 * 3600_000);
    } finally {
      await store.close();
    }
  });

  it('writes a printable card (0600) with the QR code as SVG and plain instructions, in the chosen language', () => {
    const card = path.join(dir, 'card.html');
    const r = scs([
      'diary',
      'invite',
      '--patient',
      'P-017',
      '--lang',
      'zh-CN',
      '--out',
      card,
      '--json',
      '--data-dir',
      dir,
    ]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { link: string; lang: string; expires: string; card: string };
    expect(out).toMatchObject({ lang: 'zh-CN', card });
    const html = fs.readFileSync(card, 'utf8');
    expect(fs.statSync(card).mode & 0o777).toBe(0o600);
    expect(html).toContain('<svg');
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain('打开手机相机');
    expect(html).toContain(out.link);
    expect(html.replace('http://www.w3.org/2000/svg', '')).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/);
    // Never written over an existing file.
    expect(scs(['diary', 'invite', '--patient', 'P-017', '--out', card, '--data-dir', dir]).status).toBe(1);
  });

  // Exit codes (README "Trial diary"): a wrong value is bad input (1); a required option missing is 2.
  it('refuses a bad language, an unknown patient, a patient without trial end, and a past expiry', () => {
    expect(scs(['diary', 'invite', '--patient', 'P-017', '--lang', 'fr', '--data-dir', dir]).status).toBe(1);
    const unknown = scs(['diary', 'invite', '--patient', 'P-999', '--data-dir', dir]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('scs diary trial --patient P-999');
    scs(['diary', 'trial', '--patient', 'P-050', '--start', '2026-11-30T08:00Z', '--data-dir', dir]);
    const noEnd = scs(['diary', 'invite', '--patient', 'P-050', '--data-dir', dir]);
    expect(noEnd.status).toBe(2);
    expect(noEnd.stderr).toContain('--expires');
    expect(
      scs(['diary', 'invite', '--patient', 'P-050', '--expires', '2020-01-01T00:00Z', '--data-dir', dir]).status,
    ).toBe(1);
    expect(
      scs([
        'diary',
        'invite',
        '--patient',
        'P-050',
        '--expires',
        formatInstant(Date.now() + 3600_000, 0),
        '--data-dir',
        dir,
      ]).status,
    ).toBe(0);
  }, 120_000); // six CLI runs in a row: far beyond the default 30 s on a loaded machine

  it('--revoke ends the link at once', () => {
    const r = scs(['diary', 'invite', '--revoke', '--patient', 'P-017', '--json', '--data-dir', dir]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ patient: 'P-017', revoked: 1 });
    expect(
      JSON.parse(scs(['diary', 'invite', '--revoke', '--patient', 'P-017', '--json', '--data-dir', dir]).stdout),
    ).toEqual({ patient: 'P-017', revoked: 0 });
  });
});

describe('scs diary serve', () => {
  it('refuses a non-loopback address without TLS files', () => {
    const r = scs(['diary', 'serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--tls-cert');
    expect(scs(['diary', 'serve', '--tls-cert', 'x.pem', '--data-dir', dir]).status).toBe(2);
  });

  it('serves plain HTTP on another address only with --insecure-http, and warns', async () => {
    const s = await startServer(dir, ['--host', '0.0.0.0', '--insecure-http']);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(0);
    expect(s.stderr()).toContain("WARNING: serving patients' health data over plain HTTP");
    expect(s.stdout()).toContain('stopped on SIGINT');
  }, 60_000);

  it('under TLS sets a Secure __Host- cookie and HSTS; stops cleanly on SIGTERM', async () => {
    const s = await startServer(dir, [
      '--tls-cert',
      path.join(TLS, 'test-cert.pem'),
      '--tls-key',
      path.join(TLS, 'test-key.pem'),
    ]);
    try {
      expect(s.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const link = invite(dir, 'P-017', s.baseUrl);
      const ca = fs.readFileSync(path.join(TLS, 'test-cert.pem'));
      const res = await new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>(
        (resolve, reject) => {
          https
            .get(link, { ca }, (r) => {
              r.resume();
              resolve({ status: r.statusCode!, headers: r.headers });
            })
            .on('error', reject);
        },
      );
      expect(res.status).toBe(303);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/^__Host-scs-diary=/);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(String(res.headers['strict-transport-security'])).toContain('max-age=');
    } finally {
      s.child.kill('SIGTERM');
    }
    expect(await s.exited).toBe(0);
    expect(s.stdout()).toContain('stopped on SIGTERM');
  }, 60_000);

  it('entries from the phone show in diary show with their source', async () => {
    const store = await DiaryStore.open({ dataDir: dir, mustExist: true });
    try {
      const now = Date.now();
      await store.add(
        'P-017',
        {
          at: { ...parse(now - 60_000) },
          recordedAt: null,
          phase: 'trial',
          nrs: 3,
          pdi: null,
          pdiDomains: null,
          activity: null,
          note: null,
        },
        'web',
      );
      await store.add(
        'P-017',
        {
          at: { ...parse(now - 120_000) },
          recordedAt: null,
          phase: 'trial',
          nrs: 4,
          pdi: null,
          pdiDomains: null,
          activity: null,
          note: null,
        },
        'bedside',
      );
    } finally {
      await store.close();
    }
    const text = scs(['diary', 'show', '--patient', 'P-017', '--data-dir', dir]).stdout;
    expect(text).toMatch(/#\d+ \[web\] .* NRS 3/);
    expect(text).toMatch(/#\d+ \[bedside\] .* NRS 4/);
    const json = JSON.parse(scs(['diary', 'show', '--patient', 'P-017', '--json', '--data-dir', dir]).stdout) as {
      entries: { nrs: number; source: string }[];
    };
    expect(json.entries.map((e) => [e.nrs, e.source])).toEqual([
      [4, 'bedside'],
      [3, 'web'],
    ]);
  });
});

function parse(ms: number) {
  const text = formatInstant(ms, 0);
  return { text, ms: Math.floor(ms / 1000) * 1000, offsetMinutes: 0, localDate: text.slice(0, 10) };
}
