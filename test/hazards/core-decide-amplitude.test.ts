import { describe, expect, it } from 'vitest';
import { decideAmplitude } from '../../src/session/decide-amplitude.js';
import { data, limits, record, tuning } from './decider-fixtures.js';
import { accepted, clamp, refusal, setProgram, warn } from './decision-builders.js';

/**
 * Amplitude decided on its own: refusals (not connected, not a number, output off, invalid base
 * program, missing pole), the search step (one generator step, minimum dwell, charge-density
 * ceiling) and the measured or patient window afterwards. Exact operations, notices and next phase;
 * written to kill the surviving mutants of src/session/decide-amplitude.ts (docs/mutation/summary.md).
 * At 300 µs on '-+000000' the charge-density ceiling is 12.25 mA (30 µC/cm² × 0.1225 cm²).
 */

const search = (g: Parameters<typeof data>[1] = {}, over: Parameters<typeof data>[0] = {}) =>
  data(
    { phase: 'search', thresholds: [record({ sensoryUa: null, discomfortUa: null })], lastStepAt: 1000, ...over },
    { output: 'on', amplitudeUa: 1000, ...g },
  );
const coarse = { ...limits, amplitudeUa: { min: 0, max: 25500, step: 150 } };

describe('refusals before any rule', () => {
  it('refuses without a generator', () => {
    expect(decideAmplitude(data({ generator: null, phase: 'tuning' }), { kind: 'up' }, 0)).toEqual(
      refusal('amplitude', null, 'not connected to a generator', 'tuning'),
    );
  });
  it('refuses without limits', () => {
    expect(decideAmplitude(tuning({}, { limits: null }), { kind: 'up' }, 0)).toEqual(
      refusal('amplitude', null, 'not connected to a generator', 'tuning'),
    );
  });
  it('refuses a set that is not a number', () => {
    expect(decideAmplitude(tuning(), { kind: 'set', ma: Number.NaN }, 0)).toEqual(
      refusal('amplitude', 'NaN', 'amplitude must be a non-negative number of mA', 'tuning'),
    );
  });
  it('refuses an infinite set', () => {
    expect(decideAmplitude(tuning(), { kind: 'set', ma: Number.POSITIVE_INFINITY }, 0)).toEqual(
      refusal('amplitude', 'Infinity', 'amplitude must be a non-negative number of mA', 'tuning'),
    );
  });
  it('refuses a negative set', () => {
    expect(decideAmplitude(tuning(), { kind: 'set', ma: -0.05 }, 0)).toEqual(
      refusal('amplitude', '-0.05', 'amplitude must be a non-negative number of mA', 'tuning'),
    );
  });
  it('accepts a set of 0 mA (clamped to the window)', () => {
    expect(decideAmplitude(tuning(), { kind: 'set', ma: 0 }, 0)).toEqual(
      accepted('tuning', {
        notices: [clamp('amplitude', 0, 2, 'sensory threshold 2 mA (output off or STOP is the way to zero)')],
        ops: [setProgram(2000)],
      }),
    );
  });
  it('refuses a set with output off, naming the mA', () => {
    expect(decideAmplitude(data({ thresholds: [record()] }, { amplitudeUa: 0 }), { kind: 'set', ma: 2.5 }, 0)).toEqual(
      refusal('amplitude', 2.5, 'output is off: start a threshold search or turn output on first', 'ready'),
    );
  });
  it('refuses up with output off, naming the direction', () => {
    expect(decideAmplitude(data({ thresholds: [record()] }), { kind: 'up' }, 0)).toEqual(
      refusal('amplitude', 'one step up', 'output is off: start a threshold search or turn output on first', 'ready'),
    );
  });
  it('refuses down with output off', () => {
    expect(decideAmplitude(data({ thresholds: [record()] }), { kind: 'down' }, 0)).toEqual(
      refusal('amplitude', 'one step down', 'output is off: start a threshold search or turn output on first', 'ready'),
    );
  });
  // bb3 F-L9 (README key v): the program holds an amplitude above the window (changed elsewhere) while
  // output is off; down brings it to the window's top in one write, output stays off.
  it('down with output off and the programmed amplitude above the window lowers it to the top, output off', () => {
    expect(decideAmplitude(data({ thresholds: [record()] }, { amplitudeUa: 9000 }), { kind: 'down' }, 0)).toEqual(
      accepted('ready', {
        notices: [
          // What it does, not "one step down asked" (bb5 nit: key v lowers the program into the window).
          clamp(
            'amplitude',
            null,
            4,
            'the programmed amplitude 9 mA was above the window 2–4 mA: lowered into it, to its top, at once; output stays off',
          ),
        ],
        ops: [setProgram(4000)],
      }),
    );
  });
  it('down with output off in patient mode lowers to the patient window top', () => {
    const d = data(
      { thresholds: [record()], patientMode: true, patientWindow: { lowUa: 2500, highUa: 3500 } },
      { amplitudeUa: 3600 },
    );
    expect(decideAmplitude(d, { kind: 'down' }, 0)).toEqual(
      accepted('ready', {
        notices: [
          clamp(
            'amplitude',
            null,
            3.5,
            'the programmed amplitude 3.6 mA was above the window 2.5–3.5 mA: lowered into it, to its top, at once; output stays off',
          ),
        ],
        ops: [setProgram(3500)],
      }),
    );
  });
  it('up and set with output off stay refused above the window (never a rise, never output on)', () => {
    const d = data({ thresholds: [record()] }, { amplitudeUa: 9000 });
    expect(decideAmplitude(d, { kind: 'up' }, 0).accepted).toBe(false);
    expect(decideAmplitude(d, { kind: 'set', ma: 3 }, 0).accepted).toBe(false);
  });
  it('refuses in tuning when the generator reads back output off', () => {
    expect(decideAmplitude(tuning({ output: 'off' }), { kind: 'set', ma: 3.5 }, 0)).toEqual(
      refusal('amplitude', 3.5, 'output is off: start a threshold search or turn output on first', 'tuning'),
    );
  });
  it('refuses in search when the generator reads back output off', () => {
    expect(decideAmplitude(data({ phase: 'search' }, { amplitudeUa: 1000 }), { kind: 'up' }, 5000)).toEqual(
      refusal('amplitude', 'one step up', 'output is off: start a threshold search or turn output on first', 'search'),
    );
  });
  it("refuses in ready even when the generator's output is on", () => {
    expect(decideAmplitude(tuning({}, { phase: 'ready' }), { kind: 'up' }, 0)).toEqual(
      refusal('amplitude', 'one step up', 'output is off: start a threshold search or turn output on first', 'ready'),
    );
  });
  it("refuses in blocked even when the generator's output is on", () => {
    expect(decideAmplitude(tuning({}, { phase: 'blocked' }), { kind: 'set', ma: 3 }, 0)).toEqual(
      refusal('amplitude', 3, 'output is off: start a threshold search or turn output on first', 'blocked'),
    );
  });
  it('refuses a set when rate is outside the clinical window', () => {
    expect(decideAmplitude(tuning({ rateHz: 100 }), { kind: 'set', ma: 2.5 }, 0)).toEqual(
      refusal(
        'amplitude',
        'set 2.5 mA',
        "the generator's rate or pulse width is outside the clinical window: turn output off and reprogram",
        'tuning',
      ),
    );
  });
  it('refuses up when pulse width is outside the clinical window', () => {
    expect(decideAmplitude(tuning({ pulseWidthUs: 600 }), { kind: 'up' }, 0)).toEqual(
      refusal(
        'amplitude',
        'one step up',
        "the generator's rate or pulse width is outside the clinical window: turn output off and reprogram",
        'tuning',
      ),
    );
  });
  it('refuses up on a configuration without an anode', () => {
    expect(
      decideAmplitude(
        tuning({ contacts: '-0000000' }, { thresholds: [record({ contacts: '-0000000' })] }),
        { kind: 'up' },
        0,
      ),
    ).toEqual(refusal('amplitude', 'one step up', 'no anode: set at least one contact to +', 'tuning'));
  });
  it('refuses a set on a configuration without an anode', () => {
    expect(
      decideAmplitude(
        tuning({ contacts: '-0000000' }, { thresholds: [record({ contacts: '-0000000' })] }),
        { kind: 'set', ma: 3 },
        0,
      ),
    ).toEqual(refusal('amplitude', 'set 3 mA', 'no anode: set at least one contact to +', 'tuning'));
  });
  it('lets down through on a configuration without an anode', () => {
    expect(
      decideAmplitude(
        tuning({ contacts: '-0000000' }, { thresholds: [record({ contacts: '-0000000' })] }),
        { kind: 'down' },
        0,
      ),
    ).toEqual(accepted('tuning', { ops: [setProgram(2950, { contacts: '-0000000' })] }));
  });
});

