import { agedCheck } from './contact-share.js';
import type { SessionContext } from './session-context.js';
import type { SessionData } from './session-types.js';

/** What the deciders read, as of `now`: the impedance check is aged (stale past its limit) here. */
export function dataOf(ctx: SessionContext, now: number = ctx.clock()): SessionData {
  const { phase, limits, generator, posture, thresholds, estimate, patientMode, patientWindow, lastStepAt, dwellMs } =
    ctx;
  return {
    phase,
    limits,
    generator,
    posture,
    thresholds,
    estimate,
    patientMode,
    patientWindow,
    lastStepAt,
    dwellMs,
    impedance: agedCheck(ctx.impedance, now),
  };
}
