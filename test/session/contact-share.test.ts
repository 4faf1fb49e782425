import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { maxAmplitudeForDensity } from '../../protocol/index.js';
import { openModelSession } from '../firmware-sim/model-session.js';
import { amplitudeCeiling } from '../../src/session/amplitude-window.js';
import { IMPEDANCE_MAX_AGE_MS, agedCheck, contactShare } from '../../src/session/contact-share.js';
import { finalizeProgram } from '../../src/session/decision.js';
import { densityMaxUa } from '../../src/session/charge-density-limit.js';
import { impedanceCheckOf } from '../../src/session/impedance-check.js';
import { floorToGrid } from '../../src/session/step-grid.js';
import { highestDensity } from '../helpers/contact-currents.js';
import { defaultLimits } from './arbitraries.js';
import { gen, harness } from './harness.js';

/**
 * Issue 19: the companion's charge-density clamp takes each contact's share of the current from the
 * last valid impedance check (contacts of one polarity in parallel, current by conductance), and the
 * worst case (whole amplitude on one contact) without one. Expected values from that rule: at 500 µs
 * one 0.1225 cm² contact may carry 7350 µA; a 250 Ω cathode among three of 1000 Ω carries 4/7.
 */

const LOW_FIRST = [250, 1000, 1000, 1000, 1000, 1000, 1000, 1000];
const FOUR_BY_FOUR = ['1-', '2-', '3-', '4-', '5+', '6+', '7+', '8+'];
const LIMIT = 30;

/** Search steps up until the session refuses; returns the last notice. */
async function climb(h: Awaited<ReturnType<typeof harness>>) {
  for (let i = 0; i < 600; i++) {
    const r = await h.do({ type: 'AMPLITUDE_UP' });
    if (!r.accepted) return r;
  }
  throw new Error('the search never reached a ceiling');
}

