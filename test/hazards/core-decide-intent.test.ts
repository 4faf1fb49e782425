import { describe, expect, it } from 'vitest';
import { decideAmplitude } from '../../src/session/decide-amplitude.js';
import { decideIntent, requestedOf } from '../../src/session/decide-intent.js';
import { decideCommit, decideOutputOff, decideOutputOn, decidePatientMode } from '../../src/session/decide-output.js';
import {
  decideElectrodes,
  decidePosture,
  decidePulseWidth,
  decidePulseWidthStep,
  decideRate,
  decideRateStep,
} from '../../src/session/decide-program.js';
import {
  decideImpedanceCheck,
  decideMarkDiscomfort,
  decideMarkSensory,
  decideSearchStart,
} from '../../src/session/decide-search.js';
import { decidePatientWindow } from '../../src/session/patient-window.js';
import { INTENT_TYPES, type Intent, type SessionData } from '../../src/session/session-types.js';
import { data, record, tuning } from './decider-fixtures.js';

/**
 * decideIntent on its own: the H13 block and patient mode gate every intent with the right field and
 * requested value, and each intent reaches its own decider with its own arguments. Written to kill the
 * surviving mutants of src/session/decide-intent.ts (docs/mutation/summary.md).
 */

/** One intent of every type, with the field its refusal names and the requested value it shows. */
const ALL: { intent: Intent; field: string; requested: number | string }[] = [
  { intent: { type: 'ELECTRODES', spec: '+-000000' }, field: 'electrodes', requested: '+-000000' },
  { intent: { type: 'POSTURE', posture: 'sitting' }, field: 'posture', requested: 'sitting' },
  { intent: { type: 'RATE', hz: 55 }, field: 'rate', requested: 55 },
  { intent: { type: 'PULSE_WIDTH', us: 400 }, field: 'pulseWidth', requested: 400 },
  { intent: { type: 'RATE_UP' }, field: 'rate', requested: 'one step up' },
  { intent: { type: 'RATE_DOWN' }, field: 'rate', requested: 'one step down' },
  { intent: { type: 'PULSE_WIDTH_UP' }, field: 'pulseWidth', requested: 'one step up' },
  { intent: { type: 'PULSE_WIDTH_DOWN' }, field: 'pulseWidth', requested: 'one step down' },
  { intent: { type: 'SEARCH_START' }, field: 'session', requested: 'threshold search' },
  { intent: { type: 'AMPLITUDE_UP' }, field: 'amplitude', requested: 'one step up' },
  { intent: { type: 'AMPLITUDE_DOWN' }, field: 'amplitude', requested: 'one step down' },
  { intent: { type: 'AMPLITUDE_SET', ma: 3.5 }, field: 'amplitude', requested: 3.5 },
  { intent: { type: 'MARK_SENSORY' }, field: 'threshold', requested: 'mark sensory' },
  { intent: { type: 'MARK_DISCOMFORT' }, field: 'threshold', requested: 'mark discomfort' },
  { intent: { type: 'COMMIT' }, field: 'mode', requested: 'commit' },
  { intent: { type: 'OUTPUT_ON' }, field: 'output', requested: 'on' },
  { intent: { type: 'OUTPUT_OFF' }, field: 'output', requested: 'off' },
  { intent: { type: 'PATIENT_MODE', on: true }, field: 'session', requested: 'patient mode on' },
  { intent: { type: 'PATIENT_WINDOW', minMa: 2.5, maxMa: 3.5 }, field: 'patientWindow', requested: '2.5–3.5 mA' },
  { intent: { type: 'IMPEDANCE_CHECK' }, field: 'electrodes', requested: 'impedance check' },
];

const refusal = (d: SessionData, field: string, requested: number | string, reason: string) => ({
  accepted: false,
  notices: [{ kind: 'reject', field, requested, applied: null, reason }],
  ops: [],
  patch: {},
  next: d.phase,
});

const BLOCKED =
  'this generator is not the one the session is bound to (serial or protocol differs): re-bind explicitly first';
const PATIENT = 'patient mode allows amplitude changes inside the window only';

describe('requestedOf', () => {
  it('covers every intent type', () => {
    expect(ALL.map((a) => a.intent.type)).toEqual(INTENT_TYPES);
  });
  it.each(ALL)('shows $intent.type as $requested', ({ intent, requested }) => {
    expect(requestedOf(intent)).toBe(requested);
  });
  it('shows electrode tokens joined by spaces and patient mode off in words', () => {
    expect(requestedOf({ type: 'ELECTRODES', spec: ['1-', '2+'] })).toBe('1- 2+');
    expect(requestedOf({ type: 'PATIENT_MODE', on: false })).toBe('patient mode off');
  });
});

