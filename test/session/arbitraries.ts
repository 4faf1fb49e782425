import fc from 'fast-check';
import type { HardwareLimits, Range } from '../../protocol/index.js';
import { defaultGeneratorConfig, hardwareLimitsOf } from '../../firmware-sim/generator-config.js';

/** Hardware limits as generators might report them: ranges with steps, contact count and area. */

export const rangeArb = (minLo: number, minHi: number, spanMax: number, steps: number[]): fc.Arbitrary<Range> =>
  fc
    .record({
      min: fc.integer({ min: minLo, max: minHi }),
      step: fc.constantFrom(...steps),
      n: fc.integer({ min: 1, max: spanMax }),
    })
    .map(({ min, step, n }) => ({ min, step, max: min + n * step }));

export const limitsArb: fc.Arbitrary<HardwareLimits> = fc.record({
  amplitudeUa: fc
    .record({ step: fc.constantFrom(10, 20, 25, 50, 100), max: fc.integer({ min: 1000, max: 25_500 }) })
    .map(({ step, max }) => ({ min: 0, step, max: max - (max % step) })),
  pulseWidthUs: rangeArb(10, 250, 100, [1, 5, 10, 20, 30]),
  rateHz: rangeArb(1, 50, 200, [1, 2, 3, 5]),
  contactCount: fc.constantFrom(4, 8, 16),
  contactAreaCm2: fc.constantFrom(0.06, 0.1225, 0.2),
  maxChargeDensity: fc.constantFrom(20, 30, 50),
  watchdogMs: fc.constant(2000),
});

export const defaultLimits: HardwareLimits = hardwareLimitsOf(defaultGeneratorConfig());

export const contactsArb = (n: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom('+', '-', '0'), { minLength: n, maxLength: n }).map((a) => a.join(''));
