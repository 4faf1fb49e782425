import { describe, expect, it } from 'vitest';
import { decideCommit, decideOutputOff, decideOutputOn, decidePatientMode } from '../../src/session/decide-output.js';
import { data, record, tuning } from './decider-fixtures.js';
import { accepted, clamp, info, refusal, setOutput, setProgram } from './decision-builders.js';

/**
 * Output on/off, commit to therapy and patient mode, decided on their own: the exact operations,
 * notices (kind, field, requested, applied, reason), acceptance and next phase. Written to kill the
 * surviving mutants of src/session/decide-output.ts (docs/mutation/summary.md).
 */

describe('output on', () => {
  it('refuses without a generator', () => {
    expect(decideOutputOn(data({ generator: null }))).toEqual(
      refusal('output', 'on', 'not connected to a generator', 'ready'),
    );
  });
  it('refuses without limits', () => {
    expect(decideOutputOn(data({ limits: null, thresholds: [record()] }))).toEqual(
      refusal('output', 'on', 'not connected to a generator', 'ready'),
    );
  });
  it('says output is already on and sends nothing', () => {
    expect(decideOutputOn(tuning())).toEqual(
      accepted('tuning', { notices: [info('output', 'on', 'on', 'output is already on')] }),
    );
  });
  it('refuses without a measured window, naming the posture', () => {
    expect(decideOutputOn(data({ posture: 'sitting', thresholds: [record()] }))).toEqual(
      refusal(
        'output',
        'on',
        'no measured window for this pulse width, electrodes and posture (sitting): use search start',
        'ready',
      ),
    );
  });
  it('refuses with only a sensory threshold', () => {
    expect(decideOutputOn(data({ thresholds: [record({ discomfortUa: null })] }))).toEqual(
      refusal(
        'output',
        'on',
        'no measured window for this pulse width, electrodes and posture (supine): use search start',
        'ready',
      ),
    );
  });
  it('refuses a configuration without an anode', () => {
    expect(decideOutputOn(data({ thresholds: [record({ contacts: '-0000000' })] }, { contacts: '-0000000' }))).toEqual(
      refusal('output', 'on', 'no anode: set at least one contact to +', 'ready'),
    );
  });
  it('starts at 0 mA in test mode and goes to tuning', () => {
    expect(decideOutputOn(data({ thresholds: [record()] }))).toEqual(
      accepted('tuning', { ops: [setProgram(0), setOutput(true, 'test')] }),
    );
  });
  // bb4-F6: what output on does to the program is said once the generator confirmed it, never before.
  it('says so when the generator held a higher amplitude, once the generator confirmed it', () => {
    expect(decideOutputOn(data({ thresholds: [record()] }, { amplitudeUa: 1500 }))).toEqual({
      ...accepted('tuning', { ops: [setProgram(0), setOutput(true, 'test')] }),
      confirmed: [clamp('amplitude', 1.5, 0, 'output starts at 0 mA')],
    });
  });
  it('replaces an out-of-window rate by its clamp, said so once the generator confirmed it', () => {
    expect(decideOutputOn(data({ thresholds: [record()] }, { rateHz: 100 }))).toEqual({
      ...accepted('tuning', { ops: [setProgram(0, { rateHz: 60 }), setOutput(true, 'test')] }),
      confirmed: [clamp('rate', 100, 60, "generator's rate 100 Hz is outside the clinical window 40–60 Hz")],
    });
  });
});

describe('output off', () => {
  it('refuses without a generator, staying where it was', () => {
    expect(decideOutputOff(data({ generator: null, phase: 'tuning' }))).toEqual(
      refusal('output', 'off', 'not connected to a generator', 'tuning'),
    );
  });
  it('turns test output off and goes to ready', () => {
    expect(decideOutputOff(tuning())).toEqual(accepted('ready', { ops: [setOutput(false, 'test')] }));
  });
  it('turns therapy output off in therapy mode', () => {
    expect(decideOutputOff(tuning({ mode: 'therapy' }, { phase: 'therapy' }))).toEqual(
      accepted('ready', { ops: [setOutput(false, 'therapy')] }),
    );
  });
  it('stays blocked on an unbound generator', () => {
    expect(decideOutputOff(data({ phase: 'blocked' }, { output: 'on' }))).toEqual(
      accepted('blocked', { ops: [setOutput(false, 'test')] }),
    );
  });
});

