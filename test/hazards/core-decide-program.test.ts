import { describe, expect, it } from 'vitest';
import {
  decideElectrodes,
  decidePosture,
  decidePulseWidth,
  decidePulseWidthStep,
  decideRate,
  decideRateStep,
} from '../../src/session/decide-program.js';
import { data, record, tuning } from './decider-fixtures.js';
import { accepted, clamp, info, refusal, setOutput, setProgram, warn } from './decision-builders.js';

/**
 * Electrodes, rate, pulse width (and their grid steps) and posture decided on their own: output off
 * first while stimulating, amplitude to 0 on an electrode change, thresholds discarded, the H3 width
 * rule, the clinical clamps. Exact operations, notices, patch and next phase; written to kill the
 * surviving mutants of src/session/decide-program.ts (docs/mutation/summary.md).
 */

describe('electrodes', () => {
  it('refuses without a generator', () => {
    expect(decideElectrodes(data({ generator: null }), '+-000000')).toEqual(
      refusal('electrodes', null, 'not connected to a generator', 'ready'),
    );
  });
  it('refuses without limits', () => {
    expect(decideElectrodes(data({ limits: null }), '+-000000')).toEqual(
      refusal('electrodes', null, 'not connected to a generator', 'ready'),
    );
  });
  it('refuses a malformed string, showing it', () => {
    expect(decideElectrodes(data(), '-+x')).toEqual(
      refusal('electrodes', '-+x', 'expected 8 contacts, got 3', 'ready'),
    );
  });
  it('refuses malformed tokens, showing them joined', () => {
    expect(decideElectrodes(data(), ['e9-', 'e2+'])).toEqual(
      refusal('electrodes', 'e9- e2+', "'e9-' is not CONTACT+ , CONTACT- or CONTACToff (e.g. 1- 2+)", 'ready'),
    );
  });
  it('refuses a configuration without a cathode', () => {
    expect(decideElectrodes(data(), '0+000000')).toEqual(
      refusal('electrodes', '0+000000', 'no cathode: set at least one contact to -', 'ready'),
    );
  });
  it('says unchanged for the configuration in force', () => {
    expect(decideElectrodes(data({ phase: 'tuning' }), '-+000000')).toEqual(
      accepted('tuning', { notices: [info('electrodes', '-+000000', '1- 2+', 'unchanged')] }),
    );
  });
  it('accepts tokens and sends the new contacts at 0 mA', () => {
    expect(decideElectrodes(data(), ['1+', '2-'])).toEqual(
      accepted('ready', {
        ops: [setProgram(0, { contacts: '+-000000' })],
        confirmedPatch: { estimate: null, patientWindow: null },
      }),
    );
  });
  it('sets amplitude to 0, discards thresholds, turns output off first', () => {
    expect(decideElectrodes(tuning(), '+-000000')).toEqual(
      accepted('ready', {
        notices: [
          warn(
            'output',
            'on',
            'off',
            'electrode change: only amplitude may change while output is on, so output was turned off first',
          ),
        ],
        // Said once the generator confirmed the new contacts (bb5-N1).
        confirmed: [
          clamp('amplitude', 3, 0, 'an electrode change sets amplitude to 0'),
          warn('threshold', null, null, 'electrode change: measured thresholds discarded'),
        ],
        ops: [setOutput(false, 'test'), setProgram(0, { contacts: '+-000000' })],
        confirmedPatch: { estimate: null, patientWindow: null },
      }),
    );
  });
  it('turns therapy output off in therapy mode', () => {
    expect(decideElectrodes(tuning({ mode: 'therapy', committed: true }, { phase: 'therapy' }), '00-+0000')).toEqual(
      accepted('ready', {
        notices: [
          warn(
            'output',
            'on',
            'off',
            'electrode change: only amplitude may change while output is on, so output was turned off first',
          ),
        ],
        // Said once the generator confirmed the new contacts (bb5-N1).
        confirmed: [
          clamp('amplitude', 3, 0, 'an electrode change sets amplitude to 0'),
          warn('threshold', null, null, 'electrode change: measured thresholds discarded'),
        ],
        ops: [setOutput(false, 'therapy'), setProgram(0, { contacts: '00-+0000' })],
        confirmedPatch: { estimate: null, patientWindow: null },
      }),
    );
  });
  it('replaces an out-of-window pulse width, said so', () => {
    expect(decideElectrodes(data({}, { pulseWidthUs: 100 }), '+-000000')).toEqual(
      accepted('ready', {
        notices: [
          clamp('pulseWidth', 100, 200, "generator's pulse width 100 µs is outside the clinical window 200–500 µs"),
        ],
        ops: [setProgram(0, { pulseWidthUs: 200, contacts: '+-000000' })],
        confirmedPatch: { estimate: null, patientWindow: null },
      }),
    );
  });
});

