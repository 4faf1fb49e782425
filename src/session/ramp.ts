import type { Program } from '../link/generator-link.js';
import type { Notice } from './notice.js';

/**
 * H4 (no jumps): amplitude rises at a bounded rate. Any rise of more than one generator step (entering
 * the window from below, `amp set` upwards) is sent as a ramp: one step at a time, a pause between
 * steps so the rise never exceeds the rate, STOP-able between any two steps. Falls go at once (the
 * safe direction).
 */

/** The default ramp rate: 1 mA per second. */
export const DEFAULT_RAMP_MA_PER_S = 1;
/** No setting can make a ramp faster than this. */
export const MAX_RAMP_MA_PER_S = 2;

export interface Ramp {
  /** The program sent at every step, amplitude aside (rate, pulse width, contacts as read back). */
  program: Program;
  fromUa: number;
  targetUa: number;
  /** One generator step (µA). */
  stepUa: number;
  /** Pause before each step (ms): stepUa / rate. */
  pauseMs: number;
  maPerS: number;
  /** What its decision claims (the plan), said once the generator confirmed the first step (bb4-F6). */
  confirmed?: Notice[];
}

/** The pause before each step of `stepUa` so that the rise stays at `maPerS` (1 mA/s = 1 µA/ms). */
export function rampPauseMs(stepUa: number, maPerS: number): number {
  return Math.ceil(stepUa / Math.min(maPerS, MAX_RAMP_MA_PER_S));
}

/** A rise from `fromUa` to `targetUa`: null when it is at most one step (sent at once). */
export function planRamp(
  program: Program,
  fromUa: number,
  targetUa: number,
  stepUa: number,
  maPerS: number,
): Ramp | null {
  if (targetUa - fromUa <= stepUa) return null;
  return {
    program,
    fromUa,
    targetUa,
    stepUa,
    pauseMs: rampPauseMs(stepUa, maPerS),
    maPerS: Math.min(maPerS, MAX_RAMP_MA_PER_S),
  };
}

/** The amplitude of the next step from `nowUa` (never past the target). */
export function nextRampUa(ramp: Ramp, nowUa: number): number {
  return Math.min(ramp.targetUa, nowUa + ramp.stepUa);
}
