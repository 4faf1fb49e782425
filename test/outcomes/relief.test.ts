import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meetsReduction, reliefPercent } from '../../src/outcomes/relief.js';

describe('relief from recorded NRS', () => {
  it('counts exactly 30 % and 50 % as met, and just below as not met', () => {
    expect(meetsReduction(10, 7, 30)).toBe(true);
    expect(meetsReduction(10, 8, 30)).toBe(false);
    expect(meetsReduction(10, 5, 50)).toBe(true);
    expect(meetsReduction(8, 6, 30)).toBe(false); // 25 %
    expect(meetsReduction(7, 4, 30)).toBe(true); // 42.9 %
    expect(meetsReduction(3, 2, 30)).toBe(true); // 33 %
    expect(meetsReduction(3, 3, 30)).toBe(false);
  });

  it('is undecidable without both scores or with a zero baseline', () => {
    expect(meetsReduction(null, 3, 30)).toBeNull();
    expect(meetsReduction(10, null, 30)).toBeNull();
    expect(meetsReduction(0, 0, 30)).toBeNull();
    expect(reliefPercent(0, 0)).toBeNull();
    expect(reliefPercent(10, 3)).toBe(70);
  });

  it('property: met ⇔ 100·(B − x) ≥ p·B on integers, for every NRS pair and whole percent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 1, max: 100 }),
        (b, x, p) => {
          expect(meetsReduction(b, x, p)).toBe(100 * (b - x) >= p * b);
        },
      ),
    );
  });
});