describe('rate', () => {
  it('refuses without a generator', () => {
    expect(decideRate(data({ generator: null }), 50)).toEqual(
      refusal('rate', 50, 'not connected to a generator', 'ready'),
    );
  });
  it('refuses a rate that is not a number', () => {
    expect(decideRate(data(), Number.NaN)).toEqual(refusal('rate', 'NaN', 'not a number of Hz', 'ready'));
  });
  it('sends nothing for the rate in force', () => {
    expect(decideRate(data({ phase: 'tuning' }), 50)).toEqual(accepted('tuning'));
  });
  it('says so when a rate clamped to the one in force sends nothing', () => {
    expect(decideRate(data({ phase: 'tuning' }, { rateHz: 60 }), 70)).toEqual(
      accepted('tuning', { notices: [clamp('rate', 70, 60, 'clinical window max 60 Hz')] }),
    );
  });
  it('sends a new rate with output off', () => {
    expect(decideRate(data(), 55)).toEqual(accepted('ready', { ops: [setProgram(0, { rateHz: 55 })] }));
  });
  it('turns output off first while stimulating', () => {
    expect(decideRate(tuning(), 45)).toEqual(
      accepted('ready', {
        notices: [
          warn(
            'output',
            'on',
            'off',
            'rate change: only amplitude may change while output is on, so output was turned off first',
          ),
        ],
        ops: [setOutput(false, 'test'), setProgram(3000, { rateHz: 45 })],
      }),
    );
  });
  it('reprograms an out-of-window rate even when the request equals its clamp', () => {
    expect(decideRate(data({}, { rateHz: 100 }), 60)).toEqual(
      accepted('ready', {
        notices: [clamp('rate', 100, 60, "generator's rate 100 Hz is outside the clinical window 40–60 Hz")],
        ops: [setProgram(0, { rateHz: 60 })],
      }),
    );
  });
  it('clamps a request below the clinical window', () => {
    expect(decideRate(data(), 10)).toEqual(
      accepted('ready', {
        notices: [clamp('rate', 10, 40, 'clinical window min 40 Hz')],
        ops: [setProgram(0, { rateHz: 40 })],
      }),
    );
  });
});

describe('rate steps', () => {
  it('refuses up without a generator', () => {
    expect(decideRateStep(data({ generator: null }), 1)).toEqual(
      refusal('rate', 'one step up', 'not connected to a generator', 'ready'),
    );
  });
  it('refuses down without limits', () => {
    expect(decideRateStep(data({ limits: null }), -1)).toEqual(
      refusal('rate', 'one step down', 'not connected to a generator', 'ready'),
    );
  });
  it('steps up one Hz', () => {
    expect(decideRateStep(data(), 1)).toEqual(accepted('ready', { ops: [setProgram(0, { rateHz: 51 })] }));
  });
  it('steps down one Hz', () => {
    expect(decideRateStep(data(), -1)).toEqual(accepted('ready', { ops: [setProgram(0, { rateHz: 49 })] }));
  });
  it('stays at the clinical max, said so', () => {
    expect(decideRateStep(data({}, { rateHz: 60 }), 1)).toEqual(
      accepted('ready', { notices: [clamp('rate', 61, 60, 'clinical window max 60 Hz')] }),
    );
  });
});

