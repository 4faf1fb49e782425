import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  equalSplit,
  impedanceSplit,
  maxAmplitudeForDensity,
  mostLoadedContact,
  worstCaseSplit,
  worstContactLoad,
  type ImpedanceReading,
} from '../../protocol/index.js';
import { contactCurrents, densityOf as density } from '../helpers/contact-currents.js';

/**
 * The share of each contact from its measured impedance (issue 19, PROTOCOL.md §4.3.1): contacts of
 * one polarity are in parallel and take current in proportion to their conductance 1/Z. Expected
 * values come from that rule, computed here independently of the module (fractions of conductance).
 */

// docs/CLINICAL-RULES.md: a 3 mm × 1.3 mm percutaneous contact ≈ 0.1225 cm²; limit 30 µC/cm² → 3.675 µC per phase.
const AREA = 0.1225;
const LIMIT = 30;

const currents = contactCurrents;
const densityOf = (currentUa: number, pw: number) => density(currentUa, pw, AREA);

const polarities = fc
  .array(fc.constantFrom('+', '-', '0'), { minLength: 2, maxLength: 16 })
  .map((a) => a.join(''))
  .filter((c) => c.includes('+') && c.includes('-'));
const pulseWidth = fc.integer({ min: 2, max: 100 }).map((k) => k * 10);
const ohmsFor = (n: number) => fc.array(fc.integer({ min: 50, max: 20_000 }), { minLength: n, maxLength: n });

describe('current split from measured impedance', () => {
  it('worked example: one 250 Ω cathode among four takes 4/7 (57.1 %), so 500 µs allows 12.862 mA instead of 29.4', () => {
    // Cathodes 1–4 at 250, 1000, 1000, 1000 Ω; anodes 5–8 at 1000 Ω each.
    const contacts = '----++++';
    const readings = [250, 1000, 1000, 1000, 1000, 1000, 1000, 1000];
    const split = impedanceSplit(contacts, readings);
    expect(split.basis).toBe('impedance');
    // Conductances 4 : 1 : 1 : 1 → 4/7 on contact 1 (divisor 1 + 3 × 250/1000 = 1.75).
    expect(mostLoadedContact(contacts, split)).toEqual({ contact: 1, polarity: '-', share: 4 / 7 });
    // 3.675 µC / 500 µs = 7350 µA on contact 1 at most → 7350 × 7/4 = 12862.5 → 12862 µA in all.
    expect(maxAmplitudeForDensity(500, contacts, AREA, LIMIT, split)).toBe(12_862);
    // The equal split would have allowed 4 × 7350 = 29400 µA: contact 1 would then carry 4/7 of it.
    expect(maxAmplitudeForDensity(500, contacts, AREA, LIMIT)).toBe(29_400);
    expect(densityOf(currents(29_400, contacts, readings)[0]!, 500)).toBeCloseTo((30 * 4 * 4) / 7, 9);
    const load = worstContactLoad(12_862, 500, contacts, AREA, split);
    expect(load.densityUcPerCm2).toBeCloseTo((((12_862 * 4) / 7) * 500) / 1e6 / AREA, 9);
    expect(worstContactLoad(12_863, 500, contacts, AREA, split).densityUcPerCm2).toBeGreaterThan(LIMIT);
    expect(load.mostLoaded).toMatchObject({ contact: 1, polarity: '-' });
  });

  it('without a usable reading for every active contact the whole amplitude is on one contact', () => {
    const contacts = '--++0000';
    expect(impedanceSplit(contacts, null)).toEqual(worstCaseSplit(contacts));
    const cases: ImpedanceReading[][] = [
      [900, 'open', 900, 900],
      [900, 900, 'short', 900],
      [900, 900, 900, 0],
      [900, 900, 900],
    ];
    for (const readings of cases) {
      const split = impedanceSplit(contacts, readings);
      expect(split.basis).toBe('worst-case');
      expect(mostLoadedContact(contacts, split)?.share).toBe(1);
      expect(maxAmplitudeForDensity(200, contacts, AREA, LIMIT, split)).toBe(18_375);
    }
    // An open or shorted contact that is off does not matter.
    const offBad = impedanceSplit(contacts, [900, 900, 900, 900, 'open', 'short', 0, 'open']);
    expect(offBad.basis).toBe('impedance');
    expect(maxAmplitudeForDensity(200, contacts, AREA, LIMIT, offBad)).toBe(36_750);
  });

  it('property: with equal impedances the result is exactly the equal split', () => {
    fc.assert(
      fc.property(
        polarities,
        pulseWidth,
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 0, max: 25_500 }),
        (contacts, pw, ohms, amp) => {
          const split = impedanceSplit(
            contacts,
            Array.from({ length: contacts.length }, () => ohms),
          );
          expect(split.divisors).toEqual(equalSplit(contacts).divisors);
          expect(maxAmplitudeForDensity(pw, contacts, AREA, LIMIT, split)).toBe(
            maxAmplitudeForDensity(pw, contacts, AREA, LIMIT, equalSplit(contacts)),
          );
          expect(worstContactLoad(amp, pw, contacts, AREA, split).densityUcPerCm2).toBe(
            worstContactLoad(amp, pw, contacts, AREA).densityUcPerCm2,
          );
        },
      ),
    );
  });

  it('property: at the largest allowed amplitude no contact exceeds the limit, and one µA more puts one over', () => {
    fc.assert(
      fc.property(
        polarities.chain((contacts) => fc.tuple(fc.constant(contacts), ohmsFor(contacts.length), pulseWidth)),
        ([contacts, ohms, pw]) => {
          const split = impedanceSplit(contacts, ohms);
          const max = maxAmplitudeForDensity(pw, contacts, AREA, LIMIT, split);
          const worst = (amp: number) => Math.max(...currents(amp, contacts, ohms).map((i) => densityOf(i, pw)));
          // The reference sums conductances in another order: allow its last-bit rounding, nothing more.
          expect(worst(max)).toBeLessThanOrEqual(LIMIT * (1 + 1e-12));
          expect(worst(max + 1)).toBeGreaterThan(LIMIT * (1 - 1e-12));
          expect(worstContactLoad(max, pw, contacts, AREA, split).densityUcPerCm2).toBeLessThanOrEqual(LIMIT);
          expect(worstContactLoad(max + 1, pw, contacts, AREA, split).densityUcPerCm2).toBeGreaterThan(LIMIT);
          // The named contact is the one the reference loads most.
          const ref = currents(1000, contacts, ohms);
          const named = mostLoadedContact(contacts, split)!;
          expect(ref[named.contact - 1]).toBeCloseTo(Math.max(...ref), 9);
        },
      ),
    );
  });

  it('property: weighting by impedance never allows more than the equal split, and the worst case never more than either', () => {
    fc.assert(
      fc.property(
        polarities.chain((contacts) => fc.tuple(fc.constant(contacts), ohmsFor(contacts.length), pulseWidth)),
        ([contacts, ohms, pw]) => {
          const weighted = maxAmplitudeForDensity(pw, contacts, AREA, LIMIT, impedanceSplit(contacts, ohms));
          expect(weighted).toBeLessThanOrEqual(maxAmplitudeForDensity(pw, contacts, AREA, LIMIT, equalSplit(contacts)));
          expect(maxAmplitudeForDensity(pw, contacts, AREA, LIMIT, worstCaseSplit(contacts))).toBeLessThanOrEqual(
            weighted,
          );
        },
      ),
    );
  });
});
