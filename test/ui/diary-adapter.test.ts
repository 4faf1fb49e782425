import { afterEach, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { storeDiary } from '../../src/ui/diary-adapter.js';
import { STORE_KINDS, cleanup, target } from '../store/store-kinds.js';

/** The diary screen on a real store (SQLite file, PostgreSQL): entries land, the chart comes from the diary core. */

afterEach(cleanup);

describe.each(STORE_KINDS)('diary screen on the %s store', (kind) => {
  async function open(now: () => Date) {
    const store = await DiaryStore.open(await target(kind));
    return { store, diary: storeDiary(store, 'P01', now) };
  }

  it('quick entries are stored, and the chart shows baseline, responder line and window', async () => {
    let t = Date.parse('2025-03-01T08:00:00Z');
    const { store, diary } = await open(() => new Date(t));
    for (const nrs of [8, 8]) {
      expect((await diary.add({ phase: 'baseline', nrs })).ok).toBe(true);
      t += 12 * 3_600_000;
    }
    for (const nrs of [5, 4, 5, 5, 4]) {
      expect((await diary.add({ phase: 'trial', nrs })).ok).toBe(true);
      t += 12 * 3_600_000;
    }
    expect((await diary.add({ phase: 'trial', pdi: 30 })).ok).toBe(true);
    expect(await store.current('P01')).toHaveLength(8);
    const chart = await diary.chart();
    expect(chart.baselineNrs).toBe(8);
    expect(chart.responderCeiling).toBe(5);
    expect(chart.points).toHaveLength(7);
    expect(chart.points.filter((p) => p.responds)).toHaveLength(5);
    expect(chart.window).not.toBeNull();
    expect(chart.window!.endMs - chart.window!.startMs).toBe(48 * 3_600_000);
    await store.close();
  });

  it('refuses what the diary refuses, with its reason, and stores nothing', async () => {
    const t = Date.parse('2025-03-01T08:00:00Z');
    const { store, diary } = await open(() => new Date(t));
    const bad = await diary.add({ phase: 'trial', nrs: 11 });
    expect(bad).toEqual({ ok: false, error: expect.stringMatching(/NRS 11 is out of range 0–10/) });
    expect((await diary.add({ phase: 'trial', nrs: 3 })).ok).toBe(true);
    const duplicate = await diary.add({ phase: 'trial', nrs: 4 });
    expect(duplicate.ok).toBe(false);
    expect(await store.current('P01')).toHaveLength(1);
    await store.close();
  });
});
