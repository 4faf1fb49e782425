import type { HardwareLimits } from '../../protocol/index.js';

/** Largest step one keypress may take during threshold search (docs/CLINICAL-RULES.md: up to 0.1 mA). */
export const MAX_SEARCH_STEP_UA = 100;

/** Minimum time between two search steps unless the settings say otherwise. */
export const DEFAULT_SEARCH_DWELL_MS = 1000;

/**
 * Against a real generator (a serial port) the dwell is never shorter than this: a person needs that
 * long to feel a step. Only the built-in simulator (engineers' scripts) may go lower, down to 0.
 */
export const MIN_SERIAL_DWELL_MS = 500;

/**
 * The search step: the generator's own step when it is at most 0.1 mA. A coarser generator offers no
 * step that is both on its grid and ≤ 0.1 mA, so search is refused there (null).
 */
export function searchStepUa(limits: HardwareLimits): number | null {
  return limits.amplitudeUa.step <= MAX_SEARCH_STEP_UA ? limits.amplitudeUa.step : null;
}
