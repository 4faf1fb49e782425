import { stopRequestedStep } from './machine-steps.js';
import { notice, reject } from './notice.js';
import { withNotices, type SessionContext } from './session-context.js';

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
  return stopRequestedStep(ctx, n, 'OUTPUT_OFF');
}

/**
 * The link went down under a request the generator had not confirmed yet (a change being applied, a
 * ramp, a measurement, a STOP): it is reported as not applied, never as accepted, and nothing of it
 * is re-sent (the generator is re-read when the link returns; a STOP stays held and goes first).
 */
export function unconfirmedStep(ctx: SessionContext): Patch {
  const open = ctx.pending !== null || ctx.ramp !== null || ctx.stopPending;
  if (!open || !ctx.outcome?.accepted) return {};
  const reason = ctx.stopPending
    ? 'STOP not confirmed yet: the link was lost; it goes to the generator first when the link returns'
    : 'not applied: the link was lost before the generator confirmed it; nothing is re-sent, the generator is re-read when the link returns';
  return {
    ...withNotices(ctx, [reject('link', ctx.outcome.intent, reason)], true),
    pending: null,
    ...(ctx.ramp ? { ramp: null } : {}),
  };
}
