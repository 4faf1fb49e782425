import { describe, expect, it } from 'vitest';
import { evaluateActivity, round2 } from '../../src/diary/activity-criterion.js';
import { fraction, fractionGte, fractionText, meanOf, parseDecimal, toNumber } from '../../src/diary/fraction.js';
import { formatInstant } from '../../src/diary/instant.js';
import { evaluatePain, responderCeiling, responderRuns, type NrsPoint } from '../../src/diary/pain-runs.js';
import { evaluateTrial } from '../../src/diary/trial-criterion.js';
import { baselineNrs, entry, H, improved, T0, trialNrs } from '../diary/helpers.js';

/**
 * The 48 h criterion's exact arithmetic and its reasons, word for word (a verdict without its reasons
 * is not a result a clinic can check): written to kill the mutants Stryker found surviving in
 * src/diary (docs/mutation/summary.md). The reason texts were checked by hand against the inputs:
 * 70 % of 8 is 5.6, so NRS ≤ 5 responds; 50 % of 9 is 4.5, so NRS ≤ 4.
 */

const at = (h: number) => formatInstant(T0 + h * H, 60);

describe('exact fractions', () => {
  it('normalises sign and common factors, and refuses a zero denominator', () => {
    expect(fraction(6, 4)).toEqual({ num: 3n, den: 2n });
    expect(fraction(3, -6)).toEqual({ num: -1n, den: 2n });
    expect(fraction(-3, -6)).toEqual({ num: 1n, den: 2n });
    expect(fraction(-4, 6)).toEqual({ num: -2n, den: 3n });
    expect(fraction(0, 5)).toEqual({ num: 0n, den: 1n });
    expect(fraction(0, -5)).toEqual({ num: 0n, den: 1n });
    expect(fraction(7)).toEqual({ num: 7n, den: 1n });
    expect(() => fraction(1, 0)).toThrow('fraction with zero denominator');
  });

  it('compares exactly, including equality', () => {
    expect(fractionGte(fraction(1, 3), fraction(2, 6))).toBe(true);
    expect(fractionGte(fraction(1, 3), fraction(34, 100))).toBe(false);
    expect(fractionGte(fraction(35, 100), fraction(1, 3))).toBe(true);
    expect(fractionGte(fraction(2, 3), fraction(1, 2))).toBe(true);
  });

  it('prints whole numbers plainly and others as n/d; converts to a number', () => {
    expect(fractionText(fraction(20, 3))).toBe('20/3');
    expect(fractionText(fraction(8, 2))).toBe('4');
    expect(toNumber(fraction(3, 4))).toBe(0.75);
    expect(meanOf([7, 8])).toEqual({ num: 15n, den: 2n });
  });

  it('reads decimals exactly and refuses anything else', () => {
    expect(parseDecimal('6')).toEqual({ num: 6n, den: 1n });
    expect(parseDecimal('6.25')).toEqual({ num: 25n, den: 4n });
    expect(parseDecimal('.5')).toEqual({ num: 1n, den: 2n });
    expect(parseDecimal(' 12.5 ')).toEqual({ num: 25n, den: 2n });
    expect(parseDecimal('10.05')).toEqual({ num: 201n, den: 20n });
    for (const bad of ['', '.', '-1', '1e3', '6.', 'x6', '6x', '1.2.3', '0x10', '+5'])
      expect(parseDecimal(bad), bad).toBeUndefined();
  });
});

const p = (hours: number, nrs: number, text = at(hours)): NrsPoint => ({ ms: T0 + hours * H, text, nrs });

