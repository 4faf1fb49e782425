import { describe, expect, it } from 'vitest';
import { fraction } from '../../src/diary/fraction.js';
import { responds, responderCeiling } from '../../src/diary/pain-runs.js';
import { evaluateTrial } from '../../src/diary/trial-criterion.js';
import { baselineNrs, entry, improved, trialNrs } from './helpers.js';

const thirty = fraction(30);

describe('responds (exact percent test)', () => {
  it('accepts exactly 30% and rejects just under', () => {
    // B = 10: 7 is exactly 30% lower.
    expect(responds(7, fraction(10), thirty)).toBe(true);
    expect(responds(8, fraction(10), thirty)).toBe(false);
  });

  it('decides fractional baselines exactly where floating point would not', () => {
    // B = 20/3 (mean of 7,7,6): 70% of it is 14/3 = 4.666…; 4 responds, 5 does not.
    const B = fraction(20, 3);
    expect(responds(4, B, thirty)).toBe(true);
    expect(responds(5, B, thirty)).toBe(false);
    // B = 10/3 (mean of 3,3,4): exactly 30% reduction lands on 7/3, between integers.
    expect(responds(2, fraction(10, 3), thirty)).toBe(true);
    expect(responds(3, fraction(10, 3), thirty)).toBe(false);
    // B = 30/7 (mean of 5,5,4,4,4,4,4): x = 3 is exactly 30% lower. Floating point x ≤ 0.7·B says no.
    expect(3 <= (30 / 7) * 0.7).toBe(false);
    expect(responds(3, fraction(30, 7), thirty)).toBe(true);
    expect(
      evaluateTrial([...baselineNrs(5, 5, 4, 4, 4, 4, 4), ...[0, 24, 48].map((h) => trialNrs(h, 3)), improved()])
        .verdict,
    ).toBe('pass');
  });

  it('handles fractional percents and 50%', () => {
    expect(responds(5, fraction(10), fraction(50))).toBe(true);
    expect(responds(6, fraction(10), fraction(50))).toBe(false);
    expect(responds(6, fraction(9), fraction(100, 3))).toBe(true); // 33⅓% of 9 is 3
    expect(responds(7, fraction(9), fraction(100, 3))).toBe(false);
  });

  it('finds the highest responding NRS', () => {
    expect(responderCeiling(fraction(13, 2), thirty)).toBe(4);
    expect(responderCeiling(fraction(0), thirty)).toBe(0); // 0 "responds" to 0 but B = 0 is handled by the verdict
    expect(responderCeiling(fraction(1), fraction(100))).toBe(0);
  });
});

