/**
 * Issue 17: the bedside keeps working when PostgreSQL is unreachable. A station's diary screen adds
 * an entry, the server is stopped mid-session, two more entries are typed (kept on the station, "2
 * entries waiting to be sent"), the server is started again and the next refresh sends them: each
 * entry is on the server exactly once, also when a send's answer was lost.
 * This test runs its own server (stopping the shared one would disturb other test files).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiaryOutbox } from '../../src/diary/diary-outbox.js';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { WebDiaryStore } from '../../src/diary/web/web-diary-store.js';
import { openDatabase } from '../../src/store/database.js';
import { openStoreDiary } from '../../src/ui/diary-adapter.js';
import { DiaryScreen } from '../../src/ui/screens/diary-screen.js';
import type { UiDiary } from '../../src/ui/ui-ports.js';
import { parseInstant } from '../../src/diary/instant.js';
import { entry as diaryEntry } from '../diary/helpers.js';
import { type ThrowawayServer, startThrowawayServer } from '../pg/throwaway-server.js';

let server: ThrowawayServer;
let url: string;
let dataDir: string;
beforeAll(async () => {
  server = startThrowawayServer();
  url = await server.createDatabase('outage');
  await (await DiaryStore.open({ databaseUrl: url })).close(); // `scs db migrate`
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-outbox-'));
}, 120_000);
afterAll(() => {
  server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function onServer(patient: string) {
  const store = await DiaryStore.open({ databaseUrl: url });
  try {
    return await store.history(patient);
  } finally {
    await store.close();
  }
}

describe('a station while PostgreSQL is away', () => {
  it(
    'keeps entries in its outbox, says how many wait, and sends each exactly once when the server is back',
    { timeout: 120_000 },
    async () => {
      const opened = await openStoreDiary('P-out', { dataDir, databaseUrl: url, env: {} });
      if ('error' in opened) throw new Error(opened.error);
      const diary: UiDiary = opened.diary;
      try {
        const first = await diary.add({ phase: 'trial', nrs: 6 });
        expect(first).toEqual({ ok: true, text: expect.stringMatching(/^saved NRS 6 \(trial\) at .* as entry \d+$/) });
        expect((await diary.chart()).points).toHaveLength(1); // the screen shows it

        server.pause(); // the server goes away mid-session
        const second = await diary.add({ phase: 'trial', nrs: 5 });
        const third = await diary.add({ phase: 'trial', pdi: 30 });
        expect(second).toMatchObject({ ok: true, text: expect.stringMatching(/1 entries waiting to be sent$/) });
        expect(third).toMatchObject({ ok: true, text: expect.stringMatching(/2 entries waiting to be sent$/) });
        const offline = await diary.chart();
        expect(offline.waiting).toBe(2);
        expect(offline.points).toHaveLength(1); // the last chart the server gave, kept
        const screen = render(React.createElement(DiaryScreen, { chart: offline, phase: 'trial' }));
        expect(screen.lastFrame()).toContain('2 entries waiting to be sent');
        screen.unmount();

        server.resume();
        const back = await diary.chart();
        expect(back.waiting).toBe(0);
        const stored = await onServer('P-out');
        expect(stored.map((e) => [e.nrs, e.pdi, e.source])).toEqual([
          [6, null, 'bedside'],
          [5, null, 'bedside'],
          [null, 30, 'bedside'],
        ]);
        expect((await diary.chart()).waiting).toBe(0);
        expect(await onServer('P-out')).toHaveLength(3);
      } finally {
        server.resume();
        await opened.close();
      }
    },
  );

  it(
    'an entry whose answer was lost is sent again and still stored once (UUIDv7 key)',
    { timeout: 60_000 },
    async () => {
      const local = openDatabase({ dataDir });
      const outbox = new DiaryOutbox(local, async () => WebDiaryStore.on(await DiaryStore.open({ databaseUrl: url })));
      try {
        const entry = diaryEntry('2025-03-02T08:00Z', 'trial', { nrs: 4 });
        const uuid = outbox.enqueue('P-lost', entry);
        expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        // The server stored it, but the station never heard back: it is still in the outbox.
        await (await outbox.server()).addOnce('P-lost', uuid, entry, 'bedside');
        expect(outbox.waiting()).toBe(1);
        const flushed = await outbox.flush();
        expect(flushed.waiting).toBe(0);
        expect(await onServer('P-lost')).toHaveLength(1);
      } finally {
        await outbox.close();
        local.close();
      }
    },
  );

  it(
    "asks before storing an entry outside the trial dates, against the server's dates, and still while it is away (issue 14)",
    { timeout: 120_000 },
    async () => {
      // The server's patient had a trial that ended three days ago.
      const day = 24 * 3_600_000;
      const admin = await DiaryStore.open({ databaseUrl: url });
      await admin.setTrial('P-dates', {
        start: parseInstant(new Date(Date.now() - 10 * day).toISOString()),
        end: parseInstant(new Date(Date.now() - 3 * day).toISOString()),
      });
      await admin.close();
      const opened = await openStoreDiary('P-dates', { dataDir, databaseUrl: url, env: {} });
      if ('error' in opened) throw new Error(opened.error);
      try {
        const asked = await opened.diary.add({ phase: 'trial', nrs: 6 });
        expect(asked).toMatchObject({
          ok: false,
          outsideTrial: expect.stringMatching(
            /NRS 6 at .* is a trial-phase entry after the trial end .*Store it anyway\? y yes/,
          ),
        });
        expect(await onServer('P-dates')).toHaveLength(0);
        const yes = await opened.diary.add({ phase: 'trial', nrs: 6, outsideTrial: true });
        expect(yes).toEqual({
          ok: true,
          text: expect.stringMatching(
            /^saved NRS 6 \(trial\) .* as entry \d+; outside the trial, not counted in the verdict$/,
          ),
        });

        server.pause(); // away: the dates read last still hold
        const offline = await opened.diary.add({ phase: 'trial', nrs: 5 });
        expect(offline).toMatchObject({ ok: false, outsideTrial: expect.stringMatching(/after the trial end/) });
        const kept = await opened.diary.add({ phase: 'trial', nrs: 5, outsideTrial: true });
        expect(kept).toMatchObject({
          ok: true,
          text: expect.stringMatching(/outside the trial, not counted in the verdict: 1 entries waiting to be sent$/),
        });
        server.resume();
        expect((await opened.diary.chart()).waiting).toBe(0);
        expect((await onServer('P-dates')).map((e) => e.nrs)).toEqual([6, 5]);
      } finally {
        server.resume();
        await opened.close();
      }
    },
  );
});
