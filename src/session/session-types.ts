import type { GeneratorState, HardwareLimits, Identity, ImpedanceReading } from '../../protocol/index.js';
import type { Program } from '../link/generator-link.js';
import type { ImpedanceCheck } from './impedance-check.js';
import type { Notice } from './notice.js';
import type { Ramp } from './ramp.js';
import type { ThresholdEstimate } from './weiss-estimate.js';

/** Shared vocabulary of the session: postures, phases, intents, link operations, decisions. */

export const POSTURES = ['supine', 'sitting', 'standing', 'walking'] as const;
export type Posture = (typeof POSTURES)[number];

/** The stable states in which a person's intent is decided. */
export type Phase = 'ready' | 'search' | 'tuning' | 'therapy' | 'blocked';

/** Thresholds belong to the pulse width, electrode configuration and posture they were measured with. */
export interface ThresholdRecord {
  pulseWidthUs: number;
  contacts: string;
  posture: Posture;
  sensoryUa: number | null;
  discomfortUa: number | null;
}

/** What a person (UI key, script line) asks for. `at` is the time of the action (ms), for the dwell. */
export type Intent =
  | { type: 'ELECTRODES'; spec: string | readonly string[]; at?: number }
  | { type: 'POSTURE'; posture: Posture; at?: number }
  | { type: 'RATE'; hz: number; at?: number }
  | { type: 'PULSE_WIDTH'; us: number; at?: number }
  /** One step of the generator's own grid up or down; clamped and decided as RATE / PULSE_WIDTH. */
  | { type: 'RATE_UP'; at?: number }
  | { type: 'RATE_DOWN'; at?: number }
  | { type: 'PULSE_WIDTH_UP'; at?: number }
  | { type: 'PULSE_WIDTH_DOWN'; at?: number }
  | { type: 'SEARCH_START'; at?: number }
  | { type: 'AMPLITUDE_UP'; at?: number }
  | { type: 'AMPLITUDE_DOWN'; at?: number }
  | { type: 'AMPLITUDE_SET'; ma: number; at?: number }
  | { type: 'MARK_SENSORY'; at?: number }
  | { type: 'MARK_DISCOMFORT'; at?: number }
  | { type: 'COMMIT'; at?: number }
  | { type: 'OUTPUT_ON'; at?: number }
  | { type: 'OUTPUT_OFF'; at?: number }
  | { type: 'PATIENT_MODE'; on: boolean; at?: number }
  /** The clinician's range for patient mode (mA), clamped into the measured window. */
  | { type: 'PATIENT_WINDOW'; minMa: number; maxMa: number; at?: number }
  /** Measure impedance with output off, without starting a search. */
  | { type: 'IMPEDANCE_CHECK'; at?: number };

export type IntentType = Intent['type'];
export const INTENT_TYPES: readonly IntentType[] = [
  'ELECTRODES',
  'POSTURE',
  'RATE',
  'PULSE_WIDTH',
  'RATE_UP',
  'RATE_DOWN',
  'PULSE_WIDTH_UP',
  'PULSE_WIDTH_DOWN',
  'SEARCH_START',
  'AMPLITUDE_UP',
  'AMPLITUDE_DOWN',
  'AMPLITUDE_SET',
  'MARK_SENSORY',
  'MARK_DISCOMFORT',
  'COMMIT',
  'OUTPUT_ON',
  'OUTPUT_OFF',
  'PATIENT_MODE',
  'PATIENT_WINDOW',
  'IMPEDANCE_CHECK',
];

/** One request to the generator, run in order by the link actor. */
export type LinkOp =
  | { op: 'setProgram'; program: Program }
  | { op: 'setOutput'; on: boolean; mode: 'test' | 'therapy' }
  | { op: 'readState' };

/** Where the machine goes once the operations succeeded. */
export type NextStep = Phase | 'impedance' | 'impedanceCheck';

/** The part of the session the pure deciders read. */
export interface SessionData {
  phase: Phase;
  limits: HardwareLimits | null;
  /** The generator's state as last read back (never a guess). */
  generator: GeneratorState | null;
  posture: Posture;
  thresholds: ThresholdRecord[];
  estimate: ThresholdEstimate | null;
  patientMode: boolean;
  /** The clinician's window for patient mode (µA, on the grid), null when the measured window applies. */
  patientWindow: { lowUa: number; highUa: number } | null;
  /** When the last search step was taken (ms), for the minimum dwell. */
  lastStepAt: number | null;
  dwellMs: number;
  /**
   * The last impedance check as seen now (marked stale past its age or after an electrode change);
   * it gives each contact's share of the current for the charge-density limit. Absent or null: none.
   */
  impedance?: ImpedanceCheck | null;
}

export interface Decision {
  accepted: boolean;
  notices: Notice[];
  ops: LinkOp[];
  /** Session data to adopt when the decision is taken (before the operations run). */
  patch: DecisionPatch;
  next: NextStep;
  /** H4: a rise of more than one step, sent step by step at a bounded rate after `ops`. */
  ramp?: Ramp;
  /**
   * Said only once the generator has confirmed `ops`, or a ramp's first step when there are none (a fact
   * about the generator is not claimed before its reply).
   */
  confirmed?: Notice[];
  /** Adopted only once the generator has confirmed `ops`: what a program change makes stale (bb5-N1). */
  confirmedPatch?: DecisionPatch;
}

/** Session data a decision changes. */
export type DecisionPatch = Partial<
  Pick<
    SessionData,
    'posture' | 'thresholds' | 'estimate' | 'patientMode' | 'patientWindow' | 'lastStepAt' | 'impedance'
  >
>;

export type { ImpedanceReading, Identity };
