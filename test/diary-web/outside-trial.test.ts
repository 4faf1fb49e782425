/**
 * Issue 14: a phone entry outside the trial dates, through the real server (`scs diary serve`, HTTP on
 * 127.0.0.1). Decision (README "Patient diary on the web"): the server stores it and flags it, never
 * refuses it (the patient cannot be asked for --outside-trial, and a refusal would lose a real score);
 * the answer says in the patient's language that it is kept but does not count, the entry list flags
 * it, and `scs diary evaluate` leaves it out and names it.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrolPhone } from '../../bench/lib/web-diary-client.js';
import { formatInstant } from '../../src/diary/instant.js';
import { H, type RunningServer, invite, scs, startServer, tempDataDir, webEntries } from './web-helpers.js';

let dir: string;
let server: RunningServer | undefined;
beforeEach(() => {
  dir = tempDataDir();
});
afterEach(async () => {
  server?.child.kill('SIGTERM');
  await server?.exited;
  server = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function post(cookie: string, body: object) {
  const r = await fetch(`${server!.baseUrl}/api/entries`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe('a phone entry outside the trial dates', () => {
  it('is stored and flagged, the answer and the list say so, and the evaluation leaves it out by id', async () => {
    const now = Date.now();
    // The trial ended 12 h ago: an entry "now" is after its end, one 20 h ago is inside it.
    const start = formatInstant(now - 6 * 24 * H, 60);
    const end = formatInstant(now - 12 * H, 60);
    expect(
      scs(['diary', 'trial', '--patient', 'P-101', '--start', start, '--end', end, '--data-dir', dir]).status,
    ).toBe(0);
    server = await startServer(dir);
    const cookie = await enrolPhone(invite(dir, 'P-101', server.baseUrl));
    const madeAt = formatInstant(now, 60);
    const after = { id: randomUUID(), at: madeAt, madeAt, nrs: 6 };
    const inside = { id: randomUUID(), at: formatInstant(now - 20 * H, 60), madeAt, nrs: 4 };

    const stored = await post(cookie, after);
    expect(stored.status).toBe(201);
    expect(stored.json.entry).toMatchObject({ id: after.id, nrs: 6, outsideTrial: true });
    expect(stored.json.notice).toMatch(/outside your trial dates.*does not count towards the trial result/);
    // A retried send of the same entry answers the same, still stored once.
    const again = await post(cookie, after);
    expect([again.status, again.json.duplicate, again.json.notice]).toEqual([200, true, stored.json.notice]);
    const counted = await post(cookie, inside);
    expect(counted.status).toBe(201);
    expect(counted.json.entry).toMatchObject({ id: inside.id, outsideTrial: false });
    expect(counted.json.notice).toBeUndefined();

    const list = await fetch(`${server.baseUrl}/api/entries`, { headers: { cookie } });
    const entries = ((await list.json()) as { entries: { id: string; outsideTrial: boolean }[] }).entries;
    expect(new Map(entries.map((e) => [e.id, e.outsideTrial]))).toEqual(
      new Map([
        [after.id, true],
        [inside.id, false],
      ]),
    );

    const rows = await webEntries(dir, 'P-101');
    expect(rows.map((r) => [r.uuid, r.source, r.phase])).toEqual([
      [inside.id, 'web', 'trial'],
      [after.id, 'web', 'trial'],
    ]);
    const evaluation = JSON.parse(scs(['diary', 'evaluate', '--patient', 'P-101', '--json', '--data-dir', dir]).stdout);
    const afterId = rows.find((r) => r.uuid === after.id)!.id;
    expect(evaluation.outsideTrial).toEqual([{ id: afterId, at: madeAt, phase: 'trial', why: 'after-trial-end' }]);
    expect(evaluation.trialNrs.entries).toBe(1);
  }, 120_000);

  it('the answer is in the language of the invite', async () => {
    const now = Date.now();
    const dates = ['--start', formatInstant(now - 6 * 24 * H, 0), '--end', formatInstant(now - 12 * H, 0)];
    expect(scs(['diary', 'trial', '--patient', 'P-102', ...dates, '--data-dir', dir]).status).toBe(0);
    server = await startServer(dir);
    const cookie = await enrolPhone(invite(dir, 'P-102', server.baseUrl, ['--lang', 'zh-CN']));
    const madeAt = formatInstant(now, 480);
    const r = await post(cookie, { id: randomUUID(), at: madeAt, madeAt, nrs: 5 });
    expect(r.status).toBe(201);
    expect(r.json.notice).toContain('不在您的试验日期内');
  }, 120_000);
});
