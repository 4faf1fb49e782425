import { describe, expect, it } from 'vitest';
import {
  decideAfterImpedance,
  decideImpedanceCheck,
  decideMarkDiscomfort,
  decideMarkSensory,
  decideSearchStart,
  impedanceNotices,
} from '../../src/session/decide-search.js';
import { data, limits, record, tuning } from './decider-fixtures.js';
import { accepted, clamp, info, refusal, setOutput, setProgram, warn } from './decision-builders.js';

/**
 * The threshold search decided on its own: start (impedance first, output off first), the impedance
 * verdict, marking sensory and discomfort (amplitude drops at once to sensory). Exact operations,
 * notices, patch and next phase; written to kill the surviving mutants of src/session/decide-search.ts
 * (docs/mutation/summary.md).
 */

const searching = (amplitudeUa: number, over: Parameters<typeof data>[0] = {}) =>
  data(
    { phase: 'search', lastStepAt: 1000, thresholds: [record({ sensoryUa: null, discomfortUa: null })], ...over },
    { output: 'on', amplitudeUa },
  );
const coarse = { ...limits, amplitudeUa: { min: 0, max: 25500, step: 150 } };
const ok = [800, 900, 1000, 1000, 1000, 1000, 1000, 1000];

describe('search start', () => {
  it('refuses without a generator', () => {
    expect(decideSearchStart(data({ generator: null }))).toEqual(
      refusal('session', 'search start', 'not connected to a generator', 'ready'),
    );
  });
  it('refuses without limits', () => {
    expect(decideSearchStart(data({ limits: null }))).toEqual(
      refusal('session', 'search start', 'not connected to a generator', 'ready'),
    );
  });
  it('refuses a generator whose amplitude step exceeds 0.1 mA', () => {
    expect(decideSearchStart(data({ limits: coarse }))).toEqual(
      refusal(
        'amplitude',
        'search start',
        "the generator's amplitude step 0.15 mA exceeds 0.1 mA: no safe search step",
        'ready',
      ),
    );
  });
  it('refuses a configuration without an anode', () => {
    expect(decideSearchStart(data({}, { contacts: '-0000000' }))).toEqual(
      refusal('electrodes', 'search start', 'no anode: set at least one contact to +', 'ready'),
    );
  });
  it('goes to the impedance check with output off', () => {
    expect(decideSearchStart(data())).toEqual(accepted('impedance'));
  });
  it('turns output off first while stimulating', () => {
    expect(decideSearchStart(tuning())).toEqual(
      accepted('impedance', {
        notices: [
          warn(
            'output',
            'on',
            'off',
            'threshold search: only amplitude may change while output is on, so output was turned off first',
          ),
        ],
        ops: [setOutput(false, 'test')],
      }),
    );
  });
  it('turns therapy output off in therapy mode', () => {
    expect(decideSearchStart(tuning({ mode: 'therapy' }, { phase: 'therapy' }))).toEqual(
      accepted('impedance', {
        notices: [
          warn(
            'output',
            'on',
            'off',
            'threshold search: only amplitude may change while output is on, so output was turned off first',
          ),
        ],
        ops: [setOutput(false, 'therapy')],
      }),
    );
  });
});

describe('impedance check on its own', () => {
  it('refuses without a generator', () => {
    expect(decideImpedanceCheck(data({ generator: null }))).toEqual(
      refusal('electrodes', 'impedance check', 'not connected to a generator', 'ready'),
    );
  });
  it('refuses without limits', () => {
    expect(decideImpedanceCheck(data({ limits: null }))).toEqual(
      refusal('electrodes', 'impedance check', 'not connected to a generator', 'ready'),
    );
  });
  it('measures with output off', () => {
    expect(decideImpedanceCheck(data({ phase: 'tuning' }, { output: 'off' }))).toEqual(accepted('impedanceCheck'));
  });
  it('turns output off first while stimulating', () => {
    expect(decideImpedanceCheck(tuning())).toEqual(
      accepted('impedanceCheck', {
        notices: [
          warn(
            'output',
            'on',
            'off',
            'impedance check: only amplitude may change while output is on, so output was turned off first',
          ),
        ],
        ops: [setOutput(false, 'test')],
      }),
    );
  });
});