describe('search: one step per action', () => {
  it('refuses a set during search', () => {
    expect(decideAmplitude(search(), { kind: 'set', ma: 1.1 }, 5000)).toEqual(
      refusal(
        'amplitude',
        1.1,
        'during threshold search amplitude moves one step per action (amp up / amp down)',
        'search',
      ),
    );
  });
  it('refuses a search step coarser than 0.1 mA', () => {
    expect(decideAmplitude(search({}, { limits: coarse }), { kind: 'up' }, 5000)).toEqual(
      refusal('amplitude', 'one step up', "the generator's step 0.15 mA exceeds 0.1 mA", 'search'),
    );
  });
  it('refuses a step one ms before the dwell has passed', () => {
    expect(decideAmplitude(search(), { kind: 'up' }, 1499)).toEqual(
      refusal('amplitude', 'one step up', 'minimum dwell 500 ms between search steps: wait 1 ms', 'search'),
    );
  });
  it('steps up exactly when the dwell has passed', () => {
    expect(decideAmplitude(search(), { kind: 'up' }, 1500)).toEqual(
      accepted('search', { ops: [setProgram(1050)], patch: { lastStepAt: 1500 } }),
    );
  });
  it('steps up without a previous step', () => {
    expect(decideAmplitude(search({}, { lastStepAt: null }), { kind: 'up' }, 0)).toEqual(
      accepted('search', { ops: [setProgram(1050)], patch: { lastStepAt: 0 } }),
    );
  });
  it('steps down one step', () => {
    expect(decideAmplitude(search(), { kind: 'down' }, 5000)).toEqual(
      accepted('search', { ops: [setProgram(950)], patch: { lastStepAt: 5000 } }),
    );
  });
  it('steps down to 0 mA, not below', () => {
    expect(decideAmplitude(search({ amplitudeUa: 30 }), { kind: 'down' }, 5000)).toEqual(
      accepted('search', { ops: [setProgram(0)], patch: { lastStepAt: 5000 } }),
    );
  });
  it('refuses down at 0 mA', () => {
    expect(decideAmplitude(search({ amplitudeUa: 0 }), { kind: 'down' }, 5000)).toEqual(
      refusal('amplitude', 0, 'already at 0 mA', 'search'),
    );
  });
  it('refuses up at the charge-density ceiling', () => {
    expect(decideAmplitude(search({ amplitudeUa: 12250 }), { kind: 'up' }, 5000)).toEqual(
      refusal('amplitude', 12.3, 'charge-density limit 30 µC/cm² at 300 µs', 'search'),
    );
  });
  it('refuses up above the ceiling', () => {
    expect(decideAmplitude(search({ amplitudeUa: 12300 }), { kind: 'up' }, 5000)).toEqual(
      refusal('amplitude', 12.35, 'charge-density limit 30 µC/cm² at 300 µs', 'search'),
    );
  });
  it('clamps a step that would cross the ceiling', () => {
    expect(decideAmplitude(search({ amplitudeUa: 12230 }), { kind: 'up' }, 5000)).toEqual(
      accepted('search', {
        notices: [
          clamp('amplitude', 12.28, 12.25, 'charge-density limit 30 µC/cm² at 300 µs'),
          warn('amplitude', 12.25, 12.25, 'Shannon k 2.04 ≥ 1.85 at 300 µs (30.0 µC/cm² on the most loaded contact)'),
        ],
        ops: [setProgram(12250)],
        patch: { lastStepAt: 5000 },
      }),
    );
  });
  it('steps up to exactly the ceiling without a clamp', () => {
    expect(decideAmplitude(search({ amplitudeUa: 12200 }), { kind: 'up' }, 5000)).toEqual(
      accepted('search', {
        notices: [
          warn('amplitude', 12.25, 12.25, 'Shannon k 2.04 ≥ 1.85 at 300 µs (30.0 µC/cm² on the most loaded contact)'),
        ],
        ops: [setProgram(12250)],
        patch: { lastStepAt: 5000 },
      }),
    );
  });
  it('sends only the therapy fields of the generator state', () => {
    expect(
      decideAmplitude(
        search({ batteryPct: 12, faults: ['low-battery'], committed: true, programRev: 99 }),
        { kind: 'up' },
        5000,
      ),
    ).toEqual(accepted('search', { ops: [setProgram(1050)], patch: { lastStepAt: 5000 } }));
  });
});

