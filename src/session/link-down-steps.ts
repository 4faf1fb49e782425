import { LOSS_REASON, lostToReset } from '../link/loss-reasons.js';
import { stopRequestedStep } from './stop-steps.js';
import { heldStopDeliveredNotice, heldStopNotice, linkBackNotice, linkLostNotice } from './link-notices.js';
import { notice, reject } from './notice.js';
import { askedWords } from './notice-words.js';
import { patientWindowOf } from './patient-window.js';
import { dataOf } from './session-data.js';
import { withNotices, type SessionContext } from './session-context.js';
import { offEscalatedStep, offUnderWay } from './off-escalation.js';

type Patch = Partial<SessionContext>;

/**
 * `output off` while the link is down (PROTOCOL.md §10 step 2): held like STOP and sent first, as a
 * STOP before HELLO, when the link returns. Not applied yet, so the request is not `accepted`: the
 * person is told it is held, and the STOP's own confirmation follows on reconnection.
 */
export function heldOutputOffStep(ctx: SessionContext): Patch {
  const n = notice(
    'warn',
    'output',
    'off',
    null,
    'output off held, not applied yet: the link is down; it goes to the generator first (as STOP, before anything else) when the link returns',
  );
  return { ...stopRequestedStep(ctx, n, 'OUTPUT_OFF'), stopHeld: true };
}

/**
 * STOP while the link is down (a generator met before, the link now lost or reconnecting): held and sent
 * first when the link returns (§10 step 2). The line is answered at once, not accepted yet: the person
 * is told it is held, and its confirmation follows as a notice of its own.
 */
export function requestStopStep(ctx: SessionContext): Patch {
  if (ctx.identity === null || ctx.linkStatus === 'connected') return stopRequestedStep(ctx);
  const n = heldStopNotice();
  return {
    ...stopRequestedStep(ctx, n, 'STOP'),
    outcome: { intent: 'STOP', accepted: false, notices: [n] },
    stopHeld: true,
  };
}

/** The generator confirmed output off: a STOP held while the link was down is said delivered. */
export function heldStopDoneStep(ctx: SessionContext): Patch {
  if (!ctx.stopHeld) return {};
  return { stopHeld: false, notices: withNotices({ ...ctx, outcome: null }, [heldStopDeliveredNotice()]).notices };
}

/** The link went down (first sign of it): said once, with the link's reason. */
export function linkLostStep(ctx: SessionContext, reason: string | undefined): Patch {
  if (ctx.linkLostAt !== undefined && ctx.linkLostAt !== null) return {};
  return { linkLostAt: ctx.clock(), notices: withNotices({ ...ctx, outcome: null }, [linkLostNotice(reason)]).notices };
}

/** A handshake after a loss: the link is back, said with how long it was down. */
export function linkBackStep(ctx: SessionContext): Patch {
  if (ctx.linkLostAt === undefined || ctx.linkLostAt === null) return {};
  return {
    linkLostAt: null,
    notices: withNotices({ ...ctx, outcome: null }, [linkBackNotice(ctx.clock() - ctx.linkLostAt)]).notices,
  };
}

/**
 * A reset (EVT boot, or NOT_READY to a write of ours) under a command: whatever of it ran is gone with
 * the reset, the rest is never sent, and output stays off until a person acts again (H9).
 */
export const RESET_UNDER_COMMAND =
  'not completed: the generator was reset (it restarted, or no longer holds this session) while this command was under way; nothing of it is sent again and output is not turned on again by itself: give the command again once the generator has been read';

/**
 * bb4-F12: the generator answered none of the STOP's sends (PROTOCOL.md §3.3: 3 retransmissions, then
 * the link is lost). The STOP stays held and goes first on every reconnection; meanwhile no heartbeat
 * feeds the generator's watchdog, so uncommitted test stimulation it still runs ends by itself.
 */
export const STOP_UNANSWERED =
  "STOP not confirmed: the generator did not answer it; it is sent first again on every reconnection and no heartbeat goes meanwhile, so the generator's watchdog ends uncommitted test stimulation by itself (committed therapy runs on); check the generator and switch its output off by hand";

/**
 * The link went down under a request the generator had not confirmed yet (a change being applied, a
 * ramp, a measurement, a STOP): it is reported as not confirmed, never as accepted (its reply may be
 * what was lost), and nothing of it is re-sent. What it asked for is kept: the state read on
 * reconnection says whether it was applied (reconnect-check.ts); a STOP stays held and goes first, and
 * so does an `output off` the link went down under: it becomes a held STOP (off-escalation.ts, bb5-N3).
 */
export function unconfirmedStep(ctx: SessionContext, lossReason?: string): Patch {
  if (offUnderWay(ctx)) return offEscalatedStep(ctx, lossReason);
  const reset = !ctx.stopPending && lostToReset(lossReason);
  // A ramp the reset's EVT boot already cut (its re-read never came) was under way all the same.
  const open = ctx.pending !== null || ctx.ramp !== null || ctx.stopPending || (reset && !!ctx.rampCut);
  if (!open || !ctx.outcome?.accepted) return {};
  const reason = ctx.stopPending
    ? lossReason === LOSS_REASON.stopUnanswered
      ? STOP_UNANSWERED
      : 'STOP not confirmed yet: the link was lost; it goes to the generator first when the link returns'
    : reset
      ? RESET_UNDER_COMMAND
      : 'not confirmed: the link was lost before the generator confirmed it; nothing is re-sent, the generator is re-read when the link returns and that says whether it was applied';
  const request = { intent: ctx.outcome.intent, ops: ctx.pending?.ops ?? [], ramp: ctx.ramp };
  // bb4-L1: what was asked in the clinician's words, with the amplitude and patient window it concerned.
  const asked = askedWords(request, {
    amplitudeUa: ctx.generator?.amplitudeUa ?? null,
    patientWindow: patientWindowOf(dataOf(ctx)),
  });
  return {
    ...withNotices(ctx, [reject(reset ? 'generator' : 'link', asked, reason)], true),
    // The STOP is held from now on: its confirmation on a later connection is said (bb4-F11/F12).
    ...(ctx.stopPending ? { stopHeld: true } : { unconfirmed: { ...request, asked } }),
    pending: null,
    ...(ctx.ramp ? { ramp: null } : {}),
  };
}