describe('impedance readings', () => {
  it('flags open and shorted contacts, in use or not', () => {
    expect(impedanceNotices(['open', 900, 'short', 1000, 1100, 1200, 1300, 1400], '-0+00000')).toEqual([
      {
        kind: 'warn',
        field: 'electrodes',
        requested: 'contact 1',
        applied: 'open',
        reason: 'contact 1 reads open and is in use: choose other contacts before stimulating',
      },
      {
        kind: 'warn',
        field: 'electrodes',
        requested: 'contact 3',
        applied: 'short',
        reason: 'contact 3 reads short and is in use: choose other contacts before stimulating',
      },
    ]);
  });
  it('warns about a contact beyond the configuration without calling it in use', () => {
    expect(impedanceNotices([800, 'open'], '-')).toEqual([
      { kind: 'warn', field: 'electrodes', requested: 'contact 2', applied: 'open', reason: 'contact 2 reads open' },
    ]);
  });
  it('flags nothing when every contact reads a number', () => {
    expect(impedanceNotices(ok, '-+000000')).toEqual([]);
  });
});

describe('after the impedance check', () => {
  it('refuses without a generator', () => {
    expect(decideAfterImpedance(data({ generator: null }), ok, 5)).toEqual(
      refusal('session', 'search start', 'not connected to a generator', 'ready'),
    );
  });
  it('refuses without limits', () => {
    expect(decideAfterImpedance(data({ limits: null }), ok, 5)).toEqual(
      refusal('session', 'search start', 'not connected to a generator', 'ready'),
    );
  });
  it('starts the search at 0 mA in test mode with a fresh record', () => {
    expect(decideAfterImpedance(data({}, { amplitudeUa: 1500 }), ok, 5)).toEqual(
      accepted('search', {
        ops: [setProgram(0), setOutput(true, 'test')],
        patch: {
          lastStepAt: 5,
          thresholds: [
            { pulseWidthUs: 300, contacts: '-+000000', posture: 'supine', sensoryUa: null, discomfortUa: null },
          ],
        },
      }),
    );
  });
  it("keeps the other postures' records and replaces this one", () => {
    expect(
      decideAfterImpedance(data({ posture: 'sitting', thresholds: [record(), record({ posture: 'sitting' })] }), ok, 5),
    ).toEqual(
      accepted('search', {
        // Issue 13: the sitting window (2–4 mA) is replaced, and the clinician is told so.
        notices: [warn('threshold', null, null, 'starting a new threshold search discards the measured window 2–4 mA')],
        ops: [setProgram(0), setOutput(true, 'test')],
        patch: {
          lastStepAt: 5,
          thresholds: [
            { pulseWidthUs: 300, contacts: '-+000000', posture: 'supine', sensoryUa: 2000, discomfortUa: 4000 },
            { pulseWidthUs: 300, contacts: '-+000000', posture: 'sitting', sensoryUa: null, discomfortUa: null },
          ],
        },
      }),
    );
  });
  it('a new search over a sensory threshold alone says it is discarded', () => {
    const d = decideAfterImpedance(data({ thresholds: [record({ discomfortUa: null })] }), ok, 5);
    expect(d.notices).toEqual([
      warn('threshold', null, null, 'starting a new threshold search discards the sensory threshold 2 mA'),
    ]);
  });
  it('only warns about a bad contact that is not in use', () => {
    expect(decideAfterImpedance(data(), [800, 900, 'open', 'short', 1000, 1000, 1000, 1000], 5)).toEqual(
      accepted('search', {
        notices: [
          warn('electrodes', 'contact 3', 'open', 'contact 3 reads open (not in use)'),
          warn('electrodes', 'contact 4', 'short', 'contact 4 reads short (not in use)'),
        ],
        ops: [setProgram(0), setOutput(true, 'test')],
        patch: {
          lastStepAt: 5,
          thresholds: [
            { pulseWidthUs: 300, contacts: '-+000000', posture: 'supine', sensoryUa: null, discomfortUa: null },
          ],
        },
      }),
    );
  });
  it('refuses when an active contact is open or shorted, going to ready', () => {
    expect(
      decideAfterImpedance(data({ phase: 'tuning' }), ['short', 'open', 'open', 1000, 1000, 1000, 1000, 1000], 5),
    ).toEqual(
      refusal(
        'electrodes',
        'search start',
        'impedance check failed: contact 1 short, contact 2 open; choose other contacts',
        'ready',
      ),
    );
  });
  it('starts from the clamped base program', () => {
    expect(decideAfterImpedance(data({}, { rateHz: 100 }), ok, 5)).toEqual(
      accepted('search', {
        notices: [clamp('rate', 100, 60, "generator's rate 100 Hz is outside the clinical window 40–60 Hz")],
        ops: [setProgram(0, { rateHz: 60 }), setOutput(true, 'test')],
        patch: {
          lastStepAt: 5,
          thresholds: [
            { pulseWidthUs: 300, contacts: '-+000000', posture: 'supine', sensoryUa: null, discomfortUa: null },
          ],
        },
      }),
    );
  });
});

