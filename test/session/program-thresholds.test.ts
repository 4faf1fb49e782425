import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thresholdsDroppedNotice, thresholdsFollowing } from '../../src/session/program-thresholds.js';
import { POSTURES, type ThresholdRecord } from '../../src/session/session-types.js';
import { measuredWindow } from '../../src/session/threshold-store.js';
import { defaultLimits } from './arbitraries.js';
import { data } from '../hazards/decider-fixtures.js';

/**
 * bb5-N1: thresholds belong to the pulse width and electrodes they were measured on (README "Threshold
 * search"). Given the program the generator confirmed, the measured window is kept exactly when that
 * program's pulse width and electrodes are the ones it was measured on, whatever was asked.
 */

const WIDTHS = [200, 300, 400] as const;
const CONTACTS = ['-+000000', '-0+00000', '+-000000'] as const;

const programArb = fc.record({ pulseWidthUs: fc.constantFrom(...WIDTHS), contacts: fc.constantFrom(...CONTACTS) });
const recordArb: fc.Arbitrary<ThresholdRecord> = fc
  .record({
    program: programArb,
    posture: fc.constantFrom(...POSTURES),
    sensory: fc.integer({ min: 2, max: 20 }),
    span: fc.integer({ min: 1, max: 20 }),
  })
  .map(({ program, posture, sensory, span }) => ({
    ...program,
    posture,
    sensoryUa: sensory * 50,
    discomfortUa: (sensory + span) * 50,
  }));

describe('thresholds follow the confirmed program (bb5-N1)', () => {
  it('property: the measured window is kept iff the confirmed pulse width and electrodes are those it was measured on', () => {
    fc.assert(
      fc.property(recordArb, programArb, (record, confirmed) => {
        const before = data({ thresholds: [record], posture: record.posture, patientWindow: { lowUa: 1, highUa: 2 } });
        const follow = thresholdsFollowing(before, confirmed);
        const after = {
          ...before,
          ...follow.patch,
          generator: { ...before.generator!, ...confirmed },
          limits: defaultLimits,
        };
        const same = record.pulseWidthUs === confirmed.pulseWidthUs && record.contacts === confirmed.contacts;
        expect(measuredWindow(after) !== null).toBe(same);
        expect(after.thresholds).toEqual(same ? [record] : []);
        expect(follow.dropped).toEqual(same ? [] : [record]);
        // The patient window is drawn inside the measured one: it goes with it, and only then.
        expect(after.patientWindow).toEqual(same ? { lowUa: 1, highUa: 2 } : null);
        expect(thresholdsDroppedNotice(follow.dropped, confirmed) === null).toBe(same);
      }),
    );
  });

  it('property: a Weiss-law estimate stays only for the pulse width it was made for', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WIDTHS), programArb, (width, confirmed) => {
        const estimate = { estimated: true as const, pulseWidthUs: width, sensoryUa: 1000, startUa: 1000 };
        const follow = thresholdsFollowing(data({ thresholds: [], estimate }), confirmed);
        expect({ ...{ estimate }, ...follow.patch }.estimate).toEqual(
          width === confirmed.pulseWidthUs ? estimate : null,
        );
      }),
    );
  });

  it('says in clinician words what the thresholds were measured on and what the generator now runs', () => {
    const record: ThresholdRecord = {
      pulseWidthUs: 300,
      contacts: '-+000000',
      posture: 'supine',
      sensoryUa: 100,
      discomfortUa: 200,
    };
    expect(thresholdsDroppedNotice([record], { pulseWidthUs: 600, contacts: '-0+00000' })).toEqual({
      kind: 'warn',
      field: 'threshold',
      requested: null,
      applied: null,
      reason:
        'measured thresholds discarded: they were measured at 300 µs on 1- 2+ and the generator now runs 600 µs on 1- 3+; measure again (search start) before using a window',
    });
  });
});
