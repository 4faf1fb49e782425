import { describe, expect, it } from 'vitest';
import { fuzzCodec, fuzzEncoder } from '../fuzz/fuzz-targets.js';

/**
 * The soak's time boxes only truncate (issue 12): a fuzz target stopped by its box ran exactly the
 * first N of its seeded cases, so `npm run soak -- --seed S` replays the same schedule, just shorter.
 */
describe('soak time boxes truncate, never reshuffle', () => {
  it.each([
    ['codec', fuzzCodec],
    ['encoder', fuzzEncoder],
  ] as const)('a %s fuzz run cut by its box equals the untimed run of as many cases', (_name, target) => {
    // A box that has already ended: the target stops at its first check, after 256 cases.
    const cut = target(4242, 5000, performance.now() - 1);
    expect(cut.cases).toBe(256);
    const full = target(4242, cut.cases);
    expect(cut).toEqual({ ...full, slowestMs: cut.slowestMs });
  });
});