describe('pulse width', () => {
  it('refuses without a generator', () => {
    expect(decidePulseWidth(data({ generator: null }), 300)).toEqual(
      refusal('pulseWidth', 300, 'not connected to a generator', 'ready'),
    );
  });
  it('refuses a width that is not a number', () => {
    expect(decidePulseWidth(data(), Number.NaN)).toEqual(refusal('pulseWidth', 'NaN', 'not a number of µs', 'ready'));
  });
  it('sends nothing for the width in force', () => {
    expect(decidePulseWidth(data({ phase: 'search' }), 300)).toEqual(accepted('search'));
  });
  it('sends a new width with output off at 0 mA', () => {
    expect(decidePulseWidth(data(), 400)).toEqual(
      accepted('ready', {
        ops: [setProgram(0, { pulseWidthUs: 400 })],
        confirmedPatch: { estimate: null, patientWindow: null },
      }),
    );
  });
  it('discards thresholds without an estimate', () => {
    expect(decidePulseWidth(data({ thresholds: [record({ discomfortUa: null, sensoryUa: null })] }), 400)).toEqual(
      accepted('ready', {
        confirmed: [warn('threshold', null, null, 'pulse width changed: measured thresholds discarded')],
        ops: [setProgram(0, { pulseWidthUs: 400 })],
        confirmedPatch: { estimate: null, patientWindow: null },
      }),
    );
  });
  it('estimates the new sensory threshold from the measured one (Weiss), output off first', () => {
    expect(decidePulseWidth(tuning(), 400)).toEqual(
      accepted('ready', {
        notices: [
          warn(
            'output',
            'on',
            'off',
            'pulse width change: only amplitude may change while output is on, so output was turned off first',
          ),
        ],
        ops: [setOutput(false, 'test'), setProgram(1750, { pulseWidthUs: 400 })],
        // The estimate, its clamp and the discard are what the new width does: said once confirmed (bb5-N1).
        confirmed: [
          clamp(
            'amplitude',
            3,
            1.75,
            'at or below the estimated sensory threshold 1.752 mA at 400 µs (Weiss law, estimated)',
          ),
          warn(
            'threshold',
            null,
            1.75,
            'pulse width changed: measured thresholds discarded; estimated sensory threshold 1.752 mA at 400 µs (Weiss law, chronaxie 295 µs) — an estimate only; re-measure before therapy',
          ),
        ],
        confirmedPatch: {
          estimate: { estimated: true, pulseWidthUs: 400, sensoryUa: 1752.1008403361343, startUa: 1750 },
          patientWindow: null,
        },
      }),
    );
  });
  it('lowers amplitude on a wider pulse (H3)', () => {
    expect(decidePulseWidth(tuning({ amplitudeUa: 3000 }, { thresholds: [] }), 500)).toEqual(
      accepted('ready', {
        notices: [
          warn(
            'output',
            'on',
            'off',
            'pulse width change: only amplitude may change while output is on, so output was turned off first',
          ),
        ],
        ops: [setOutput(false, 'test'), setProgram(1850, { pulseWidthUs: 500 })],
        confirmed: [
          clamp('amplitude', 3, 1.85, 'pulse width 300→500 µs: charge per phase may rise by at most one step'),
        ],
        confirmedPatch: { estimate: null, patientWindow: null },
      }),
    );
  });
  it('clamps a width above the clinical window', () => {
    expect(decidePulseWidth(data(), 900)).toEqual(
      accepted('ready', {
        notices: [clamp('pulseWidth', 900, 500, 'clinical window max 500 µs')],
        ops: [setProgram(0, { pulseWidthUs: 500 })],
        confirmedPatch: { estimate: null, patientWindow: null },
      }),
    );
  });
  it('reprograms an out-of-window width even when the request equals its clamp', () => {
    expect(decidePulseWidth(data({}, { pulseWidthUs: 600 }), 500)).toEqual(
      accepted('ready', {
        notices: [
          clamp('pulseWidth', 600, 500, "generator's pulse width 600 µs is outside the clinical window 200–500 µs"),
        ],
        ops: [setProgram(0, { pulseWidthUs: 500 })],
        confirmedPatch: { estimate: null, patientWindow: null },
      }),
    );
  });
});

describe('pulse-width steps', () => {
  it('refuses up without a generator', () => {
    expect(decidePulseWidthStep(data({ generator: null }), 1)).toEqual(
      refusal('pulseWidth', 'one step up', 'not connected to a generator', 'ready'),
    );
  });
  it('refuses down without limits', () => {
    expect(decidePulseWidthStep(data({ limits: null }), -1)).toEqual(
      refusal('pulseWidth', 'one step down', 'not connected to a generator', 'ready'),
    );
  });
  it('steps up one grid step', () => {
    expect(decidePulseWidthStep(data(), 1)).toEqual(
      accepted('ready', {
        ops: [setProgram(0, { pulseWidthUs: 310 })],
        confirmedPatch: { estimate: null, patientWindow: null },
      }),
    );
  });
  it('steps down one grid step', () => {
    expect(decidePulseWidthStep(data(), -1)).toEqual(
      accepted('ready', {
        ops: [setProgram(0, { pulseWidthUs: 290 })],
        confirmedPatch: { estimate: null, patientWindow: null },
      }),
    );
  });
});

describe('posture', () => {
  it('does nothing for the posture in force', () => {
    expect(decidePosture(tuning(), 'supine')).toEqual(accepted('tuning'));
  });
  it('labels a new posture with output off', () => {
    expect(decidePosture(data({ phase: 'search' }, { output: 'off' }), 'sitting')).toEqual(
      accepted('search', { patch: { posture: 'sitting' } }),
    );
  });
  it('turns output off first while stimulating', () => {
    expect(decidePosture(tuning(), 'standing')).toEqual(
      accepted('ready', {
        notices: [
          warn(
            'output',
            'on',
            'off',
            'posture change: only amplitude may change while output is on, so output was turned off first',
          ),
        ],
        ops: [setOutput(false, 'test')],
        patch: { posture: 'standing' },
      }),
    );
  });
});
