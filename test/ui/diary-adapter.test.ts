import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { storeDiary } from '../../src/ui/diary-adapter.js';

/** The diary screen on a real SQLite store: entries land, the chart comes from the diary core. */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function open(now: () => Date) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-ui-diary-'));
  dirs.push(dir);
  const store = DiaryStore.open({ dataDir: dir });
  return { store, diary: storeDiary(store, 'P01', now), dir };
}

describe('diary screen on the store', () => {
  it('quick entries are stored, and the chart shows baseline, responder line and window', () => {
    let t = Date.parse('2025-03-01T08:00:00Z');
    const { store, diary } = open(() => new Date(t));
    for (const nrs of [8, 8]) {
      expect(diary.add({ phase: 'baseline', nrs }).ok).toBe(true);
      t += 12 * 3_600_000;
    }
    for (const nrs of [5, 4, 5, 5, 4]) {
      expect(diary.add({ phase: 'trial', nrs }).ok).toBe(true);
      t += 12 * 3_600_000;
    }
    expect(diary.add({ phase: 'trial', pdi: 30 }).ok).toBe(true);
    expect(store.current('P01')).toHaveLength(8);
    const chart = diary.chart();
    expect(chart.baselineNrs).toBe(8);
    expect(chart.responderCeiling).toBe(5);
    expect(chart.points).toHaveLength(7);
    expect(chart.points.filter((p) => p.responds)).toHaveLength(5);
    expect(chart.window).not.toBeNull();
    expect(chart.window!.endMs - chart.window!.startMs).toBe(48 * 3_600_000);
    store.close();
  });

  it('refuses what the diary refuses, with its reason, and stores nothing', () => {
    const t = Date.parse('2025-03-01T08:00:00Z');
    const { store, diary } = open(() => new Date(t));
    const bad = diary.add({ phase: 'trial', nrs: 11 });
    expect(bad).toEqual({ ok: false, error: expect.stringMatching(/NRS 11 is out of range 0–10/) });
    expect(diary.add({ phase: 'trial', nrs: 3 }).ok).toBe(true);
    const duplicate = diary.add({ phase: 'trial', nrs: 4 });
    expect(duplicate.ok).toBe(false);
    expect(store.current('P01')).toHaveLength(1);
    store.close();
  });
});
