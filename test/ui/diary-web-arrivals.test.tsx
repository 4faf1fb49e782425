/**
 * The bedside diary screen shows entries from the patient's phone as they arrive: the phone's server
 * writes into the same store file through its own connection, and the open screen re-reads it. Each
 * entry is listed with its source (web, bedside).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { formatInstant, parseInstant } from '../../src/diary/instant.js';
import { WebDiaryStore } from '../../src/diary/web/web-diary-store.js';
import { storeDiary } from '../../src/ui/diary-adapter.js';
import { renderApp } from './render.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function phoneEntry(nrs: number, msAgo: number) {
  return {
    at: parseInstant(formatInstant(Date.now() - msAgo, 60)),
    recordedAt: null,
    phase: 'trial' as const,
    nrs,
    pdi: null,
    pdiDomains: null,
    activity: null,
    note: null,
  };
}

describe('bedside diary screen and the web diary', () => {
  it('shows a phone entry that arrives while the screen is open, marked [web]; its own entries are [bedside]', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-ui-web-'));
    dirs.push(dir);
    const bedside = await DiaryStore.open({ dataDir: dir });
    await bedside.setTrial('P-017', { start: parseInstant(formatInstant(Date.now() - 48 * 3_600_000, 60)) });
    const diary = storeDiary(bedside, 'P-017');
    expect((await diary.add({ phase: 'trial', nrs: 6 })).ok).toBe(true);
    const app = await renderApp({ diary, diaryPollMs: 50, initial: { screen: 'diary' } });
    await app.waitFor((f) => /#1 .*NRS 6\s+\[bedside\]/.test(f), 'the bedside entry');
    expect(app.frame()).not.toContain('[web]');

    // The server (another connection to the same file) stores an entry from the phone.
    const server = await WebDiaryStore.on(await DiaryStore.open({ dataDir: dir }));
    try {
      await server.addOnce('P-017', '3f8a1c2e-0000-4000-8000-000000000001', phoneEntry(3, 60_000));
    } finally {
      await server.diary.close();
    }
    const frame = await app.waitFor((f) => /#2 .*NRS 3\s+\[web\]/.test(f), 'the phone entry on the open screen');
    expect(frame).toMatch(/#1 .*NRS 6\s+\[bedside\]/);
    app.unmount();
    await bedside.close();
  });
});