describe('mark sensory', () => {
  it('refuses outside a search', () => {
    expect(decideMarkSensory(tuning())).toEqual(
      refusal('threshold', 'sensory', 'thresholds are marked during a threshold search (search start)', 'tuning'),
    );
  });
  it('refuses without a generator', () => {
    expect(decideMarkSensory(data({ phase: 'search', generator: null }))).toEqual(
      refusal('threshold', 'sensory', 'thresholds are marked during a threshold search (search start)', 'search'),
    );
  });
  it('refuses with output off', () => {
    expect(decideMarkSensory(data({ phase: 'search' }, { amplitudeUa: 1500 }))).toEqual(
      refusal('threshold', 'sensory', 'thresholds are marked during a threshold search (search start)', 'search'),
    );
  });
  it('refuses at 0 mA', () => {
    expect(decideMarkSensory(searching(0))).toEqual(
      refusal('threshold', 0, 'amplitude is 0 mA: raise it until the patient first feels paresthesia', 'search'),
    );
  });
  it('marks the amplitude in force, naming the posture', () => {
    expect(decideMarkSensory(searching(1500, { posture: 'walking', thresholds: [] }))).toEqual(
      accepted('search', {
        notices: [info('threshold', 1.5, 1.5, 'sensory threshold marked (walking)')],
        patch: {
          thresholds: [
            { pulseWidthUs: 300, contacts: '-+000000', posture: 'walking', sensoryUa: 1500, discomfortUa: null },
          ],
        },
      }),
    );
  });
  it('re-marking clears a discomfort already marked', () => {
    expect(decideMarkSensory(searching(1500, { thresholds: [record()] }))).toEqual(
      accepted('search', {
        notices: [info('threshold', 1.5, 1.5, 'sensory threshold marked (supine)')],
        patch: {
          thresholds: [
            { pulseWidthUs: 300, contacts: '-+000000', posture: 'supine', sensoryUa: 1500, discomfortUa: null },
          ],
        },
      }),
    );
  });
});

describe('mark discomfort', () => {
  it('refuses outside a search', () => {
    expect(decideMarkDiscomfort(tuning())).toEqual(
      refusal('threshold', 'discomfort', 'thresholds are marked during a threshold search (search start)', 'tuning'),
    );
  });
  it('refuses without limits', () => {
    expect(decideMarkDiscomfort(searching(3000, { limits: null }))).toEqual(
      refusal('threshold', 'discomfort', 'thresholds are marked during a threshold search (search start)', 'search'),
    );
  });
  it('refuses with output off', () => {
    expect(
      decideMarkDiscomfort(
        data({ phase: 'search', thresholds: [record({ discomfortUa: null })] }, { amplitudeUa: 3000 }),
      ),
    ).toEqual(
      refusal('threshold', 'discomfort', 'thresholds are marked during a threshold search (search start)', 'search'),
    );
  });
  it('refuses without a record', () => {
    expect(decideMarkDiscomfort(searching(3000, { thresholds: [] }))).toEqual(
      refusal('threshold', 3, 'mark the sensory threshold first', 'search'),
    );
  });
  it('refuses before sensory is marked', () => {
    expect(decideMarkDiscomfort(searching(3000))).toEqual(
      refusal('threshold', 3, 'mark the sensory threshold first', 'search'),
    );
  });
  it('refuses at the sensory threshold', () => {
    expect(decideMarkDiscomfort(searching(2000, { thresholds: [record({ discomfortUa: null })] }))).toEqual(
      refusal('threshold', 2, 'discomfort must exceed the sensory threshold 2 mA', 'search'),
    );
  });
  it('refuses below the sensory threshold', () => {
    expect(decideMarkDiscomfort(searching(1950, { thresholds: [record({ discomfortUa: null })] }))).toEqual(
      refusal('threshold', 1.95, 'discomfort must exceed the sensory threshold 2 mA', 'search'),
    );
  });
  it('marks discomfort and drops at once to sensory, going to tuning', () => {
    expect(
      decideMarkDiscomfort(
        searching(2050, {
          posture: 'sitting',
          thresholds: [record({ posture: 'sitting', discomfortUa: null })],
          estimate: { estimated: true, pulseWidthUs: 300, sensoryUa: 1800, startUa: 1800 },
        }),
      ),
    ).toEqual(
      accepted('tuning', {
        notices: [
          info('threshold', 2.05, 2.05, 'discomfort threshold marked (sitting)'),
          clamp('amplitude', 2.05, 2, 'discomfort: amplitude dropped at once to the sensory threshold'),
        ],
        ops: [setProgram(2000)],
        patch: {
          thresholds: [
            { pulseWidthUs: 300, contacts: '-+000000', posture: 'sitting', sensoryUa: 2000, discomfortUa: 2050 },
          ],
          estimate: null,
        },
      }),
    );
  });
});
