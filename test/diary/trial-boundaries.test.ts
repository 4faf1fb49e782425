/**
 * Issue 14, the diary's trial boundaries: once the trial dates are set, entries outside them take no
 * part in the verdict and are named in the reasons; a day counts as missing only when the trial covers
 * at least 12 h of it; the summary line shows the longest responding run and how far it is from 48 h.
 */
import { describe, expect, it } from 'vitest';
import { chartData } from '../../src/diary/chart-data.js';
import { expectedDays } from '../../src/diary/data-quality.js';
import { humanEvaluation } from '../../src/diary/diary-text.js';
import type { DiaryEntry } from '../../src/diary/entry.js';
import { parseInstant } from '../../src/diary/instant.js';
import { entriesUpTo, outsideTrial } from '../../src/diary/trial-boundaries.js';
import { evaluateTrial } from '../../src/diary/trial-criterion.js';
import { baselineNrs, entry, improved, trialNrs } from './helpers.js';

const START = parseInstant('2024-03-29T08:00+01:00');
const END = parseInstant('2024-04-05T08:00+02:00');
const dates = { trialStart: START, trialEnd: END };
const withId = (id: number, e: DiaryEntry) => ({ ...e, id });

/** Trial NRS twice a day (08:00 and 20:00) from the start to the last evening before the end, all responding. */
function weekOfTrial(nrs = 4): DiaryEntry[] {
  const out: DiaryEntry[] = [];
  for (let h = 0; h < 7 * 24; h += 12) out.push(trialNrs(h, nrs));
  return out;
}

describe('entries outside the trial dates', () => {
  it('leave a trial-phase entry typed years later out of the verdict and name it by id and time', () => {
    const late = withId(99, entry('2026-12-01T10:00+01:00', 'trial', { nrs: 9 }));
    const entries = [...baselineNrs(8, 8), ...weekOfTrial(), improved(150), late];
    const r = evaluateTrial(entries, dates);
    expect(r.trialNrs.entries).toBe(14);
    expect(r.trialNrs.spanHours).toBe(156);
    expect(r.outsideTrial).toEqual([{ id: 99, at: '2026-12-01T10:00+01:00', phase: 'trial', why: 'after-trial-end' }]);
    expect(r.reasons.join('\n')).toMatch(
      /1 entry lies outside the trial 2024-03-29T08:00\+01:00 to 2024-04-05T08:00\+02:00 and took no part in the verdict: #99 2026-12-01T10:00\+01:00 \(trial-phase entry after the trial end\)/,
    );
    expect(r.verdict).toBe('pass');
    expect(r.trialDates).toEqual({ start: START.text, end: END.text });
    // The same diary without trial dates counts it (behaviour as before) and says the dates are missing.
    const undated = evaluateTrial(entries);
    expect(undated.trialNrs.entries).toBe(15);
    expect(undated.outsideTrial).toEqual([]);
    expect(undated.reasons.join('\n')).toMatch(/Trial dates are not set/);
    expect(r.reasons.join('\n')).not.toMatch(/Trial dates are not set/);
  });

  it('leaves out trial-phase entries before the start and baseline-phase entries at or after it', () => {
    const early = withId(1, entry('2024-03-28T08:00+01:00', 'trial', { nrs: 9 }));
    const lateBaseline = withId(2, entry('2024-03-30T08:00+01:00', 'baseline', { nrs: 2 }));
    const atStart = withId(3, entry('2024-03-29T08:00+01:00', 'baseline', { nrs: 2 }));
    const r = evaluateTrial(
      [...baselineNrs(8, 8), early, lateBaseline, atStart, ...weekOfTrial(), improved(150)],
      dates,
    );
    expect(r.baseline.nrs).toBe(8); // the 2s after the start are not part of the baseline
    expect(r.outsideTrial.map((o) => [o.id, o.why])).toEqual([
      [1, 'before-trial-start'],
      [3, 'baseline-after-trial-start'],
      [2, 'baseline-after-trial-start'],
    ]);
    expect(outsideTrial(entry('2024-04-05T08:00+02:00', 'trial', { nrs: 3 }), { start: START, end: END })).toBeNull(); // the end itself is inside
    expect(outsideTrial(entry('2024-04-05T08:00:01+02:00', 'trial', { nrs: 3 }), { start: START, end: END })).toBe(
      'after-trial-end',
    );
  });

  it('warns about a trial longer than 14 days, from the dates or (without dates) from the entries', () => {
    const spread = [...baselineNrs(8), trialNrs(0, 4), trialNrs(20 * 24, 4)];
    expect(evaluateTrial(spread).reasons.join('\n')).toMatch(/lasted 20\.0 days, longer than 14 days/);
    expect(
      evaluateTrial(spread, { trialStart: START, trialEnd: parseInstant('2024-04-18T08:00+02:00') }).reasons.join('\n'),
    ).toMatch(/longer than 14 days/);
    expect(evaluateTrial(spread, dates).reasons.join('\n')).not.toMatch(/longer than 14 days/);
  });

  it('keeps only entries up to the procedure date for a verdict recorded that day', () => {
    const entries = [
      trialNrs(0, 4),
      entry('2024-04-05T23:59+02:00', 'trial', { nrs: 4 }),
      entry('2024-04-06T00:01+02:00', 'trial', { nrs: 4 }),
    ];
    const { kept, later } = entriesUpTo(entries, '2024-04-05');
    expect(kept).toHaveLength(2);
    expect(later.map((e) => e.at.text)).toEqual(['2024-04-06T00:01+02:00']);
  });
});

