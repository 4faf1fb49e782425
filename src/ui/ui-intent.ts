import type { Posture } from './view-model.js';

/**
 * What a key asks the session to do. Intents carry no computed values: "one step up", never
 * "set 2.35 mA", so the session machine alone does the stimulation arithmetic.
 */
export type UiIntent =
  | { type: 'STOP' }
  | { type: 'AMPLITUDE_UP' }
  | { type: 'AMPLITUDE_DOWN' }
  | { type: 'RATE_UP' }
  | { type: 'RATE_DOWN' }
  | { type: 'PULSE_WIDTH_UP' }
  | { type: 'PULSE_WIDTH_DOWN' }
  /** The clinician's edited configuration, + - 0 per contact, applied as a whole. */
  | { type: 'SET_ELECTRODES'; contacts: string }
  | { type: 'SET_POSTURE'; posture: Posture }
  | { type: 'SEARCH_START' }
  /** Measure every contact's impedance (output goes off first); the result shows in the status lines. */
  | { type: 'IMPEDANCE_CHECK' }
  | { type: 'MARK_SENSORY' }
  | { type: 'MARK_DISCOMFORT' }
  | { type: 'OUTPUT_ON' }
  | { type: 'OUTPUT_OFF' }
  | { type: 'COMMIT' }
  | { type: 'PATIENT_MODE'; on: boolean }
  /** The clinician's patient window as typed (mA); the session clamps it into the measured window. */
  | { type: 'PATIENT_WINDOW'; minMa: number; maxMa: number }
  /** Connect again to the same generator after the link was lost. */
  | { type: 'RECONNECT' }
  /** The person has seen the `!!` screen/generator difference (H10/H17); the generator is not changed. */
  | { type: 'ACKNOWLEDGE_MISMATCH' }
  /** Accept a different generator or protocol version than the session was bound to (H13). */
  | { type: 'REBIND' };

export type IntentType = UiIntent['type'];