describe('evaluateTrial: pain runs', () => {
  const base = baselineNrs(8, 8, 7, 7); // B = 7.5, 30% → NRS ≤ 5.25 → 5 responds
  const run = (hours: number[], nrs = 5) => hours.map((h) => trialNrs(h, nrs));

  it('meets the criterion at exactly 48 h and not at 48 h minus 1 ms', () => {
    const exact = evaluateTrial([...base, ...run([0, 12, 24, 36, 48]), improved()]);
    expect(exact.pain.met).toBe(true);
    expect(exact.pain.bestRunHours).toBe(48);
    expect(exact.pain.window).toEqual({ start: '2024-03-29T08:00:00+01:00', end: '2024-03-31T08:00:00+01:00' });
    expect(exact.verdict).toBe('pass');
    const short = evaluateTrial([...base, ...run([0, 12, 24, 36, 48 - 1 / 3_600_000]), improved()]);
    expect(short.pain.met).toBe(false);
    expect(short.pain.bestRunHours).toBe(0);
    expect(short.pain.window).toBeNull();
  });

  it('allows a gap of exactly the maximum and splits at one millisecond more', () => {
    expect(evaluateTrial([...base, ...run([0, 24, 48])]).pain.met).toBe(true);
    const split = evaluateTrial([...base, ...run([0, 24 + 1 / 3_600_000, 48])]);
    expect(split.pain.met).toBe(false);
    expect(split.pain.runs).toHaveLength(2);
    expect(evaluateTrial([...base, ...run([0, 30, 60])], { maxGapHours: 30 }).pain.met).toBe(true);
    expect(evaluateTrial([...base, ...run([0, 30, 60])]).pain.met).toBe(false);
  });

  it('lets a non-responding entry end a run', () => {
    const r = evaluateTrial([...base, ...run([0, 12, 24]), trialNrs(30, 6), ...run([36, 48, 60])]);
    expect(r.pain.met).toBe(false);
    expect(r.pain.longestRunHours).toBe(24);
    expect(r.pain.runs.map((x) => x.hours)).toEqual([24, 24]);
  });

  it('measures real elapsed time across a daylight-saving change (Europe/Berlin, 31 March 2024)', () => {
    // 08:00+01:00 on 29 March to 08:00+02:00 on 31 March is 47 h, not 48 h.
    const entries = [
      ...base,
      entry('2024-03-29T08:00+01:00', 'trial', { nrs: 4 }),
      entry('2024-03-30T08:00+01:00', 'trial', { nrs: 4 }),
      entry('2024-03-31T08:00+02:00', 'trial', { nrs: 4 }),
    ];
    expect(evaluateTrial(entries).pain.met).toBe(false);
    expect(evaluateTrial(entries).pain.longestRunHours).toBe(47);
    const later = [...entries, entry('2024-03-31T09:00+02:00', 'trial', { nrs: 4 })];
    expect(evaluateTrial(later).pain.bestRunHours).toBe(48);
    // Autumn: 25 October 2024 08:00+02:00 to 27 October 08:00+01:00 is 49 h.
    const autumn = [
      ...base,
      entry('2024-10-25T08:00+02:00', 'trial', { nrs: 4 }),
      entry('2024-10-26T08:00+02:00', 'trial', { nrs: 4 }),
      entry('2024-10-27T07:00+01:00', 'trial', { nrs: 4 }),
    ];
    expect(evaluateTrial(autumn).pain.bestRunHours).toBe(48);
  });

  it('orders by instant, not by input order, and ignores offsets for ordering', () => {
    const ordered = [...base, ...run([0, 12, 24, 36, 48])];
    const shuffled = [
      ordered[6]!,
      ordered[0]!,
      ordered[8]!,
      ordered[4]!,
      ordered[1]!,
      ordered[7]!,
      ordered[2]!,
      ordered[5]!,
      ordered[3]!,
    ];
    expect(evaluateTrial(shuffled)).toEqual(evaluateTrial(ordered));
    // The same instants written in another zone give the same result.
    const elsewhere = [...base, ...[0, 12, 24, 36, 48].map((h) => trialNrs(h, 5, -300))];
    expect(evaluateTrial(elsewhere).pain.bestRunHours).toBe(48);
  });

  it('counts the worst value when two NRS share an instant, and reports it', () => {
    const dup = [...base, ...run([0, 12, 24, 36, 48]), trialNrs(24, 9)];
    const r = evaluateTrial(dup);
    expect(r.pain.met).toBe(false);
    expect(r.trialNrs.duplicateInstants).toEqual(['2024-03-30T08:00:00+01:00']);
    expect(r.reasons.join('\n')).toMatch(/more than one trial NRS/);
    // An exact copy changes nothing.
    const copy = evaluateTrial([...base, ...run([0, 12, 24, 36, 48]), trialNrs(24, 5)]);
    expect(copy.pain).toEqual(evaluateTrial([...base, ...run([0, 12, 24, 36, 48])]).pain);
  });

  it('picks the longest qualifying run for the window', () => {
    const r = evaluateTrial([...base, ...run([0, 24, 48]), trialNrs(60, 9), ...run([72, 96, 120, 144])]);
    expect(r.pain.bestRunHours).toBe(72);
    expect(r.pain.window?.start).toBe('2024-04-01T08:00:00+01:00');
  });

  it('reports the 50% evaluation and honours --percent and --sustain-hours', () => {
    const r = evaluateTrial([...base, ...run([0, 24, 48], 3), improved()]);
    expect(r.pain50.met).toBe(true);
    const mixed = evaluateTrial([...base, ...run([0, 24, 48], 5), improved()]);
    expect(mixed.pain.met).toBe(true);
    expect(mixed.pain50.met).toBe(false);
    expect(evaluateTrial([...base, ...run([0, 24, 48], 5)], { percent: fraction(40) }).pain.met).toBe(false);
    expect(evaluateTrial([...base, ...run([0, 24], 5)], { sustainHours: 24 }).pain.met).toBe(true);
  });

  it('uses --baseline instead of the diary mean', () => {
    const r = evaluateTrial([...base, ...run([0, 24, 48], 6)], { baseline: fraction(10) });
    expect(r.baseline).toEqual({ nrs: 10, exact: '10', entries: 4, source: 'option' });
    expect(r.pain.met).toBe(true);
  });
});

