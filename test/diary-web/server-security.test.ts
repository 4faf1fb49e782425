/**
 * Security controls of the diary server, through Fastify's inject (in process, a real store file):
 * cookie exchange, one-time links, revocation and expiry, isolation between patients, headers, body
 * validation with the `diary add` rules, rate limits and what reaches the log.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { formatInstant } from '../../src/diary/instant.js';
import { buildDiaryServer, type RateLimits } from '../../src/diary/web/diary-server.js';
import { newToken, tokenHash } from '../../src/diary/web/invite-token.js';
import { WebDiaryStore } from '../../src/diary/web/web-diary-store.js';
import { H, tempDataDir } from './web-helpers.js';

let dir: string;
let store: WebDiaryStore;
let app: FastifyInstance;
let logLines: string[];
let nowMs: number;
const T = Date.UTC(2026, 11, 1, 12, 0, 0);

async function server(limits: Partial<RateLimits> = {}): Promise<FastifyInstance> {
  app = await buildDiaryServer({ store, log: (l) => logLines.push(l), now: () => new Date(nowMs), limits });
  return app;
}

beforeEach(async () => {
  dir = tempDataDir();
  nowMs = T;
  logLines = [];
  store = await WebDiaryStore.on(await DiaryStore.open({ dataDir: dir, now: () => new Date(nowMs) }));
  for (const p of ['P-017', 'P-018'])
    await store.diary.setTrial(p, { start: parseAt(T - 48 * H), end: parseAt(T + 5 * 24 * H) });
});
afterEach(async () => {
  await app?.close();
  await store.diary.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function parseAt(ms: number) {
  return { text: formatInstant(ms, 60), ms, offsetMinutes: 60, localDate: formatInstant(ms, 60).slice(0, 10) };
}

async function inviteToken(patient: string, expiresMs = T + 7 * 24 * H): Promise<string> {
  const token = newToken();
  await store.createInvite(patient, tokenHash(token), 'en', expiresMs, nowMs);
  return token;
}

/** Follows the link like a phone and returns the cookie header to send from then on. */
async function enrol(token: string): Promise<string> {
  const r = await app.inject({ method: 'GET', url: `/enrol/${token}` });
  expect(r.statusCode).toBe(303);
  expect(r.headers.location).toBe('/');
  const c = r.cookies[0]!;
  return `${c.name}=${c.value}`;
}

