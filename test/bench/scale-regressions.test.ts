import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/outcomes/descriptive-statistics.js';

/** Defects the benchmarks found at scale, kept fixed. */
describe('scale regressions found by bench/', () => {
  it('summarize handles 300 000 values (Math.min(...xs) overflowed the stack above ~10^5)', () => {
    const values = Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 1000);
    const s = summarize(values);
    expect(s.n).toBe(300_000);
    expect(s.min).toBe(0);
    expect(s.max).toBe(999);
  });
});