describe('blocked on an unbound generator (H13)', () => {
  const blocked = data({ phase: 'blocked', thresholds: [record()] }, { output: 'on', amplitudeUa: 3000 });
  const allowed = new Set(['OUTPUT_OFF', 'PATIENT_MODE']);
  it.each(ALL.filter((a) => !allowed.has(a.intent.type)))(
    'refuses $intent.type naming its field',
    ({ intent, field, requested }) => {
      expect(decideIntent(blocked, intent, 0)).toEqual(refusal(blocked, field, requested, BLOCKED));
    },
  );
  it('still turns output off and leaves patient mode', () => {
    expect(decideIntent(blocked, { type: 'OUTPUT_OFF' }, 0)).toEqual(decideOutputOff(blocked));
    expect(decideIntent(blocked, { type: 'OUTPUT_OFF' }, 0).accepted).toBe(true);
    expect(decideIntent(blocked, { type: 'PATIENT_MODE', on: false }, 0)).toEqual(decidePatientMode(blocked, false));
    expect(decideIntent(blocked, { type: 'PATIENT_MODE', on: false }, 0).accepted).toBe(true);
  });
});

describe('patient mode', () => {
  const patient = tuning({}, { patientMode: true });
  const allowed = new Set(['AMPLITUDE_UP', 'AMPLITUDE_DOWN', 'AMPLITUDE_SET', 'OUTPUT_OFF', 'PATIENT_MODE']);
  it.each(ALL.filter((a) => !allowed.has(a.intent.type)))(
    'refuses $intent.type naming its field',
    ({ intent, field, requested }) => {
      expect(decideIntent(patient, intent, 0)).toEqual(refusal(patient, field, requested, PATIENT));
    },
  );
  it('lets amplitude, output off and leaving patient mode through', () => {
    for (const intent of ALL.filter((a) => allowed.has(a.intent.type)).map((a) => a.intent)) {
      expect(decideIntent(patient, intent, 0).accepted, intent.type).toBe(true);
    }
  });
  it('checks the block before patient mode', () => {
    const both = { ...patient, phase: 'blocked' as const };
    expect(decideIntent(both, { type: 'RATE', hz: 55 }, 0)).toEqual(refusal(both, 'rate', 55, BLOCKED));
  });
});

describe('each intent reaches its own decider', () => {
  const cases: [string, SessionData][] = [
    ['ready', data({ thresholds: [record()] })],
    ['tuning', tuning()],
    [
      'search',
      data(
        { phase: 'search', lastStepAt: 0, thresholds: [record({ discomfortUa: null })] },
        { output: 'on', amplitudeUa: 2500 },
      ),
    ],
  ];
  const now = 10_000;
  const direct = (d: SessionData, i: Intent) => {
    switch (i.type) {
      case 'ELECTRODES':
        return decideElectrodes(d, i.spec);
      case 'POSTURE':
        return decidePosture(d, i.posture);
      case 'RATE':
        return decideRate(d, i.hz);
      case 'PULSE_WIDTH':
        return decidePulseWidth(d, i.us);
      case 'RATE_UP':
        return decideRateStep(d, 1);
      case 'RATE_DOWN':
        return decideRateStep(d, -1);
      case 'PULSE_WIDTH_UP':
        return decidePulseWidthStep(d, 1);
      case 'PULSE_WIDTH_DOWN':
        return decidePulseWidthStep(d, -1);
      case 'SEARCH_START':
        return decideSearchStart(d);
      case 'AMPLITUDE_UP':
        return decideAmplitude(d, { kind: 'up' }, now);
      case 'AMPLITUDE_DOWN':
        return decideAmplitude(d, { kind: 'down' }, now);
      case 'AMPLITUDE_SET':
        return decideAmplitude(d, { kind: 'set', ma: i.ma }, now);
      case 'MARK_SENSORY':
        return decideMarkSensory(d);
      case 'MARK_DISCOMFORT':
        return decideMarkDiscomfort(d);
      case 'COMMIT':
        return decideCommit(d);
      case 'OUTPUT_ON':
        return decideOutputOn(d);
      case 'OUTPUT_OFF':
        return decideOutputOff(d);
      case 'PATIENT_MODE':
        return decidePatientMode(d, i.on);
      case 'PATIENT_WINDOW':
        return decidePatientWindow(d, i.minMa, i.maxMa);
      case 'IMPEDANCE_CHECK':
        return decideImpedanceCheck(d);
    }
  };
  for (const [phase, d] of cases) {
    it.each(ALL)(`${phase}: $intent.type`, ({ intent }) => {
      expect(decideIntent(d, intent, now)).toEqual(direct(d, intent));
    });
  }
  it('up and down are told apart (the steps differ)', () => {
    const d = tuning();
    expect(decideIntent(d, { type: 'RATE_UP' }, 0).ops).not.toEqual(decideIntent(d, { type: 'RATE_DOWN' }, 0).ops);
    expect(decideIntent(d, { type: 'PULSE_WIDTH_UP' }, 0).ops).not.toEqual(
      decideIntent(d, { type: 'PULSE_WIDTH_DOWN' }, 0).ops,
    );
    expect(decideIntent(d, { type: 'AMPLITUDE_UP' }, 0).ops).not.toEqual(
      decideIntent(d, { type: 'AMPLITUDE_DOWN' }, 0).ops,
    );
  });
  it('passes the time of the action to the search dwell', () => {
    const d = data({ phase: 'search', lastStepAt: 1000, dwellMs: 500 }, { output: 'on', amplitudeUa: 1000 });
    expect(decideIntent(d, { type: 'AMPLITUDE_UP' }, 1499).accepted).toBe(false);
    expect(decideIntent(d, { type: 'AMPLITUDE_UP' }, 1500).patch).toEqual({ lastStepAt: 1500 });
  });
});
