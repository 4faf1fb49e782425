import type { GeneratorState } from '../../protocol/index.js';
import { isBound } from './connection-steps.js';
import { describeContacts } from './electrodes.js';
import { notice, type Notice } from './notice.js';
import { withNotices, type SessionContext } from './session-context.js';
import type { SessionData, ThresholdRecord } from './session-types.js';

/** The part of the generator's program that measured thresholds belong to (with the posture). */
export type MeasuredOn = Pick<GeneratorState, 'pulseWidthUs' | 'contacts'>;

const sameProgram = (r: MeasuredOn, p: MeasuredOn) => r.pulseWidthUs === p.pulseWidthUs && r.contacts === p.contacts;

/** What the session keeps once the generator has confirmed `program`, and what it dropped. */
export interface ThresholdsFollowing {
  patch: Partial<Pick<SessionData, 'thresholds' | 'estimate' | 'patientWindow'>>;
  dropped: ThresholdRecord[];
}

/**
 * Thresholds belong to the pulse width and electrodes they were measured on: given the program the
 * generator CONFIRMED (a read-back or ACK, never a request), those measured on another program are
 * dropped, with the patient window drawn inside them and an estimate made for another width. A change
 * that was not made (refused, not completed, link lost before it) confirms the old program, so the
 * measured window of the program that still runs is kept (bb5-N1).
 */
export function thresholdsFollowing(
  data: Pick<SessionData, 'thresholds' | 'estimate' | 'patientWindow'>,
  program: MeasuredOn,
): ThresholdsFollowing {
  const dropped = data.thresholds.filter((r) => !sameProgram(r, program));
  const staleEstimate = data.estimate !== null && data.estimate.pulseWidthUs !== program.pulseWidthUs;
  return {
    patch: {
      ...(dropped.length
        ? { thresholds: data.thresholds.filter((r) => sameProgram(r, program)), patientWindow: null }
        : {}),
      ...(staleEstimate ? { estimate: null } : {}),
    },
    dropped,
  };
}

/**
 * The words for thresholds dropped because the generator now runs another pulse width or electrodes
 * than they were measured on, when no command of the companion's own said so (a change made with the
 * patient's remote, or one whose reply was lost and found applied on reconnection).
 */
export function thresholdsDroppedNotice(dropped: readonly ThresholdRecord[], program: MeasuredOn): Notice | null {
  const old = dropped[0];
  if (!old) return null;
  return notice(
    'warn',
    'threshold',
    null,
    null,
    `measured thresholds discarded: they were measured at ${old.pulseWidthUs} µs on ${describeContacts(old.contacts)} ` +
      `and the generator now runs ${program.pulseWidthUs} µs on ${describeContacts(program.contacts)}; measure again (search start) before using a window`,
  );
}

/**
 * `patch` (a step that adopts the generator's reply) with the thresholds following the program it
 * adopts: those measured on another pulse width or electrodes are dropped and said so (a change made
 * with the patient's remote, found by a re-read or a STOP's reply; bb5 nit). The companion's own
 * confirmed change has dropped them already in appliedStep, in its own words.
 */
export function followed(ctx: SessionContext, patch: Partial<SessionContext>): Partial<SessionContext> {
  const after = { ...ctx, ...patch };
  // Another generator than the bound one (H13) says nothing about the bound one's thresholds.
  if (!after.generator || !isBound(after)) return patch;
  const follow = thresholdsFollowing(after, after.generator);
  const told = thresholdsDroppedNotice(follow.dropped, after.generator);
  return { ...patch, ...follow.patch, ...(told ? withNotices(after, [told]) : {}) };
}
