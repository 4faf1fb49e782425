import { describe, expect, it } from 'vitest';
import { chartData } from '../../src/diary/chart-data.js';
import { assessDataQuality } from '../../src/diary/data-quality.js';
import { parseInstant } from '../../src/diary/instant.js';
import { evaluateTrial } from '../../src/diary/trial-criterion.js';
import { baselineNrs, entry, improved, trialNrs } from './helpers.js';

const at = (s: string) => parseInstant(s);

describe('H16: time described vs time recorded, missing days', () => {
  const late = entry('2024-03-29T08:00+01:00', 'trial', { nrs: 4, recordedAt: at('2024-03-30T08:00:01+01:00') });
  const onTime = entry('2024-03-30T08:00+01:00', 'trial', { nrs: 4, recordedAt: at('2024-03-31T09:00+02:00') }); // exactly 24 h
  const future = entry('2024-04-02T08:00+02:00', 'trial', { nrs: 4, recordedAt: at('2024-04-02T07:00+02:00') });

  it('flags entries recorded more than the delay after the time they describe, in the reasons', () => {
    const r = evaluateTrial([...baselineNrs(8), late, onTime, future]);
    expect(r.dataQuality.late.map((f) => f.at)).toEqual(['2024-03-29T08:00+01:00']);
    expect(r.dataQuality.recordedBefore.map((f) => f.at)).toEqual(['2024-04-02T08:00+02:00']);
    expect(r.reasons.join('\n')).toMatch(/Late entries: 1 recorded more than 24 h/);
    expect(r.reasons.join('\n')).toMatch(/recorded before the time they describe/);
    // the delay is configurable
    expect(evaluateTrial([late, onTime], { lateHours: 25 }).dataQuality.late).toEqual([]);
    expect(evaluateTrial([late, onTime], { lateHours: 1 }).dataQuality.late).toHaveLength(2);
  });

  it('reports days without entries and never fills them in', () => {
    const entries = [...baselineNrs(8), trialNrs(0, 4), trialNrs(72, 4), improved(72)];
    const r = evaluateTrial(entries);
    expect(r.dataQuality.missingDays).toEqual(['2024-03-30', '2024-03-31']);
    expect(r.reasons.join('\n')).toMatch(/No trial entries on 2 day\(s\): 2024-03-30, 2024-03-31/);
    expect(r.trialNrs.entries).toBe(2); // nothing was imputed
    expect(r.pain.met).toBe(false); // a 72 h gap is not a run
  });

  it('uses the trial start and end when known, and the local date of each entry', () => {
    const q = assessDataQuality(
      [trialNrs(24, 4)],
      24 * 3_600_000,
      at('2024-03-29T00:00+01:00'),
      at('2024-03-31T23:00+02:00'),
    );
    expect(q.missingDays).toEqual(['2024-03-29', '2024-03-31']);
    expect(q.trial?.days).toBeCloseTo(3 - 2 / 24, 10);
    // 23:30-05:00 on 29 March is 30 March in UTC, but the diary day is the local one.
    const local = assessDataQuality([entry('2024-03-29T23:30-05:00', 'trial', { nrs: 4 })], 1, null, null);
    expect(local.missingDays).toEqual([]);
  });
});

describe('chartData', () => {
  it('gives the series in time order, the baseline, the 30% line and the qualifying window', () => {
    const entries = [
      trialNrs(48, 4),
      ...baselineNrs(8, 7),
      trialNrs(0, 4),
      trialNrs(24, 6),
      trialNrs(24.5, 5),
      improved(),
    ];
    const evaluation = evaluateTrial(entries);
    const c = chartData(entries, evaluation);
    expect(c.points.map((p) => p.ms)).toEqual([...c.points.map((p) => p.ms)].sort((a, b) => a - b));
    expect(c.points).toHaveLength(6);
    expect(c.baseline).toBe(7.5);
    expect(c.responderLine).toBeCloseTo(5.25, 10);
    expect(c.line50).toBe(3.75);
    expect(c.points.filter((p) => p.responds).map((p) => p.nrs)).toEqual([4, 5, 4]);
    expect(c.window).toBeNull(); // 6 at 24 h breaks the run
    const passing = [...baselineNrs(8), trialNrs(0, 4), trialNrs(24, 4), trialNrs(48, 4)];
    const w = chartData(passing, evaluateTrial(passing)).window;
    expect(w && (w.endMs - w.startMs) / 3_600_000).toBe(48);
  });
});