describe('commit', () => {
  it('refuses without a generator', () => {
    expect(decideCommit(data({ generator: null }))).toEqual(
      refusal('mode', 'commit', 'not connected to a generator', 'ready'),
    );
  });
  it('says therapy is already committed', () => {
    expect(decideCommit(tuning({ mode: 'therapy', committed: true }, { phase: 'therapy' }))).toEqual(
      accepted('therapy', { notices: [info('mode', 'therapy', 'therapy', 'therapy is already committed')] }),
    );
  });
  it('refuses again in therapy phase when the generator is not committed', () => {
    expect(decideCommit(tuning({ mode: 'therapy', committed: false }, { phase: 'therapy' }))).toEqual(
      refusal(
        'mode',
        'therapy',
        'commit needs measured thresholds and test stimulation inside the window (search start, mark sensory, mark discomfort)',
        'therapy',
      ),
    );
  });
  it('refuses in therapy phase when the generator is in test mode', () => {
    expect(decideCommit(tuning({ mode: 'test', committed: true }, { phase: 'therapy' }))).toEqual(
      refusal(
        'mode',
        'therapy',
        'commit needs measured thresholds and test stimulation inside the window (search start, mark sensory, mark discomfort)',
        'therapy',
      ),
    );
  });
  it('commits from tuning even when the generator already holds a committed therapy flag', () => {
    expect(decideCommit(tuning({ mode: 'therapy', committed: true }))).toEqual({
      // Said once the generator confirms the commit, never before (a lost reply: "not confirmed" only).
      ...accepted('therapy', { ops: [setOutput(true, 'therapy')] }),
      confirmed: [info('mode', 'therapy', 'therapy', 'therapy committed to the generator')],
    });
  });
  it('refuses from ready', () => {
    expect(decideCommit(data({ thresholds: [record()] }))).toEqual(
      refusal(
        'mode',
        'therapy',
        'commit needs measured thresholds and test stimulation inside the window (search start, mark sensory, mark discomfort)',
        'ready',
      ),
    );
  });
  it('refuses in tuning with output off', () => {
    expect(decideCommit(tuning({ output: 'off' }))).toEqual(
      refusal(
        'mode',
        'therapy',
        'commit needs measured thresholds and test stimulation inside the window (search start, mark sensory, mark discomfort)',
        'tuning',
      ),
    );
  });
  it('refuses without a measured window', () => {
    expect(decideCommit(tuning({}, { thresholds: [] }))).toEqual(
      refusal(
        'mode',
        'therapy',
        'therapy requires measured thresholds for this pulse width, electrodes and posture',
        'tuning',
      ),
    );
  });
  it('refuses one step below the window', () => {
    expect(decideCommit(tuning({ amplitudeUa: 1950 }))).toEqual(
      refusal('amplitude', 1.95, 'amplitude is outside the window 2–4 mA: amp set inside it first', 'tuning'),
    );
  });
  it('refuses one step above the window', () => {
    expect(decideCommit(tuning({ amplitudeUa: 4050 }))).toEqual(
      refusal('amplitude', 4.05, 'amplitude is outside the window 2–4 mA: amp set inside it first', 'tuning'),
    );
  });
  it("commits at the window's low edge", () => {
    expect(decideCommit(tuning({ amplitudeUa: 2000 }))).toEqual({
      // Said once the generator confirms the commit, never before (a lost reply: "not confirmed" only).
      ...accepted('therapy', { ops: [setOutput(true, 'therapy')] }),
      confirmed: [info('mode', 'therapy', 'therapy', 'therapy committed to the generator')],
    });
  });
  it("commits at the window's high edge", () => {
    expect(decideCommit(tuning({ amplitudeUa: 4000 }))).toEqual({
      // Said once the generator confirms the commit, never before (a lost reply: "not confirmed" only).
      ...accepted('therapy', { ops: [setOutput(true, 'therapy')] }),
      confirmed: [info('mode', 'therapy', 'therapy', 'therapy committed to the generator')],
    });
  });
  it('commits inside the window', () => {
    expect(decideCommit(tuning())).toEqual({
      // Said once the generator confirms the commit, never before (a lost reply: "not confirmed" only).
      ...accepted('therapy', { ops: [setOutput(true, 'therapy')] }),
      confirmed: [info('mode', 'therapy', 'therapy', 'therapy committed to the generator')],
    });
  });
});

describe('patient mode', () => {
  it('refuses during a search', () => {
    expect(decidePatientMode(data({ phase: 'search' }), true)).toEqual(
      refusal('session', 'patient mode on', 'finish or stop the threshold search first', 'search'),
    );
  });
  it('turns on', () => {
    expect(decidePatientMode(tuning(), true)).toEqual(
      accepted('tuning', {
        notices: [
          info(
            'session',
            'patient mode on',
            'patient mode on',
            'patient mode on: the patient may change amplitude only, inside the patient window, and turn output off',
          ),
        ],
        patch: { patientMode: true },
      }),
    );
  });
  it('is refused with no patient window, output off too (bb4-L3: README, it keeps amplitude inside that window)', () => {
    expect(decidePatientMode(data({ phase: 'ready' }), true)).toEqual(
      refusal(
        'session',
        'patient mode on',
        'no patient window: measure the sensory and discomfort thresholds for this program first',
        'ready',
      ),
    );
  });
  it('turns off, even during a search', () => {
    expect(decidePatientMode(data({ phase: 'search', patientMode: true }), false)).toEqual(
      accepted('search', {
        notices: [
          info(
            'session',
            'patient mode off',
            'patient mode off',
            'patient mode off: the clinician has the whole measured window again',
          ),
        ],
        patch: { patientMode: false },
      }),
    );
  });
  // bb5 nit: off when patient mode was never on says so; no "whole measured window again" that never left.
  it('off when it was not on says patient mode was not on, nothing changed', () => {
    expect(decidePatientMode(data({ phase: 'ready' }), false)).toEqual(
      accepted('ready', {
        notices: [info('session', 'patient mode off', 'patient mode off', 'patient mode was not on: nothing changed')],
        patch: { patientMode: false },
      }),
    );
  });
});