describe('evaluateTrial: activity', () => {
  const base = baselineNrs(8, 8);
  const pain = [0, 24, 48].map((h) => trialNrs(h, 4));
  const pdi = (phase: 'baseline' | 'trial', at: string, value: number) => entry(at, phase, { pdi: value });

  it('is met when the last trial PDI is at least the minimum below the baseline mean', () => {
    const entries = [
      ...base,
      ...pain,
      pdi('baseline', '2024-03-20T08:00+01:00', 40),
      pdi('baseline', '2024-03-21T08:00+01:00', 41),
    ];
    // mean 40.5; last trial PDI 39.5 would be needed for 1 point; 39 meets, 40 does not.
    const met = evaluateTrial([...entries, pdi('trial', '2024-04-01T08:00+02:00', 39)]);
    expect(met.activity.met).toBe(true);
    expect(met.verdict).toBe('pass');
    const notMet = evaluateTrial([...entries, pdi('trial', '2024-04-01T08:00+02:00', 40)]);
    expect(notMet.activity.met).toBe(false);
    expect(notMet.verdict).toBe('fail');
    // the LAST trial PDI counts, not the best
    const last = evaluateTrial([
      ...entries,
      pdi('trial', '2024-03-30T08:00+01:00', 20),
      pdi('trial', '2024-04-01T08:00+02:00', 41),
    ]);
    expect(last.activity.met).toBe(false);
    expect(
      evaluateTrial([...entries, pdi('trial', '2024-04-01T08:00+02:00', 38)], { pdiMinImprovement: fraction(5, 2) })
        .activity.met,
    ).toBe(true);
    expect(
      evaluateTrial([...entries, pdi('trial', '2024-04-01T08:00+02:00', 39)], { pdiMinImprovement: fraction(5, 2) })
        .activity.met,
    ).toBe(false);
  });

  it('is met by a last attestation of improved, not met when the last says not-improved', () => {
    const att = (at: string, activity: 'improved' | 'not-improved') => entry(at, 'trial', { activity });
    expect(
      evaluateTrial([
        ...base,
        ...pain,
        att('2024-03-30T08:00+01:00', 'not-improved'),
        att('2024-04-01T08:00+02:00', 'improved'),
      ]).activity.met,
    ).toBe(true);
    const r = evaluateTrial([
      ...base,
      ...pain,
      att('2024-03-30T08:00+01:00', 'improved'),
      att('2024-04-01T08:00+02:00', 'not-improved'),
    ]);
    expect(r.activity.met).toBe(false);
    expect(r.verdict).toBe('fail');
    // baseline-phase attestations are not trial evidence
    expect(
      evaluateTrial([...base, ...pain, entry('2024-03-20T08:00+01:00', 'baseline', { activity: 'improved' })]).activity
        .met,
    ).toBeNull();
  });

  it('is not assessed without evidence (trial PDI without baseline PDI is not evidence)', () => {
    const r = evaluateTrial([...base, ...pain, pdi('trial', '2024-04-01T08:00+02:00', 10)]);
    expect(r.activity.met).toBeNull();
    expect(r.verdict).toBe('insufficient');
    expect(r.reasons.join('\n')).toMatch(/activity was not assessed/);
  });
});

describe('evaluateTrial: verdict and reasons', () => {
  it('is insufficient without a baseline, and with a baseline of 0', () => {
    const trial = [0, 24, 48].map((h) => trialNrs(h, 0));
    const none = evaluateTrial([...trial, improved()]);
    expect(none.verdict).toBe('insufficient');
    expect(none.baseline.nrs).toBeNull();
    expect(none.reasons[0]).toMatch(/No baseline/);
    const zero = evaluateTrial([...baselineNrs(0, 0), ...trial, improved()]);
    expect(zero.verdict).toBe('insufficient');
    expect(zero.baseline.nrs).toBe(0);
    expect(zero.pain.met).toBe(false);
    expect(zero.reasons.join('\n')).toMatch(/Baseline NRS is 0/);
  });

  it('fails when pain is not met over ≥ 48 h of trial entries, is insufficient under 48 h', () => {
    const base = baselineNrs(8);
    expect(evaluateTrial([...base, ...[0, 24, 48].map((h) => trialNrs(h, 7)), improved()]).verdict).toBe('fail');
    expect(evaluateTrial([...base, ...[0, 24, 47].map((h) => trialNrs(h, 7)), improved()]).verdict).toBe(
      'insufficient',
    );
    expect(evaluateTrial([...base, improved()]).verdict).toBe('insufficient');
  });

  it('always gives reasons, with numbers, and warns about short or long trials', () => {
    const r = evaluateTrial([...baselineNrs(8), ...[0, 24, 48].map((h) => trialNrs(h, 4)), improved(49)]);
    expect(r.reasons.length).toBeGreaterThan(3);
    expect(r.reasons.join('\n')).toMatch(/shorter than 5 days/);
    const long = evaluateTrial([
      ...baselineNrs(8),
      ...[0, 24, 48, 15 * 24].map((h) => trialNrs(h, 4)),
      improved(15 * 24),
    ]);
    expect(long.reasons.join('\n')).toMatch(/longer than 14 days/);
    const ok = evaluateTrial([...baselineNrs(8), ...[0, 24, 48, 7 * 24].map((h) => trialNrs(h, 4)), improved(7 * 24)]);
    expect(ok.reasons.join('\n')).not.toMatch(/Warning/);
  });

  it('refuses nonsensical options', () => {
    expect(() => evaluateTrial([], { percent: fraction(0) })).toThrow(RangeError);
    expect(() => evaluateTrial([], { percent: fraction(101) })).toThrow(RangeError);
    expect(() => evaluateTrial([], { maxGapHours: 0 })).toThrow(RangeError);
    expect(() => evaluateTrial([], { sustainHours: -1 })).toThrow(RangeError);
    expect(() => evaluateTrial([], { baseline: fraction(11) })).toThrow(RangeError);
  });
});
