import { describe, expect, it } from 'vitest';
import { fraction } from '../../src/diary/fraction.js';
import { evaluateTrial } from '../../src/diary/trial-criterion.js';
import { baselineNrs, entry, H, T0, trialNrs } from '../diary/helpers.js';
import { formatInstant } from '../../src/diary/instant.js';

/** Tests written to kill mutants of src/diary/trial-criterion.ts: option bounds, exact reasons and numbers. */
describe('criterion options: exact bounds and messages', () => {
  it('percent: above 0 and at most 100, compared as an exact fraction', () => {
    expect(() => evaluateTrial([], { percent: fraction(0) })).toThrow(
      new RangeError('percent must be above 0 and at most 100'),
    );
    expect(() => evaluateTrial([], { percent: fraction(201, 2) })).toThrow(
      new RangeError('percent must be above 0 and at most 100'),
    );
    expect(evaluateTrial([], { percent: fraction(100) }).criterion.percent).toBe(100);
    expect(evaluateTrial([], { percent: fraction(301, 4) }).criterion.percent).toBe(75.25);
  });

  it('sustain hours: 0 is allowed, below 0 or not finite is refused', () => {
    expect(() => evaluateTrial([], { sustainHours: -1 })).toThrow(new RangeError('sustain hours must be a number ≥ 0'));
    expect(evaluateTrial([], { sustainHours: 0 }).criterion.sustainHours).toBe(0);
  });

  it('max gap hours: must be above 0', () => {
    expect(() => evaluateTrial([], { maxGapHours: 0 })).toThrow(new RangeError('max gap hours must be a number > 0'));
  });

  it('late hours: 0 is allowed, below 0 or not finite is refused', () => {
    expect(() => evaluateTrial([], { lateHours: -1 })).toThrow(new RangeError('late hours must be a number ≥ 0'));
    expect(() => evaluateTrial([], { lateHours: Number.NaN })).toThrow(
      new RangeError('late hours must be a number ≥ 0'),
    );
    expect(evaluateTrial([], { lateHours: 0 }).criterion.lateHours).toBe(0);
  });

  it('baseline NRS: 0 to 10 inclusive, compared as an exact fraction', () => {
    expect(() => evaluateTrial([], { baseline: fraction(-1) })).toThrow(new RangeError('baseline NRS must be 0–10'));
    expect(() => evaluateTrial([], { baseline: fraction(21, 2) })).toThrow(new RangeError('baseline NRS must be 0–10'));
    expect(evaluateTrial([], { baseline: fraction(0) }).baseline.nrs).toBe(0);
    expect(evaluateTrial([], { baseline: fraction(19, 2) }).baseline.nrs).toBe(9.5);
    expect(evaluateTrial([], { baseline: fraction(10) }).baseline.nrs).toBe(10);
  });
});

describe('criterion: exact result fields and reasons', () => {
  it('with no baseline the source is none', () => {
    expect(evaluateTrial([]).baseline.source).toBe('none');
  });

  it('the trial span is reported in hours', () => {
    const r = evaluateTrial([...baselineNrs(8), trialNrs(0, 8), trialNrs(2, 8)]);
    expect(r.trialNrs.spanHours).toBe(2);
  });

  it('with a baseline but no trial NRS, each pain reason says so', () => {
    const r = evaluateTrial(baselineNrs(8));
    expect(r.reasons).toContain('Pain ≥30%: not met; no trial-phase NRS entries. NRS ≤ 5 responds (70% of 8 is 5.6).');
    expect(r.reasons).toContain('Pain ≥50%: not met; no trial-phase NRS entries. NRS ≤ 4 responds (50% of 8 is 4).');
  });

  it('a baseline of 1/2 still lets NRS 0 respond (the ceiling is 0, not "none")', () => {
    // 70 % of 1/2 is 0.35: NRS 0 is the only value at or below it.
    const r = evaluateTrial([], { baseline: fraction(1, 2) });
    expect(r.pain.responderMaxNrs).toBe(0);
    expect(r.reasons[0]).toBe('Baseline NRS 0.5 (1/2) given explicitly.');
    expect(r.reasons).toContain(
      'Pain ≥30%: not met; no trial-phase NRS entries. NRS ≤ 0 responds (70% of 0.5 (1/2) is 0.35).',
    );
  });

  it('without a baseline no NRS value can respond: the ceiling is -1', () => {
    const r = evaluateTrial([]);
    expect(r.pain.responderMaxNrs).toBe(-1);
    expect(r.pain50.responderMaxNrs).toBe(-1);
  });

  it('verdict texts for a long span without a run and for a short span', () => {
    const long = evaluateTrial([...baselineNrs(8), trialNrs(0, 8), trialNrs(24, 8), trialNrs(48, 8)]);
    expect(long.verdict).toBe('fail');
    expect(long.reasons).toContain('Verdict fail: trial NRS entries span 48 h (≥48 h) without a qualifying run.');
    const short = evaluateTrial([...baselineNrs(8), trialNrs(0, 8), trialNrs(2, 8)]);
    expect(short.verdict).toBe('insufficient');
    expect(short.reasons).toContain('Verdict insufficient: trial NRS entries span only 2 h, less than 48 h.');
  });

  it('activity that did not improve fails the verdict with that reason', () => {
    const r = evaluateTrial([
      ...baselineNrs(8),
      trialNrs(0, 2),
      entry(formatInstant(T0 + 10 * H, 60), 'trial', { activity: 'not-improved' }),
    ]);
    expect(r.verdict).toBe('fail');
    expect(r.reasons).toContain('Verdict fail: daily activity did not improve.');
  });

  it('duplicate instants: the reason lists at most five of them', () => {
    const dup = (h: number) => [trialNrs(h, 8), trialNrs(h, 7)];
    const r = evaluateTrial([...baselineNrs(8), ...[0, 1, 2, 3, 4, 5].flatMap(dup)]);
    expect(r.trialNrs.duplicateInstants).toHaveLength(6);
    const shown = r.trialNrs.duplicateInstants.slice(0, 5).join(', ');
    expect(r.reasons).toContain(
      `6 instant(s) have more than one trial NRS (${shown}); the worst value at each counts.`,
    );
  });
});
