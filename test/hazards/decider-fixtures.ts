import type { GeneratorState } from '../../protocol/index.js';
import type { Mismatch } from '../../src/session/mismatch.js';
import type { SessionData, ThresholdRecord } from '../../src/session/session-types.js';
import { defaultLimits } from '../session/arbitraries.js';

/**
 * Hand-made session data for the pure deciders (core-decide-*.test.ts): the default simulator's
 * limits (amplitude 0–25.5 mA in 0.05 mA steps, 8 contacts), a generator at 50 Hz, 300 µs, '-+000000'.
 */

export const limits = defaultLimits;
export const CONTACTS = '-+000000';

export function gen(over: Partial<GeneratorState> = {}): GeneratorState {
  return {
    output: 'off',
    mode: 'test',
    rateHz: 50,
    pulseWidthUs: 300,
    amplitudeUa: 0,
    contacts: CONTACTS,
    batteryPct: 80,
    faults: [],
    committed: false,
    programRev: 7,
    ...over,
  };
}

/** Thresholds measured for the generator's default program (2 mA sensory, 4 mA discomfort). */
export function record(over: Partial<ThresholdRecord> = {}): ThresholdRecord {
  return { pulseWidthUs: 300, contacts: CONTACTS, posture: 'supine', sensoryUa: 2000, discomfortUa: 4000, ...over };
}

export function data(over: Partial<SessionData> = {}, g: Partial<GeneratorState> = {}): SessionData {
  return {
    phase: 'ready',
    limits,
    generator: gen(g),
    posture: 'supine',
    thresholds: [],
    estimate: null,
    patientMode: false,
    patientWindow: null,
    lastStepAt: null,
    dwellMs: 500,
    ...over,
  };
}

/** Stimulating in test mode inside a measured window. */
export const tuning = (g: Partial<GeneratorState> = {}, over: Partial<SessionData> = {}): SessionData =>
  data({ phase: 'tuning', thresholds: [record()], ...over }, { output: 'on', amplitudeUa: 3000, ...g });

/** A change made elsewhere (3.5 mA found where 3 mA was expected), kept since t = 100 ms (H10/H17). */
export const mismatch: Mismatch = {
  kind: 'external',
  expected: { amplitudeUa: 3000 },
  reported: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 3500, contacts: '-+000000', output: 'on', mode: 'test' },
  fields: ['amplitudeUa'],
  since: 100,
};
