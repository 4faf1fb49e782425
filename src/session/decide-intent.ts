import { decideAmplitude } from './decide-amplitude.js';
import { decideCommit, decideOutputOff, decideOutputOn, decidePatientMode } from './decide-output.js';
import {
  decideElectrodes,
  decidePosture,
  decidePulseWidth,
  decidePulseWidthStep,
  decideRate,
  decideRateStep,
} from './decide-program.js';
import { decidePatientWindow } from './patient-window.js';
import { decideImpedanceCheck, decideMarkDiscomfort, decideMarkSensory, decideSearchStart } from './decide-search.js';
import { refuse } from './decision.js';
import type { NoticeField } from './notice.js';
import { INTENT_WORDS } from './notice-words.js';
import type { Decision, Intent, SessionData } from './session-types.js';

/**
 * The whole clinical decision for one intent, without I/O: what to send, what to tell the person,
 * what to remember. The machine runs the operations; this function is where the rules live.
 */

/** What a patient may do: amplitude inside the window, output off, leave patient mode. */
const PATIENT_ALLOWED = new Set<Intent['type']>([
  'AMPLITUDE_UP',
  'AMPLITUDE_DOWN',
  'AMPLITUDE_SET',
  'OUTPUT_OFF',
  'PATIENT_MODE',
]);
/** What stays possible on a generator the session is not bound to (H13): only turning things off. */
const BLOCKED_ALLOWED = new Set<Intent['type']>(['OUTPUT_OFF', 'PATIENT_MODE']);

/** The notice field each intent's refusal names. */
export const INTENT_FIELD: Record<Intent['type'], NoticeField> = {
  ELECTRODES: 'electrodes',
  POSTURE: 'posture',
  RATE: 'rate',
  PULSE_WIDTH: 'pulseWidth',
  RATE_UP: 'rate',
  RATE_DOWN: 'rate',
  PULSE_WIDTH_UP: 'pulseWidth',
  PULSE_WIDTH_DOWN: 'pulseWidth',
  SEARCH_START: 'session',
  AMPLITUDE_UP: 'amplitude',
  AMPLITUDE_DOWN: 'amplitude',
  AMPLITUDE_SET: 'amplitude',
  MARK_SENSORY: 'threshold',
  MARK_DISCOMFORT: 'threshold',
  COMMIT: 'mode',
  OUTPUT_ON: 'output',
  OUTPUT_OFF: 'output',
  PATIENT_MODE: 'session',
  PATIENT_WINDOW: 'patientWindow',
  IMPEDANCE_CHECK: 'electrodes',
};

/** What the person asked for, in their units, for a refusal notice. */
export function requestedOf(intent: Intent): number | string {
  switch (intent.type) {
    case 'RATE':
      return intent.hz;
    case 'PULSE_WIDTH':
      return intent.us;
    case 'AMPLITUDE_SET':
      return intent.ma;
    case 'POSTURE':
      return intent.posture;
    case 'ELECTRODES':
      return typeof intent.spec === 'string' ? intent.spec : intent.spec.join(' ');
    case 'PATIENT_MODE':
      return intent.on ? 'patient mode on' : 'patient mode off';
    case 'PATIENT_WINDOW':
      return `${intent.minMa}–${intent.maxMa} mA`;
    default:
      return INTENT_WORDS[intent.type];
  }
}

export function decideIntent(data: SessionData, intent: Intent, now: number): Decision {
  const field = INTENT_FIELD[intent.type];
  if (data.phase === 'blocked' && !BLOCKED_ALLOWED.has(intent.type)) {
    return refuse(
      data,
      field,
      requestedOf(intent),
      'this generator is not the one the session is bound to (serial or protocol differs): re-bind explicitly first',
    );
  }
  if (data.patientMode && !PATIENT_ALLOWED.has(intent.type)) {
    return refuse(data, field, requestedOf(intent), 'patient mode allows amplitude changes inside the window only');
  }
  switch (intent.type) {
    case 'ELECTRODES':
      return decideElectrodes(data, intent.spec);
    case 'POSTURE':
      return decidePosture(data, intent.posture);
    case 'RATE':
      return decideRate(data, intent.hz);
    case 'PULSE_WIDTH':
      return decidePulseWidth(data, intent.us);
    case 'RATE_UP':
    case 'RATE_DOWN':
      return decideRateStep(data, intent.type === 'RATE_UP' ? 1 : -1);
    case 'PULSE_WIDTH_UP':
    case 'PULSE_WIDTH_DOWN':
      return decidePulseWidthStep(data, intent.type === 'PULSE_WIDTH_UP' ? 1 : -1);
    case 'SEARCH_START':
      return decideSearchStart(data);
    case 'AMPLITUDE_UP':
      return decideAmplitude(data, { kind: 'up' }, now);
    case 'AMPLITUDE_DOWN':
      return decideAmplitude(data, { kind: 'down' }, now);
    case 'AMPLITUDE_SET':
      return decideAmplitude(data, { kind: 'set', ma: intent.ma }, now);
    case 'MARK_SENSORY':
      return decideMarkSensory(data);
    case 'MARK_DISCOMFORT':
      return decideMarkDiscomfort(data);
    case 'COMMIT':
      return decideCommit(data);
    case 'OUTPUT_ON':
      return decideOutputOn(data);
    case 'OUTPUT_OFF':
      return decideOutputOff(data);
    case 'PATIENT_MODE':
      return decidePatientMode(data, intent.on);
    case 'PATIENT_WINDOW':
      return decidePatientWindow(data, intent.minMa, intent.maxMa);
    case 'IMPEDANCE_CHECK':
      return decideImpedanceCheck(data);
  }
}