let seq = 0;
function body(fields: Record<string, unknown> = {}) {
  seq++;
  const id = `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
  return { id, at: formatInstant(nowMs - seq * 60_000, 60), madeAt: formatInstant(nowMs, 60), nrs: 5, ...fields };
}

const post = (cookie: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/entries',
    headers: { cookie, 'content-type': 'application/json', ...headers },
    payload: JSON.stringify(payload),
  });

describe('diary server: links, cookies and sessions', () => {
  it('exchanges the link for an HttpOnly SameSite=Strict cookie (no Secure over plain HTTP); the link works once', async () => {
    await server();
    const token = await inviteToken('P-017');
    const r = await app.inject({ method: 'GET', url: `/enrol/${token}` });
    expect(r.statusCode).toBe(303);
    const cookie = r.cookies[0]!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.secure).toBeFalsy();
    expect(cookie.value).not.toContain(token);
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only hashes are stored: neither secret appears in the database.
    const rows = JSON.stringify([
      store.diary.db.prepare('SELECT * FROM diary_invites').all(),
      store.diary.db.prepare('SELECT * FROM diary_web_sessions').all(),
    ]);
    expect(rows).not.toContain(token);
    expect(rows).not.toContain(cookie.value);
    expect(rows).toContain(tokenHash(token));
    // A second browser opening the same link gets the plain "already used" page.
    const again = await app.inject({ method: 'GET', url: `/enrol/${token}` });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('already been used');
    expect(again.body).toContain('call your clinic');
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('revoking ends the link and the session at once; inviting again revokes the old link', async () => {
    await server();
    const cookie = await enrol(await inviteToken('P-017'));
    expect((await app.inject({ url: '/', headers: { cookie } })).statusCode).toBe(200);
    expect(await store.revokeInvites('P-017', nowMs)).toBe(1);
    const page = await app.inject({ url: '/', headers: { cookie } });
    expect(page.statusCode).toBe(410);
    expect(page.body).toContain('Please call your clinic');
    expect(page.body).not.toContain('<script');
    expect((await post(cookie, body())).statusCode).toBe(410);
    expect((await app.inject({ url: '/api/entries', headers: { cookie } })).statusCode).toBe(410);

    const first = await inviteToken('P-018');
    const second = await inviteToken('P-018');
    const old = await app.inject({ url: `/enrol/${first}` });
    expect(old.statusCode).toBe(410);
    expect(old.body).toContain('Please call your clinic');
    await enrol(second);
    expect(await store.diary.current('P-017')).toHaveLength(0);
  });

  it('an expired link and an expired session show the plain page', async () => {
    await server();
    const cookie = await enrol(await inviteToken('P-017', T + H));
    const late = await inviteToken('P-018', T + H);
    nowMs = T + H;
    expect((await app.inject({ url: '/', headers: { cookie } })).statusCode).toBe(410);
    expect((await post(cookie, body())).statusCode).toBe(410);
    const r = await app.inject({ url: `/enrol/${late}` });
    expect(r.statusCode).toBe(410);
    expect(r.body).toContain('Please call your clinic');
  });

  it("another patient's cookie can neither read nor write this diary", async () => {
    await server();
    const a = await enrol(await inviteToken('P-017'));
    const b = await enrol(await inviteToken('P-018'));
    const mine = body({ nrs: 7, note: 'private to P-017' });
    expect((await post(a, mine)).statusCode).toBe(201);
    const seenByB = await app.inject({ url: '/api/entries', headers: { cookie: b } });
    expect(seenByB.statusCode).toBe(200);
    expect(seenByB.json().entries).toEqual([]);
    expect(seenByB.body).not.toContain('private to P-017');
    // B's writes go to B's diary only; B re-sending A's entry id is refused, not merged into A.
    expect((await post(b, body({ nrs: 2 }))).statusCode).toBe(201);
    expect((await post(b, { ...mine, nrs: 1 })).statusCode).toBe(409);
    expect((await store.diary.current('P-017')).map((e) => e.nrs)).toEqual([7]);
    expect((await store.diary.current('P-018')).map((e) => e.nrs)).toEqual([2]);
    // No cookie, a made-up cookie: nothing.
    expect((await app.inject({ url: '/api/entries' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/entries', headers: { cookie: `scs-diary=${newToken()}` } })).statusCode).toBe(
      401,
    );
    expect((await post(`scs-diary=${newToken()}`, body())).statusCode).toBe(401);
  });

  it('a retried entry (same UUID) is stored once and answered 200 the second time', async () => {
    await server();
    const cookie = await enrol(await inviteToken('P-017'));
    const entry = body({ nrs: 6 });
    const first = await post(cookie, entry);
    const second = await post(cookie, entry);
    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(second.json().duplicate).toBe(true);
    expect(await store.diary.current('P-017')).toHaveLength(1);
  });
});

describe('diary server: headers', () => {
  it('sends a strict CSP, no-referrer, no-store and no third-party origin on the page', async () => {
    await server();
    const cookie = await enrol(await inviteToken('P-017'));
    const r = await app.inject({ url: '/', headers: { cookie } });
    expect(r.statusCode).toBe(200);
    const csp = String(r.headers['content-security-policy']);
    expect(csp.split(';')).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
      ]),
    );
    expect(csp).not.toMatch(/unsafe|https?:|\*/);
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    // Every URL the page refers to is on this server.
    expect(r.body.match(/(?:src|href)="[^"]*"/g)).toEqual(['href="/assets/diary.css"', 'src="/assets/diary.js"']);
    expect(r.body).not.toContain('P-017');
  });
});

describe('diary server: request bodies (same rules as diary add)', () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['NRS 11', { nrs: 11 }, /nrs/i],
    ['NRS 4.5', { nrs: 4.5 }, /nrs/i],
    ['NRS as text', { nrs: '5' }, /nrs/i],
    ['six PDI domains', { nrs: null, pdiDomains: [1, 2, 3, 4, 5, 6] }, /pdiDomains/],
    ['a PDI domain of 11', { pdiDomains: [1, 2, 3, 4, 5, 6, 11] }, /pdiDomains/],
    ['no measure', { nrs: null }, /at least one of nrs, pdi, activity/],
    ['an unknown field', { patient: 'P-018' }, /patient/],
    ['an activity word not in the list', { activity: 'better' }, /activity/],
    ['a control character in the note', { note: 'a\u001b[2Jb' }, /control character/],
    ['a note over 2000 characters', { note: 'x'.repeat(2001) }, /limit is 2000/],
    ['a time without offset', { at: '2026-12-01T12:00:00' }, /UTC offset/],
    ['a time in the future', { at: formatInstant(T + 10 * 60_000, 60) }, /after the entry was made/],
    ['a time more than 24 h before it was made', { at: formatInstant(T - 25 * H, 60) }, /24 h/],
    ['a phone clock in the future', { madeAt: formatInstant(T + H, 60), at: formatInstant(T + H, 60) }, /future/],
    [
      'an entry kept offline for 8 days',
      { madeAt: formatInstant(T - 8 * 24 * H, 60), at: formatInstant(T - 8 * 24 * H, 60) },
      /7 days/,
    ],
    ['an id that is not a UUID', { id: '1' }, /id/],
  ];
  for (const [what, fields, message] of bad) {
    it(`refuses ${what} with a 400 that says why, and stores nothing`, async () => {
      await server();
      const cookie = await enrol(await inviteToken('P-017'));
      const r = await post(cookie, body(fields));
      expect(r.statusCode).toBe(400);
      expect(r.json().error).toMatch(message);
      expect(await store.diary.history('P-017')).toHaveLength(0);
    });
  }

  it('accepts the edges: NRS 0 and 10, PDI domains 0 and 10, exactly 24 h back', async () => {
    await server();
    const cookie = await enrol(await inviteToken('P-017'));
    expect((await post(cookie, body({ nrs: 0 }))).statusCode).toBe(201);
    expect((await post(cookie, body({ nrs: 10, pdiDomains: [0, 10, 0, 10, 0, 10, 0] }))).statusCode).toBe(201);
    expect((await post(cookie, body({ at: formatInstant(T - 24 * H, 60) }))).statusCode).toBe(201);
    const stored = await store.diary.current('P-017');
    expect(stored.map((e) => [e.nrs, e.pdi, e.source])).toEqual([
      [5, null, 'web'],
      [10, 30, 'web'],
      [0, null, 'web'],
    ]);
    // The phase follows the trial start like `diary add` without --phase; recorded = when received.
    expect(stored.every((e) => e.phase === 'trial' && e.recordedAt.ms === T)).toBe(true);
  });

  it('flags an entry recorded more than 24 h after the time it describes as late (H16)', async () => {
    await server();
    const cookie = await enrol(await inviteToken('P-017'));
    // Made on the phone 2 h ago about a time 23 h before that (allowed), received now: 25 h late.
    const late = body({ madeAt: formatInstant(T - 2 * H, 60), at: formatInstant(T - 25 * H, 60) });
    const onTime = body({ at: formatInstant(T - 23 * H, 60) });
    expect((await post(cookie, late)).statusCode).toBe(201);
    expect((await post(cookie, onTime)).statusCode).toBe(201);
    const list = (await app.inject({ url: '/api/entries', headers: { cookie } })).json() as {
      entries: { id: string; late: boolean }[];
    };
    expect(list.entries.map((e) => [e.id, e.late])).toEqual([
      [late.id, true],
      [onTime.id, false],
    ]);
  });

  it('refuses a body that is not JSON, an oversized one, and a cross-origin POST', async () => {
    await server();
    const cookie = await enrol(await inviteToken('P-017'));
    const form = await app.inject({
      method: 'POST',
      url: '/api/entries',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'nrs=5',
    });
    expect(form.statusCode).toBe(415);
    const huge = await post(cookie, body({ note: 'x'.repeat(20_000) }));
    expect(huge.statusCode).toBe(413);
    const cross = await post(cookie, body(), { origin: 'https://evil.example' });
    expect(cross.statusCode).toBe(403);
    expect(await store.diary.history('P-017')).toHaveLength(0);
  });
});

describe('diary server: rate limits and logs', () => {
  it('limits link guessing per address, logs it, and never logs a token, cookie or patient id', async () => {
    await server({ enrolPerAddress: 5 });
    const token = await inviteToken('P-017');
    const codes: number[] = [];
    for (let i = 0; i < 7; i++)
      codes.push((await app.inject({ url: `/enrol/${newToken()}`, remoteAddress: '10.0.0.9' })).statusCode);
    expect(codes).toEqual([404, 404, 404, 404, 404, 429, 429]);
    // Another address is not held back by the first one.
    const r = await app.inject({ url: `/enrol/${token}`, remoteAddress: '10.0.0.10' });
    expect(r.statusCode).toBe(303);
    expect(logLines.filter((l) => l.includes('refused an unknown diary link from 10.0.0.9'))).toHaveLength(5);
    expect(logLines.some((l) => l.includes('possible token guessing'))).toBe(true);
    const all = logLines.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain(r.cookies[0]!.value);
    expect(all).not.toContain('P-017');
    expect(all).not.toContain('/enrol/');
  });

  it('limits requests per session', async () => {
    await server({ perSession: 3 });
    const cookie = await enrol(await inviteToken('P-017'));
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await post(cookie, body())).statusCode);
    expect(codes).toEqual([201, 201, 201, 429, 429]);
    expect(await store.diary.current('P-017')).toHaveLength(3);
    expect(logLines.some((l) => l.includes('a session exceeded 3 requests/min'))).toBe(true);
  });

  it('limits requests per address on every route', async () => {
    await server({ perAddress: 4 });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push((await app.inject({ url: '/assets/diary.css', remoteAddress: '10.1.1.1' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
  });
});
