/**
 * Issue 14: the verdict's decisive reasons, the one-glance list the bedside diary screen shows beside
 * the verdict. Expected lines follow the verdict order in trial-criterion.ts's header (docs/CLINICAL-RULES.md):
 * why this verdict first, the criterion lines that decide it, then the data-quality lines.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fraction } from '../../src/diary/fraction.js';
import { formatInstant, parseInstant } from '../../src/diary/instant.js';
import { evaluateTrial } from '../../src/diary/trial-criterion.js';
import { H, T0, baselineNrs, entry, improved, trialNrs } from './helpers.js';

const base = baselineNrs(8, 8, 7, 7); // B = 7.5: NRS ≤ 5 responds at 30 %
const run48 = [0, 12, 24, 36, 48].map((h) => trialNrs(h, 5));
const notImproved = entry(formatInstant(T0 + 100 * H, 60), 'trial', { activity: 'not-improved' });

describe('decisiveReasons', () => {
  it('pass: why, then the 30 % pain line and the activity line; not the 50 % line nor the baseline', () => {
    const e = evaluateTrial([...base, ...run48, improved()]);
    expect(e.verdict).toBe('pass');
    const [why, pain, activity, ...rest] = e.decisiveReasons;
    expect(why).toBe('≥30% NRS reduction sustained ≥48 h with improved activity.');
    expect(pain).toMatch(/^Pain ≥30%: met/);
    expect(activity).toMatch(/^Activity/);
    expect(e.decisiveReasons.some((r) => r.startsWith('Pain ≥50%'))).toBe(false);
    expect(e.decisiveReasons.some((r) => r.startsWith('Baseline NRS'))).toBe(false);
    // What remains are the data-quality lines, the ones the reasons list after the verdict sentence.
    const after = e.reasons.slice(e.reasons.indexOf(`Verdict pass: ${why}`) + 1);
    expect(after[0]).toMatch(/^Trial dates are not set/);
    expect(rest).toEqual(after);
  });

  it('fail on activity: the activity line decides, whatever the pain lines say', () => {
    const e = evaluateTrial([...base, ...run48, notImproved]);
    expect(e.verdict).toBe('fail');
    expect(e.decisiveReasons.slice(0, 2)).toEqual([
      'daily activity did not improve.',
      expect.stringMatching(/^Activity/),
    ]);
    expect(e.decisiveReasons.some((r) => r.startsWith('Pain'))).toBe(false);
  });

  it('insufficient without a baseline: the baseline line decides', () => {
    const e = evaluateTrial([...run48, improved()]);
    expect(e.verdict).toBe('insufficient');
    expect(e.decisiveReasons.slice(0, 2)).toEqual([
      'the criterion needs a baseline NRS above 0.',
      'No baseline: no baseline-phase NRS entries and no --baseline given.',
    ]);
    const zero = evaluateTrial([...run48, improved()], { baseline: fraction(0) });
    expect(zero.decisiveReasons[1]).toMatch(/^Baseline NRS is 0/);
  });

  it('insufficient on a short span and fail without a qualifying run: the 30 % pain line decides', () => {
    const short = evaluateTrial([...base, trialNrs(0, 5), trialNrs(12, 5), improved()]);
    expect(short.verdict).toBe('insufficient');
    expect(short.decisiveReasons[0]).toBe('trial NRS entries span only 12 h, less than 48 h.');
    expect(short.decisiveReasons[1]).toMatch(/^Pain ≥30%: not met/);
    const noRun = evaluateTrial([...base, ...[0, 12, 24, 36, 48].map((h) => trialNrs(h, 7)), improved()]);
    expect(noRun.verdict).toBe('fail');
    expect(noRun.decisiveReasons[1]).toMatch(/^Pain ≥30%: not met/);
  });

  it('data-quality lines come after the criterion ones: outside entries, missing days, late entries', () => {
    const trialStart = parseInstant('2024-03-29T08:00+01:00');
    const trialEnd = parseInstant('2024-04-05T08:00+02:00');
    const late = { ...trialNrs(24, 5), recordedAt: parseInstant(formatInstant(T0 + 80 * H, 60)) };
    const typedLater = entry('2026-12-01T10:00+01:00', 'trial', { nrs: 6 });
    const e = evaluateTrial([...base, trialNrs(0, 5), late, trialNrs(48, 5), improved(), typedLater], {
      trialStart,
      trialEnd,
    });
    const firstQuality = e.decisiveReasons.findIndex((r) =>
      /outside the trial|^Late entries|^No trial entries/.test(r),
    );
    expect(firstQuality).toBeGreaterThan(1);
    const quality = e.decisiveReasons.slice(firstQuality);
    expect(quality.some((r) => r.includes('outside the trial') && r.includes('2026-12-01T10:00+01:00'))).toBe(true);
    expect(quality.some((r) => r.startsWith('Late entries: 1'))).toBe(true);
    expect(quality.some((r) => r.startsWith('No trial entries on'))).toBe(true);
    expect(e.decisiveReasons.slice(0, firstQuality).every((r) => !/outside the trial|^Late|^No trial/.test(r))).toBe(
      true,
    );
  });

  it('every decisive line is one of the reasons, and the verdict sentence is the first', () => {
    const nrs = fc.integer({ min: 0, max: 10 });
    fc.assert(
      fc.property(fc.array(nrs, { maxLength: 4 }), fc.array(fc.tuple(fc.nat(120), nrs), { maxLength: 12 }), (b, t) => {
        const e = evaluateTrial([...baselineNrs(...b), ...t.map(([h, n]) => trialNrs(h, n)), improved()]);
        expect(e.reasons).toContain(`Verdict ${e.verdict}: ${e.decisiveReasons[0]}`);
        for (const line of e.decisiveReasons.slice(1)) expect(e.reasons).toContain(line);
      }),
      { numRuns: 200 },
    );
  });
});