describe('pain runs', () => {
  it('the highest responding NRS, and −1 when none can respond', () => {
    expect(responderCeiling(fraction(8), fraction(30))).toBe(5);
    expect(responderCeiling(fraction(8), fraction(101))).toBe(-1);
  });

  it('a shared instant is represented by its worst NRS; on a tie, by the first written', () => {
    const worst = evaluatePain([p(0, 3, 'A'), p(0, 4, 'B'), p(48, 4)], fraction(8), fraction(30), 48 * H, 48 * H);
    expect(worst.window?.start).toBe('B');
    const tie = evaluatePain(
      [p(0, 4, 'first'), p(0, 4, 'second'), p(48, 4)],
      fraction(8),
      fraction(30),
      48 * H,
      48 * H,
    );
    expect(tie.window?.start).toBe('first');
    const tieLater = evaluatePain(
      [p(0, 4), p(48, 4, 'first'), p(48, 4, 'second')],
      fraction(8),
      fraction(30),
      48 * H,
      48 * H,
    );
    expect(tieLater.window?.end).toBe('first');
  });

  it('counts distinct instants in a run and responding entries over all runs', () => {
    const runs = responderRuns(
      [p(0, 4), p(0, 4), p(10, 4), p(20, 4), p(30, 9), p(40, 4)],
      fraction(8),
      fraction(30),
      24 * H,
    );
    expect(runs.map((r) => [r.entries, r.spanMs / H])).toEqual([
      [3, 20],
      [1, 0],
    ]);
    const pain = evaluatePain(
      [p(0, 4), p(10, 4), p(20, 4), p(30, 9), p(40, 4)],
      fraction(8),
      fraction(30),
      48 * H,
      24 * H,
    );
    expect(pain.respondingEntries).toBe(4);
    expect(pain.percent).toBe(30);
    expect(evaluatePain([], fraction(8), fraction(25, 2), 48 * H, 24 * H).percent).toBe(12.5);
  });

  it('the longest run and the best qualifying run are the longest, the earliest on a tie', () => {
    // gaps ≤ 30 h; runs: 0–50 h (50 h), 80–130 h (50 h), 160–170 h (10 h); a non-responding entry between them.
    const points = [
      p(0, 4),
      p(24, 4),
      p(50, 4),
      p(65, 9),
      p(80, 4),
      p(104, 4),
      p(130, 4),
      p(145, 9),
      p(160, 4),
      p(170, 4),
    ];
    const pain = evaluatePain(points, fraction(8), fraction(30), 48 * H, 30 * H);
    expect(pain.longestRunHours).toBe(50);
    expect(pain.bestRunHours).toBe(50);
    expect(pain.window).toEqual({ start: at(0), end: at(50) });
    // A later run that is longer wins: 0–50 h, then 70–130 h.
    const later = evaluatePain(
      [p(0, 4), p(50, 4), p(60, 9), p(70, 4), p(130, 4)],
      fraction(8),
      fraction(30),
      48 * H,
      60 * H,
    );
    expect([later.longestRunHours, later.bestRunHours]).toEqual([60, 60]);
    expect(later.window).toEqual({ start: at(70), end: at(130) });
    const short = evaluatePain([p(0, 4), p(10, 4), p(20, 9), p(30, 4)], fraction(8), fraction(30), 48 * H, 24 * H);
    expect([short.longestRunHours, short.bestRunHours, short.window]).toEqual([10, 0, null]);
  });
});

describe('trial evaluation reasons, word for word', () => {
  const pass = [...baselineNrs(8, 8), trialNrs(0, 4), trialNrs(24, 4), trialNrs(48, 4), improved(60)];

  it('pass, baseline from the diary', () => {
    expect(evaluateTrial(pass).reasons).toEqual(PASS);
  });
  it('pass, baseline given explicitly', () => {
    const r = evaluateTrial(pass, { baseline: fraction(9) });
    expect(r.baseline.source).toBe('option');
    expect(r.reasons).toEqual(EXPLICIT);
  });
  it('a baseline of 0: insufficient, and says why', () => {
    const r = evaluateTrial([...baselineNrs(0, 0), trialNrs(0, 0), trialNrs(48, 0)]);
    expect(r.reasons).toEqual(ZERO);
    // Entries that would form a 48 h run of "0 % of 0": neither the 30 % nor the 50 % evaluation is run.
    const daily = evaluateTrial([...baselineNrs(0, 0), trialNrs(0, 0), trialNrs(24, 0), trialNrs(48, 0)]);
    expect([daily.verdict, daily.pain.met, daily.pain50.met, daily.pain50.runs]).toEqual([
      'insufficient',
      false,
      false,
      [],
    ]);
  });
  it('a fractional baseline is shown rounded and exact', () => {
    expect(evaluateTrial([...baselineNrs(7, 8), trialNrs(0, 4)]).reasons[0]).toBe(
      'Baseline NRS 7.5 (15/2) = mean of 2 baseline-phase NRS entries.',
    );
    expect(evaluateTrial([...baselineNrs(7, 8, 8), trialNrs(0, 4)]).reasons[0]).toBe(
      'Baseline NRS 7.67 (23/3) = mean of 3 baseline-phase NRS entries.',
    );
  });
  it('two NRS at one instant: reported, the worst counts', () => {
    const r = evaluateTrial([
      ...baselineNrs(8),
      trialNrs(0, 4),
      trialNrs(0, 5),
      trialNrs(24, 4),
      trialNrs(48, 4),
      improved(60),
    ]);
    expect(r.baseline.source).toBe('diary');
    expect(r.reasons).toEqual(DUP);
  });
});

