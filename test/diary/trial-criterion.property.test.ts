import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiaryEntry } from '../../src/diary/entry.js';
import { fraction } from '../../src/diary/fraction.js';
import { formatInstant } from '../../src/diary/instant.js';
import { evaluateTrial } from '../../src/diary/trial-criterion.js';
import { H, T0, entry } from './helpers.js';

const OFFSETS = [0, 60, 120, -300, 345, -570, 840];

/** Trial NRS at times that often land exactly on the 48 h / 24 h boundaries (and 1 ms either side). */
const trialPoint = fc.record({
  ms: fc.oneof(
    fc.integer({ min: 0, max: 8 }).map((k) => k * 12 * H),
    fc.integer({ min: 0, max: 8 }).chain((k) => fc.constantFrom(k * 12 * H - 1, k * 12 * H + 1, k * 24 * H)),
    fc.integer({ min: 0, max: 100 * H }),
  ),
  // Mostly low pain so that long responding runs (and their exact boundaries) are common.
  nrs: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 10 })),
  offset: fc.constantFrom(...OFFSETS),
});
const scenario = fc.record({
  baseline: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 7 }),
  // Half the time a regular grid every 12 h, which hits "exactly 48 h" and "gap exactly 24 h" often.
  trial: fc.oneof(
    fc.array(trialPoint, { minLength: 0, maxLength: 14 }),
    fc.array(trialPoint, { minLength: 1, maxLength: 10 }).map((ps) => ps.map((p, i) => ({ ...p, ms: i * 12 * H }))),
  ),
  percent: fc.constantFrom(30, 50, 25, 33),
  sustainHours: fc.constantFrom(48, 24, 36),
  maxGapHours: fc.constantFrom(24, 12, 30),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function entries(s: Scenario): DiaryEntry[] {
  const base = s.baseline.map((nrs, i) => entry(formatInstant(T0 - (200 + i) * H, 60), 'baseline', { nrs }));
  const trial = s.trial.map((p) => entry(formatInstant(T0 + p.ms, p.offset), 'trial', { nrs: p.nrs }));
  return [...base, ...trial];
}

/**
 * Brute-force reference, written independently: for every pair of instants (i ≤ j), the stretch
 * between them qualifies when every entry in it responds (checked as 100·(sum − x·count) ≥ p·sum on
 * plain safe integers), no consecutive gap exceeds the maximum, and it spans ≥ sustain.
 */
function reference(s: Scenario): { met: boolean; best: number } {
  const sum = s.baseline.reduce((a, b) => a + b, 0);
  const count = s.baseline.length;
  if (sum === 0) return { met: false, best: 0 };
  const ok = (x: number) => 100 * (sum - x * count) >= s.percent * sum;
  const times = [...new Set(s.trial.map((p) => p.ms))].sort((a, b) => a - b);
  let best = -1;
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      const inside = times.slice(i, j + 1);
      const allRespond = s.trial.filter((p) => p.ms >= times[i]! && p.ms <= times[j]!).every((p) => ok(p.nrs));
      const gapsOk = inside.every((t, k) => k === 0 || t - inside[k - 1]! <= s.maxGapHours * H);
      const span = times[j]! - times[i]!;
      if (allRespond && gapsOk && span >= s.sustainHours * H) best = Math.max(best, span);
    }
  }
  return { met: best >= 0, best: best >= 0 ? best / H : 0 };
}

const opts = (s: Scenario) => ({
  percent: fraction(s.percent),
  sustainHours: s.sustainHours,
  maxGapHours: s.maxGapHours,
});

describe('trial criterion properties', () => {
  it('agrees with the brute-force reference on met and best run hours', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const r = evaluateTrial(entries(s), opts(s));
        const ref = reference(s);
        expect(r.pain.met).toBe(ref.met);
        expect(r.pain.bestRunHours).toBe(ref.best);
        expect(r.pain.window === null).toBe(!ref.met);
      }),
      { numRuns: 400 },
    );
  });

  it('does not depend on the order of the entries', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), (s, seed) => {
        const list = entries(s);
        const shuffled = [...list].sort((a, b) => ((a.at.ms * 31 + seed) % 97) - ((b.at.ms * 31 + seed) % 97));
        expect(evaluateTrial(shuffled, opts(s))).toEqual(evaluateTrial(list, opts(s)));
      }),
      { numRuns: 200 },
    );
  });

  it('is unchanged when an entry is duplicated exactly, except for the duplicate report', () => {
    fc.assert(
      fc.property(
        scenario.filter((s) => s.trial.length > 0),
        fc.nat(),
        (s, k) => {
          const list = entries(s);
          const dup = list[s.baseline.length + (k % s.trial.length)]!;
          const a = evaluateTrial(list, opts(s));
          const b = evaluateTrial([...list, { ...dup }], opts(s));
          expect(b.pain).toEqual(a.pain);
          expect(b.pain50).toEqual(a.pain50);
          expect(b.verdict).toBe(a.verdict);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('judges pain by instants only: rewriting every time in another offset changes no hours', () => {
    fc.assert(
      fc.property(scenario, fc.constantFrom(...OFFSETS), (s, offset) => {
        const moved = { ...s, trial: s.trial.map((p) => ({ ...p, offset })) };
        const a = evaluateTrial(entries(s), opts(s));
        const b = evaluateTrial(entries(moved), opts(s));
        expect(b.pain.met).toBe(a.pain.met);
        expect(b.pain.bestRunHours).toBe(a.pain.bestRunHours);
        expect(b.pain.longestRunHours).toBe(a.pain.longestRunHours);
      }),
      { numRuns: 200 },
    );
  });

  it('never passes without pain met and activity met, and 50% met implies 30% met', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.constantFrom<'improved' | 'not-improved' | null>('improved', 'not-improved', null),
        (s, activity) => {
          const list = entries(s);
          if (activity) list.push(entry(formatInstant(T0 + 101 * H, 60), 'trial', { activity }));
          const r = evaluateTrial(list, { ...opts(s), percent: fraction(30) });
          if (r.verdict === 'pass') expect(r.pain.met && r.activity.met === true).toBe(true);
          if (r.pain50.met) expect(r.pain.met).toBe(true);
          if (activity === 'not-improved' && r.baseline.nrs) expect(r.verdict).toBe('fail');
          expect(r.reasons.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is monotone: lowering a trial NRS never turns met into not met', () => {
    fc.assert(
      fc.property(
        scenario.filter((s) => s.trial.length > 0),
        fc.nat(),
        (s, k) => {
          const i = k % s.trial.length;
          const better = { ...s, trial: s.trial.map((p, j) => (j === i ? { ...p, nrs: Math.max(0, p.nrs - 1) } : p)) };
          if (evaluateTrial(entries(s), opts(s)).pain.met)
            expect(evaluateTrial(entries(better), opts(s)).pain.met).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