describe('charge density per contact from measured impedance (session)', () => {
  it('one low-impedance cathode among four lowers the search ceiling to 12.85 mA at 500 µs and the refusal names it', async () => {
    const h = await harness({ config: { impedances: LOW_FIRST } });
    await h.do({ type: 'ELECTRODES', spec: FOUR_BY_FOUR });
    await h.do({ type: 'PULSE_WIDTH', us: 500 });
    expect((await h.do({ type: 'SEARCH_START' })).accepted).toBe(true);
    const refused = await climb(h);
    // 7350 µA × 7/4 = 12862.5 → 12862 µA → 12850 µA on the 50 µA grid.
    expect(gen(h).amplitudeUa).toBe(12_850);
    expect(refused.notices).toEqual([
      expect.objectContaining({
        kind: 'reject',
        field: 'amplitude',
        reason:
          'charge-density limit 30 µC/cm² at 500 µs on contact 1 (57.1 % of the cathode current, by measured impedance)',
      }),
    ]);
    expect(h.c.view().chargeDensity).toEqual({
      contact: 1,
      polarity: 'cathode',
      sharePct: 57.1,
      densityUcPerCm2: Math.round(((((12_850 * 4) / 7) * 500) / 1e6 / 0.1225) * 100) / 100,
      limitUcPerCm2: 30,
      densityMaxUa: 12850,
      basis: 'impedance',
      reason: null,
    });
  });

  it('with equal impedances the four-by-four search climbs to the hardware maximum as with the equal split', async () => {
    const h = await harness({ config: { impedances: Array.from({ length: 8 }, () => 1000) } });
    await h.do({ type: 'ELECTRODES', spec: FOUR_BY_FOUR });
    await h.do({ type: 'PULSE_WIDTH', us: 500 });
    await h.do({ type: 'SEARCH_START' });
    const refused = await climb(h);
    expect(gen(h).amplitudeUa).toBe(25_500);
    expect(refused.notices[0]?.reason).toBe('generator hardware max 25.5 mA');
    expect(h.c.view().chargeDensity).toMatchObject({ sharePct: 25, basis: 'impedance', densityMaxUa: 29400 });
  });

  it('without a valid check the whole amplitude is on one contact: never checked, after an electrode change, past 30 min, open or short', async () => {
    const h = await harness({ config: { impedances: [1000, 'short', 1000, 1000, 1000, 1000, 1000, 1000] } });
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2-', '3+', '4+'] });
    await h.do({ type: 'PULSE_WIDTH', us: 500 });
    expect(h.c.view().chargeDensity).toMatchObject({
      basis: 'worst-case',
      reason: 'no impedance check yet',
      sharePct: 100,
      densityMaxUa: 7350,
    });
    await h.do({ type: 'IMPEDANCE_CHECK' });
    expect(h.c.view().chargeDensity).toMatchObject({
      basis: 'worst-case',
      reason: 'contact 2 reads short',
      sharePct: 100,
    });
    await h.do({ type: 'ELECTRODES', spec: ['1-', '3-', '4+', '5+'] });
    await h.do({ type: 'IMPEDANCE_CHECK' });
    expect(h.c.view().chargeDensity).toMatchObject({
      basis: 'impedance',
      reason: null,
      sharePct: 50,
      densityMaxUa: 14700,
    });
    // The age limit, both sides of it.
    h.clock.now += IMPEDANCE_MAX_AGE_MS;
    expect(h.c.view().chargeDensity).toMatchObject({ basis: 'impedance' });
    h.clock.now += 1;
    expect(h.c.view().chargeDensity).toMatchObject({
      basis: 'worst-case',
      reason: 'impedance check older than 30 min',
      densityMaxUa: 7350,
    });
    await h.do({ type: 'IMPEDANCE_CHECK' });
    expect(h.c.view().chargeDensity).toMatchObject({ basis: 'impedance' });
    // An electrode change and back: the check was made before the last change.
    await h.do({ type: 'ELECTRODES', spec: ['1-', '3-', '4+'] });
    await h.do({ type: 'ELECTRODES', spec: ['1-', '3-', '4+', '5+'] });
    expect(h.c.view().chargeDensity).toMatchObject({
      basis: 'worst-case',
      reason: 'impedance checked before the last electrode change',
    });
  });

  it('the age limit and the configuration the check was made with, as pure rules', () => {
    const check = impedanceCheckOf(LOW_FIRST, 1000, '----++++');
    expect(agedCheck(check, 1000 + IMPEDANCE_MAX_AGE_MS)).toBe(check);
    expect(agedCheck(check, 1001 + IMPEDANCE_MAX_AGE_MS).stale).toBe('impedance check older than 30 min');
    expect(contactShare(check, '----++++').worstCaseReason).toBeNull();
    expect(contactShare(check, '---+++++').worstCaseReason).toBe(
      'impedance checked with another electrode configuration',
    );
    expect(contactShare(null, '----++++').worstCaseReason).toBe('no impedance check yet');
  });

  it('property: what the companion sends puts no contact over the limit, and the generator with the same impedances accepts it', () => {
    const polarity = fc
      .array(fc.constantFrom('+', '-', '0'), { minLength: 8, maxLength: 8 })
      .map((a) => a.join(''))
      .filter((c) => c.includes('+') && c.includes('-'));
    fc.assert(
      fc.property(
        polarity,
        fc.array(fc.integer({ min: 50, max: 20_000 }), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 2, max: 100 }).map((k) => k * 10),
        fc.integer({ min: 0, max: 510 }).map((k) => k * 50),
        (contacts, ohms, pw, requestedUa) => {
          const check = impedanceCheckOf(ohms, 0, contacts);
          const sent = finalizeProgram(
            { rateHz: 50, pulseWidthUs: pw, amplitudeUa: requestedUa, contacts },
            defaultLimits,
            check,
          ).program;
          expect(
            highestDensity(sent.amplitudeUa, pw, contacts, ohms, defaultLimits.contactAreaCm2),
          ).toBeLessThanOrEqual(LIMIT * (1 + 1e-12));
          const model = new GeneratorModel({ impedances: ohms, newBootId: () => 'aaaa0001' });
          const { stamp } = openModelSession(model);
          expect(model.handle(stamp({ type: 'SET', seq: 2, ...sent }), 0).type).toBe('ACK');
          // The generator on its own: whatever it accepts keeps every contact at or under its limit.
          const accepted =
            model.handle(stamp({ type: 'SET', seq: 3, ...sent, amplitudeUa: requestedUa }), 0).type === 'ACK';
          if (accepted)
            expect(highestDensity(requestedUa, pw, contacts, ohms, defaultLimits.contactAreaCm2)).toBeLessThanOrEqual(
              LIMIT * (1 + 1e-12),
            );
          else
            expect(highestDensity(requestedUa, pw, contacts, ohms, defaultLimits.contactAreaCm2)).toBeGreaterThan(
              LIMIT * (1 - 1e-12),
            );
        },
      ),
    );
  });

  it("property: the companion's largest amplitude and the generator's check agree to the µA", () => {
    // A generator with a 1 µA step, so the boundary itself can be sent.
    const config = { amplitudeUa: { min: 0, max: 999_999, step: 1 }, newBootId: () => 'aaaa0001' };
    const limits = { ...defaultLimits, amplitudeUa: config.amplitudeUa };
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom('+', '-', '0'), { minLength: 8, maxLength: 8 })
          .map((a) => a.join(''))
          .filter((c) => c.includes('+') && c.includes('-')),
        fc.array(fc.integer({ min: 50, max: 20_000 }), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 10, max: 100 }).map((k) => k * 10),
        (contacts, ohms, pw) => {
          const companionMax = densityMaxUa(
            pw,
            contacts,
            limits,
            contactShare(impedanceCheckOf(ohms, 0, contacts), contacts),
          );
          const model = new GeneratorModel({ ...config, impedances: ohms });
          const { stamp } = openModelSession(model);
          const program = { rateHz: 50, pulseWidthUs: pw, contacts };
          expect(model.handle(stamp({ type: 'SET', seq: 2, ...program, amplitudeUa: companionMax }), 0).type).toBe(
            'ACK',
          );
          expect(
            model.handle(stamp({ type: 'SET', seq: 3, ...program, amplitudeUa: companionMax + 1 }), 0),
          ).toMatchObject({ type: 'NAK', code: 24 });
        },
      ),
    );
  });

  it('property: with equal impedances the ceiling is exactly the equal split of before', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom('+', '-', '0'), { minLength: 8, maxLength: 8 })
          .map((a) => a.join(''))
          .filter((c) => c.includes('+') && c.includes('-')),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 2, max: 100 }).map((k) => k * 10),
        (contacts, ohms, pw) => {
          const check = impedanceCheckOf(
            Array.from({ length: 8 }, () => ohms),
            0,
            contacts,
          );
          const equalSplitUa = maxAmplitudeForDensity(pw, contacts, defaultLimits.contactAreaCm2, LIMIT);
          const expected = floorToGrid(
            Math.min(defaultLimits.amplitudeUa.max, equalSplitUa),
            defaultLimits.amplitudeUa,
          );
          expect(amplitudeCeiling(pw, contacts, defaultLimits, check).ceilingUa).toBe(expected);
        },
      ),
    );
  });
});