describe('missing days (a day is expected when the trial covers ≥ 12 h of it)', () => {
  it('does not report the last morning of a trial that ends at 08:00 on day 8', () => {
    const r = evaluateTrial([...baselineNrs(8), ...weekOfTrial(), improved(150)], dates);
    expect(r.dataQuality.missingDays).toEqual([]);
    expect(r.reasons.join('\n')).not.toMatch(/No trial entries on/);
    expect(expectedDays(START, END)).toEqual([
      '2024-03-29',
      '2024-03-30',
      '2024-03-31',
      '2024-04-01',
      '2024-04-02',
      '2024-04-03',
      '2024-04-04',
    ]);
  });

  it('still reports a day in the middle, and the first day when the trial starts in the morning', () => {
    const noDay3 = weekOfTrial().filter((e) => e.at.localDate !== '2024-03-31');
    expect(evaluateTrial(noDay3, dates).dataQuality.missingDays).toEqual(['2024-03-31']);
    const noDay1 = weekOfTrial().filter((e) => e.at.localDate !== '2024-03-29');
    expect(evaluateTrial(noDay1, dates).dataQuality.missingDays).toEqual(['2024-03-29']); // 16 h of it are trial
  });

  it('does not expect an entry on a first day the trial covers for less than 12 h', () => {
    const evening = parseInstant('2024-03-29T20:00+01:00');
    expect(expectedDays(evening, END)[0]).toBe('2024-03-30');
    expect(expectedDays(parseInstant('2024-03-29T12:00+01:00'), END)[0]).toBe('2024-03-29'); // exactly 12 h
  });
});

describe('the summary agrees with its reasons', () => {
  it('shows the longest responding run and how far it is from the sustain time', () => {
    const entries = [...baselineNrs(8), trialNrs(0, 4), trialNrs(3.5, 4), trialNrs(10, 8), trialNrs(72, 8), improved()];
    const r = evaluateTrial(entries);
    expect(r.pain.bestRunHours).toBe(0); // JSON meaning kept: no qualifying run
    expect(r.pain.longestRunHours).toBe(3.5);
    const text = humanEvaluation(r);
    expect(text).toMatch(/Pain ≥30%: not met; longest responding run 3\.5 h, 44\.5 h short of the 48 h needed/);
    expect(text).not.toMatch(/best run 0\.0 h/);
    const passing = humanEvaluation(
      evaluateTrial([...baselineNrs(8), trialNrs(0, 4), trialNrs(24, 4), trialNrs(48, 4), improved()]),
    );
    expect(passing).toMatch(
      /Pain ≥30%: met; longest responding run 48 h \(≥48 h needed\); qualifying window 2024-03-29T08:00:00\+01:00 to 2024-03-31T08:00:00\+01:00/,
    );
  });
});

describe('chart data spans the trial once its dates are set', () => {
  it('draws the trial period and leaves out entries outside it', () => {
    const late = entry('2026-12-01T10:00+01:00', 'trial', { nrs: 9 });
    const entries = [...baselineNrs(8, 8), ...weekOfTrial(), late];
    const c = chartData(entries, evaluateTrial(entries, dates));
    expect(c.range).toEqual({ startMs: START.ms, endMs: END.ms });
    expect(c.points).toHaveLength(14);
    expect(c.points.every((p) => p.ms >= START.ms && p.ms <= END.ms)).toBe(true);
    const undated = chartData(entries, evaluateTrial(entries));
    expect(undated.points).toHaveLength(17);
    expect(undated.range!.endMs).toBe(late.at.ms);
  });
});