describe('activity', () => {
  it('by PDI: the worse of two PDI at the last instant, compared with the baseline mean', () => {
    const pdi = [
      entry(at(-200), 'baseline', { pdi: 40 }),
      entry(at(-190), 'baseline', { pdi: 41 }),
      entry(at(30), 'trial', { pdi: 30 }),
      entry(at(50), 'trial', { pdi: 39 }),
      entry(at(50), 'trial', { pdi: 38 }),
    ];
    expect(evaluateActivity(pdi, fraction(1))).toEqual(PDI);
    const notMet = evaluateActivity(pdi, fraction(2));
    expect(notMet.met).toBe(false);
    expect(notMet.reason).toBe(
      'Activity not improved: last trial PDI 39 (2024-03-31T10:00:00+01:00) is 1.5 points below the baseline PDI mean 40.5 (2 entries); does not meet the required 2.',
    );
  });
  it('a trial PDI without a baseline PDI is not evidence, and the reason says so', () => {
    expect(evaluateActivity([entry(at(30), 'trial', { pdi: 30 })], fraction(1))).toEqual(PDI_ONLY_TRIAL);
  });
  it('by attestation: the last one; at a shared instant not-improved counts', () => {
    expect(
      evaluateActivity(
        [
          entry(at(30), 'trial', { activity: 'improved' }),
          entry(at(30), 'trial', { activity: 'not-improved' }),
          entry(at(10), 'trial', { activity: 'improved' }),
        ],
        fraction(1),
      ),
    ).toEqual(ATT);
    expect(
      evaluateActivity(
        [entry(at(30), 'trial', { activity: 'not-improved' }), entry(at(30), 'trial', { activity: 'improved' })],
        fraction(1),
      ).met,
    ).toBe(false);
    expect(
      evaluateActivity(
        [entry(at(10), 'trial', { activity: 'not-improved' }), entry(at(30), 'trial', { activity: 'improved' })],
        fraction(1),
      ).met,
    ).toBe(true);
  });
  it('nothing in the trial phase: not assessed', () => {
    expect(
      evaluateActivity(
        [entry(at(30), 'baseline', { pdi: 30 }), entry(at(30), 'baseline', { activity: 'improved' })],
        fraction(1),
      ),
    ).toEqual(NONE);
  });
  it('rounds to two decimals', () => {
    expect(round2(1.005 * 1000)).toBe(1005);
    expect(round2(2.345678)).toBe(2.35);
    expect(round2(40.5)).toBe(40.5);
  });
});

