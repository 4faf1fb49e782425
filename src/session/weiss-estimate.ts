import type { HardwareLimits } from '../../protocol/index.js';
import { floorToGrid } from './step-grid.js';

/** Strength–duration for SCS (Yearwood 2010; docs/CLINICAL-RULES.md): chronaxie ≈ 295 µs. */
export const CHRONAXIE_US = 295;

/**
 * Weiss law I(PW) = Irh·(1 + C/PW): a threshold measured at pw1 estimated at pw2.
 * An estimate, never a measured threshold.
 */
export function weissThresholdUa(
  thresholdUa: number,
  fromPulseWidthUs: number,
  toPulseWidthUs: number,
  chronaxieUs = CHRONAXIE_US,
): number {
  return (thresholdUa * (1 + chronaxieUs / toPulseWidthUs)) / (1 + chronaxieUs / fromPulseWidthUs);
}

export interface ThresholdEstimate {
  estimated: true;
  pulseWidthUs: number;
  /** The Weiss-law sensory threshold at the new width (µA, not rounded). */
  sensoryUa: number;
  /** A starting amplitude on the generator's grid at or below that estimate. */
  startUa: number;
}

/** The starting amplitude offered after a pulse-width change: on the grid, at or below the estimate. */
export function estimateStart(
  sensoryUa: number,
  fromPulseWidthUs: number,
  toPulseWidthUs: number,
  limits: HardwareLimits,
): ThresholdEstimate {
  const est = weissThresholdUa(sensoryUa, fromPulseWidthUs, toPulseWidthUs);
  const startUa = floorToGrid(Math.floor(est), limits.amplitudeUa) ?? limits.amplitudeUa.min;
  return { estimated: true, pulseWidthUs: toPulseWidthUs, sensoryUa: est, startUa };
}