describe('after search: inside the window', () => {
  it('sets inside the window', () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 3550 }), { kind: 'set', ma: 3.5 }, 0)).toEqual(
      accepted('tuning', { ops: [setProgram(3500)] }),
    );
  });
  it('clamps a set above the window to discomfort', () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 3950 }), { kind: 'set', ma: 5 }, 0)).toEqual(
      accepted('tuning', { notices: [clamp('amplitude', 5, 4, 'discomfort threshold 4 mA')], ops: [setProgram(4000)] }),
    );
  });
  it('clamps a set below the window to sensory', () => {
    expect(decideAmplitude(tuning(), { kind: 'set', ma: 1 }, 0)).toEqual(
      accepted('tuning', {
        notices: [clamp('amplitude', 1, 2, 'sensory threshold 2 mA (output off or STOP is the way to zero)')],
        ops: [setProgram(2000)],
      }),
    );
  });
  it('floors a set between grid steps', () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 3300 }), { kind: 'set', ma: 3.27 }, 0)).toEqual(
      accepted('tuning', {
        notices: [clamp('amplitude', 3.27, 3.25, 'generator step 0.05 mA')],
        ops: [setProgram(3250)],
      }),
    );
  });
  it('steps up one generator step', () => {
    expect(decideAmplitude(tuning(), { kind: 'up' }, 0)).toEqual(accepted('tuning', { ops: [setProgram(3050)] }));
  });
  it('steps down one generator step', () => {
    expect(decideAmplitude(tuning(), { kind: 'down' }, 0)).toEqual(accepted('tuning', { ops: [setProgram(2950)] }));
  });
  it('sends nothing when the set equals the amplitude in force', () => {
    expect(decideAmplitude(tuning(), { kind: 'set', ma: 3 }, 0)).toEqual(accepted('tuning'));
  });
  it('sends nothing, said so, when down at sensory is clamped back', () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 2000 }), { kind: 'down' }, 0)).toEqual(
      accepted('tuning', {
        notices: [clamp('amplitude', 1.95, 2, 'sensory threshold 2 mA (output off or STOP is the way to zero)')],
      }),
    );
  });
  it('sends nothing when up at discomfort is clamped back', () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 4000 }), { kind: 'up' }, 0)).toEqual(
      accepted('tuning', { notices: [clamp('amplitude', 4.05, 4, 'discomfort threshold 4 mA')] }),
    );
  });
  it('refuses without a measured window in therapy', () => {
    expect(decideAmplitude(tuning({}, { phase: 'therapy', thresholds: [] }), { kind: 'up' }, 0)).toEqual(
      refusal('amplitude', 3.05, 'no measured window: mark sensory and discomfort thresholds first', 'therapy'),
    );
  });
  it('works in therapy inside the window', () => {
    expect(
      decideAmplitude(tuning({ mode: 'therapy', committed: true }, { phase: 'therapy' }), { kind: 'set', ma: 2.5 }, 0),
    ).toEqual(accepted('therapy', { ops: [setProgram(2500)] }));
  });
  it("keeps patient mode inside the clinician's window", () => {
    expect(
      decideAmplitude(
        tuning({ amplitudeUa: 3450 }, { patientMode: true, patientWindow: { lowUa: 2500, highUa: 3500 } }),
        { kind: 'set', ma: 3.8 },
        0,
      ),
    ).toEqual(
      accepted('tuning', {
        notices: [clamp('amplitude', 3.8, 3.5, 'patient window max 3.5 mA (set by the clinician)')],
        ops: [setProgram(3500)],
      }),
    );
  });
  it("keeps patient mode above the clinician's minimum", () => {
    expect(
      decideAmplitude(
        tuning({ amplitudeUa: 2500 }, { patientMode: true, patientWindow: { lowUa: 2500, highUa: 3500 } }),
        { kind: 'down' },
        0,
      ),
    ).toEqual(
      accepted('tuning', {
        notices: [
          clamp(
            'amplitude',
            2.45,
            2.5,
            'patient window min 2.5 mA (set by the clinician; output off or STOP is the way to zero)',
          ),
        ],
      }),
    );
  });
  it("uses the measured window in patient mode without a clinician's window", () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 3950 }, { patientMode: true }), { kind: 'set', ma: 4.5 }, 0)).toEqual(
      accepted('tuning', {
        notices: [clamp('amplitude', 4.5, 4, 'discomfort threshold 4 mA')],
        ops: [setProgram(4000)],
      }),
    );
  });
  it("uses the clinician's window only in patient mode", () => {
    expect(
      decideAmplitude(
        tuning({ amplitudeUa: 3750 }, { patientWindow: { lowUa: 2500, highUa: 3500 } }),
        { kind: 'set', ma: 3.8 },
        0,
      ),
    ).toEqual(accepted('tuning', { ops: [setProgram(3800)] }));
  });
});