const PASS = [
  'Baseline NRS 8 = mean of 2 baseline-phase NRS entries.',
  'Pain ≥30%: met; NRS ≤ 5 responds (70% of 8 is 5.6); 3 of 3 trial NRS entries respond, spanning 48 h in all; longest responding run 48 h (needs ≥48 h with gaps ≤24 h); longest qualifying run 48 h from 2024-03-29T08:00:00+01:00 to 2024-03-31T08:00:00+01:00.',
  'Pain ≥50%: met; NRS ≤ 4 responds (50% of 8 is 4); 3 of 3 trial NRS entries respond, spanning 48 h in all; longest responding run 48 h (needs ≥48 h with gaps ≤24 h); longest qualifying run 48 h from 2024-03-29T08:00:00+01:00 to 2024-03-31T08:00:00+01:00.',
  "Activity improved: last trial activity attestation 'improved' (2024-03-31T20:00:00+01:00).",
  'Verdict pass: ≥30% NRS reduction sustained ≥48 h with improved activity.',
  "Trial dates are not set: every entry counts by its phase. Set them with 'scs diary trial --start TIME --end TIME'.",
  '6 entries have no recorded time, so their lateness was not checked.',
  'Warning: the trial lasted 2.5 days, shorter than 5 days.',
];
const EXPLICIT = [
  'Baseline NRS 9 given explicitly (the 2 baseline-phase NRS entries were not used).',
  'Pain ≥30%: met; NRS ≤ 6 responds (70% of 9 is 6.3); 3 of 3 trial NRS entries respond, spanning 48 h in all; longest responding run 48 h (needs ≥48 h with gaps ≤24 h); longest qualifying run 48 h from 2024-03-29T08:00:00+01:00 to 2024-03-31T08:00:00+01:00.',
  'Pain ≥50%: met; NRS ≤ 4 responds (50% of 9 is 4.5); 3 of 3 trial NRS entries respond, spanning 48 h in all; longest responding run 48 h (needs ≥48 h with gaps ≤24 h); longest qualifying run 48 h from 2024-03-29T08:00:00+01:00 to 2024-03-31T08:00:00+01:00.',
  "Activity improved: last trial activity attestation 'improved' (2024-03-31T20:00:00+01:00).",
  'Verdict pass: ≥30% NRS reduction sustained ≥48 h with improved activity.',
  "Trial dates are not set: every entry counts by its phase. Set them with 'scs diary trial --start TIME --end TIME'.",
  '6 entries have no recorded time, so their lateness was not checked.',
  'Warning: the trial lasted 2.5 days, shorter than 5 days.',
];
const ZERO = [
  'Baseline NRS 0 = mean of 2 baseline-phase NRS entries.',
  'Baseline NRS is 0: there is no pain to reduce, so the pain criterion cannot be assessed.',
  'Activity not assessed: no trial-phase PDI with a baseline PDI and no trial-phase activity attestation.',
  'Verdict insufficient: the criterion needs a baseline NRS above 0.',
  "Trial dates are not set: every entry counts by its phase. Set them with 'scs diary trial --start TIME --end TIME'.",
  '4 entries have no recorded time, so their lateness was not checked.',
  'No trial entries on 1 day(s): 2024-03-30; missing days are reported, never filled in.',
  'Warning: the trial lasted 2.0 days, shorter than 5 days.',
];
const DUP = [
  'Baseline NRS 8 = mean of 1 baseline-phase NRS entries.',
  '1 instant(s) have more than one trial NRS (2024-03-29T08:00:00+01:00); the worst value at each counts.',
  'Pain ≥30%: met; NRS ≤ 5 responds (70% of 8 is 5.6); 3 of 4 trial NRS entries respond, spanning 48 h in all; longest responding run 48 h (needs ≥48 h with gaps ≤24 h); longest qualifying run 48 h from 2024-03-29T08:00:00+01:00 to 2024-03-31T08:00:00+01:00.',
  'Pain ≥50%: not met; NRS ≤ 4 responds (50% of 8 is 4); 2 of 4 trial NRS entries respond, spanning 48 h in all; longest responding run 24 h (needs ≥48 h with gaps ≤24 h).',
  "Activity improved: last trial activity attestation 'improved' (2024-03-31T20:00:00+01:00).",
  'Verdict pass: ≥30% NRS reduction sustained ≥48 h with improved activity.',
  "Trial dates are not set: every entry counts by its phase. Set them with 'scs diary trial --start TIME --end TIME'.",
  '6 entries have no recorded time, so their lateness was not checked.',
  'Warning: the trial lasted 2.5 days, shorter than 5 days.',
];
const PDI = {
  met: true,
  pdi: {
    baselineMean: 40.5,
    baselineEntries: 2,
    last: 39,
    lastAt: '2024-03-31T10:00:00+01:00',
    improvement: 1.5,
    met: true,
  },
  attestation: null,
  reason:
    'Activity improved: last trial PDI 39 (2024-03-31T10:00:00+01:00) is 1.5 points below the baseline PDI mean 40.5 (2 entries); meets the required 1.',
};
const PDI_ONLY_TRIAL = {
  met: null,
  pdi: null,
  attestation: null,
  reason:
    'Activity not assessed: no trial-phase PDI with a baseline PDI and no trial-phase activity attestation (trial PDI recorded but no baseline-phase PDI to compare it with).',
};
const ATT = {
  met: false,
  pdi: null,
  attestation: {
    value: 'not-improved',
    at: '2024-03-30T14:00:00+01:00',
  },
  reason: "Activity not improved: last trial activity attestation 'not-improved' (2024-03-30T14:00:00+01:00).",
};
const NONE = {
  met: null,
  pdi: null,
  attestation: null,
  reason: 'Activity not assessed: no trial-phase PDI with a baseline PDI and no trial-phase activity attestation.',
};
