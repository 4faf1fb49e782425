/**
 * Issue 14: the bedside diary screen shows the verdict's decisive reasons, not just the last reason
 * line: why the verdict, then the criterion lines, then the data-quality lines, from the diary core
 * (`decisiveReasons`) on a real SQLite diary. The example: a trial ending at 08:00 on day 8
 * once showed only "No trial entries on 1 day(s)" beside the verdict.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { parseEntry } from '../../src/diary/entry.js';
import { parseInstant } from '../../src/diary/instant.js';
import { diaryChart } from '../../src/ui/diary-adapter.js';
import type { DiaryChartView } from '../../src/ui/diary-chart.js';
import { DiaryScreen } from '../../src/ui/screens/diary-screen.js';
import { renderPlain } from './render.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function diaryWith(rows: [string, 'baseline' | 'trial', number | null, string?][]): Promise<DiaryStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-verdict-reasons-'));
  dirs.push(dir);
  // Each entry is recorded an hour after the time it describes (none is late).
  let clock = 0;
  const store = await DiaryStore.open({ dataDir: dir, now: () => new Date(clock) });
  for (const [at, phase, nrs, activity] of rows) {
    const parsed = parseEntry({ timestamp: at, phase, nrs: nrs?.toString(), activity });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    clock = parsed.entry.at.ms + 3_600_000;
    await store.add('P-101', parsed.entry);
  }
  return store;
}

const screen = (chart: DiaryChartView) =>
  renderPlain(<DiaryScreen chart={chart} phase="trial" />)
    .lastFrame()!
    .split('\n');

describe('bedside diary screen: the verdict and its decisive reasons', () => {
  it('shows why the verdict, the criterion lines, then the data-quality lines, in that order', async () => {
    // B = 8; a run of 5s (≤ 5 responds at 30 %) from day 1 to day 3 only: 48 h would be met, but
    // activity was not improved → fail, decided by the activity line.
    // Shown: the verdict's why, the activity line, then the missing days (3 lines, below the cap of 4).
    const store = await diaryWith([
      ['2024-03-20T08:00+01:00', 'baseline', 8],
      ['2024-03-21T08:00+01:00', 'baseline', 8],
      ['2024-03-29T09:00+01:00', 'trial', 5],
      ['2024-03-30T09:00+01:00', 'trial', 5],
      ['2024-03-31T09:00+02:00', 'trial', 5],
      ['2024-04-04T09:00+02:00', 'trial', null, 'not-improved'],
    ]);
    await store.setTrial('P-101', {
      start: parseInstant('2024-03-29T08:00+01:00'),
      end: parseInstant('2024-04-05T08:00+02:00'),
    });
    const chart = await diaryChart(store, 'P-101');
    await store.close();
    const lines = screen(chart);
    const at = lines.findIndex((l) => l.startsWith('Verdict: fail — daily activity did not improve.'));
    expect(at, lines.join('\n')).toBeGreaterThanOrEqual(0);
    const below = lines.slice(at + 1).map((l) => l.trim());
    expect(below[0]).toMatch(/^Activity/);
    // The data-quality lines follow: days 4 to 6 (2024-04-01 to 04-03) have no entry; the last morning
    // (2024-04-05, 8 h covered) is not a missing day.
    const missing = below.findIndex((l) =>
      l.startsWith('No trial entries on 3 day(s): 2024-04-01, 2024-04-02, 2024-04-03'),
    );
    expect(missing, below.join('\n')).toBeGreaterThan(0);
    expect(below.some((l) => l.includes('2024-04-05'))).toBe(false);
  });

  it('keeps the screen short: beyond four lines under the verdict, the rest are counted', () => {
    const chart: DiaryChartView = {
      patientId: 'P-1',
      points: [],
      baselineNrs: null,
      responderCeiling: null,
      window: null,
      verdict: 'insufficient',
      reasons: ['why', 'criterion 1', 'criterion 2', 'quality 1', 'quality 2', 'quality 3'],
    };
    const lines = screen(chart).map((l) => l.trim());
    const at = lines.indexOf('Verdict: insufficient — why');
    expect(lines.slice(at + 1, at + 5)).toEqual([
      'criterion 1',
      'criterion 2',
      'quality 1',
      '… 2 more: scs diary evaluate --patient ID lists every reason',
    ]);
  });
});
