/**
 * Issue 14 on the bedside diary screen: an entry that would lie outside the trial dates is not stored
 * at once; the screen asks, `y` stores it (marked as not counted), `n` or Esc stores nothing. The
 * chart draws the trial period, not the years between the trial and a stray entry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { formatInstant, parseInstant } from '../../src/diary/instant.js';
import { chartLines } from '../../src/ui/diary-chart.js';
import { storeDiary } from '../../src/ui/diary-adapter.js';
import { KEY, renderApp } from './render.js';

const H = 3_600_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A store whose patient P-101 had a trial from 10 to 3 days ago, with trial NRS twice a day. */
async function pastTrial() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-ui-outside-'));
  dirs.push(dir);
  const store = await DiaryStore.open({ dataDir: dir });
  const start = Date.now() - 10 * 24 * H;
  await store.setTrial('P-101', {
    start: parseInstant(formatInstant(start, 60)),
    end: parseInstant(formatInstant(start + 7 * 24 * H, 60)),
  });
  for (let h = 0; h < 7 * 24; h += 12) {
    await store.add('P-101', {
      at: parseInstant(formatInstant(start + h * H, 60)),
      recordedAt: null,
      phase: 'trial',
      nrs: 4,
      pdi: null,
      pdiDomains: null,
      activity: null,
      note: null,
    });
  }
  return { store, start };
}

describe('bedside diary: entries outside the trial', () => {
  it('the adapter refuses an entry after the trial end with the question, and stores it once confirmed', async () => {
    const { store } = await pastTrial();
    const diary = storeDiary(store, 'P-101');
    const refused = await diary.add({ phase: 'trial', nrs: 6 });
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.outsideTrial).toMatch(
      /NRS 6 at .* is a trial-phase entry after the trial end .*Store it anyway\? y yes/,
    );
    expect(await store.current('P-101')).toHaveLength(14);
    const stored = await diary.add({ phase: 'trial', nrs: 6, outsideTrial: true });
    expect(stored).toEqual({
      ok: true,
      text: expect.stringMatching(/saved NRS 6 \(trial\) .*; outside the trial, not counted in the verdict/),
    });
    expect(await store.current('P-101')).toHaveLength(15);
    await store.close();
  });

  it('asks on screen 5: n stores nothing, y stores it; the chart still spans the trial', async () => {
    const { store } = await pastTrial();
    const diary = storeDiary(store, 'P-101');
    const app = await renderApp({ diary, initial: { screen: 'diary' } });
    await app.press('n', '6', KEY.enter);
    await app.waitFor((f) => /Store it anyway\? y yes · n\/Esc no/.test(f), 'the question');
    await app.press('n');
    await app.waitFor((f) => !/Store it anyway/.test(f), 'the question closed');
    expect(await store.current('P-101')).toHaveLength(14);
    await app.press('n', '6', KEY.enter);
    await app.waitFor((f) => /Store it anyway/.test(f), 'the question again');
    await app.press('y');
    await app.waitFor((f) => /saved NRS 6 .*outside the trial/.test(f), 'the stored entry');
    expect(await store.current('P-101')).toHaveLength(15);
    // The chart spans the trial: its 14 entries spread over the width instead of one or two columns.
    const chart = await diary.chart();
    expect(chart.points).toHaveLength(14);
    const rows = chartLines(chart).slice(0, 11);
    const columns = new Set(
      rows.flatMap((r) => [...r.slice(5)].flatMap((ch, i) => (ch === 'o' || ch === '*' ? [i] : []))),
    );
    expect(columns.size).toBeGreaterThanOrEqual(12);
    expect(Math.max(...columns) - Math.min(...columns)).toBeGreaterThan(45);
    app.unmount();
    await store.close();
  });
});
