import type { GeneratorState } from '../../protocol/index.js';
import { isBound } from './connection-steps.js';
import { externalMismatch, mismatchFromError, reviewMismatch } from './mismatch.js';
import { notice, type Notice } from './notice.js';
import { askedWords } from './notice-words.js';
import { describeProgram } from './program-words.js';
import { CUT_BY, rampCutNotice } from './ramp-cut.js';
import { outsideChangeNotices } from './reconcile.js';
import { withNotices, type SessionContext } from './session-context.js';
import { dataOf } from './session-data.js';
import { ownWritesInFlight, revAfterStop, stopFoundChanged } from './stop-check.js';
import { revsApart } from './unrequested-stop.js';

/** STOP's context steps (H1): requested, confirmed, not confirmed. Beside stop-check.ts. */
type Patch = Partial<SessionContext>;

/** STOP confirmed: the generator's read-back is adopted and the session is ready (or blocked, H13) again. */
export function stoppedStep(ctx: SessionContext, state: GeneratorState): Patch {
  // bb3 F-H3: a change made elsewhere found by the STOP is told and kept (H10/H17), never erased by it.
  const outside = stopFoundChanged(ctx, state);
  // bb5-N5: a ramp the STOP ended says where amplitude stopped (ramp-cut.ts).
  const said = [
    ...(outside ? outsideChangeNotices(dataOf(ctx), ctx.expectedRev!, state) : []),
    ...(ctx.rampStopped != null ? [rampCutNotice({ targetUa: ctx.rampStopped, why: CUT_BY.stop }, state, 'info')] : []),
    ...(!outside && ctx.stopCut && onlyTheStopRan(ctx, state) ? [cutChangeNotice(ctx.stopCut, state)] : []),
  ];
  return {
    ...(said.length ? withNotices(ctx, said) : {}),
    ...(ctx.rampStopped != null ? { rampStopped: null } : {}),
    ...(ctx.stopCut ? { stopCut: null } : {}),
    stopOwnWrites: 0,
    generator: state,
    expectedRev: revAfterStop(ctx, state),
    stopPending: false,
    pending: null,
    lastStepAt: null,
    next: isBound(ctx) ? 'ready' : 'blocked',
    mismatch: outside
      ? externalMismatch(ctx.mismatch, ctx.generator, state, ctx.clock())
      : reviewMismatch(ctx.mismatch, state),
  };
}

/**
 * bb6-N7 (README: a change a STOP cut ends "not executed"): the STOP's reply moved `rev` by the STOP's own
 * step only (+1 if output was on, +0 if off), so the change under way when it was pressed never ran.
 */
function onlyTheStopRan(ctx: SessionContext, state: GeneratorState): boolean {
  if (ctx.expectedRev === null) return false;
  return revsApart(ctx.expectedRev, state.programRev) === (ctx.generator?.output === 'off' ? 0 : 1);
}

function cutChangeNotice(words: string, state: GeneratorState): Notice {
  const now = describeProgram(state);
  // A warning, so the UI's status line keeps it; the STOP itself stays accepted.
  return notice(
    'warn',
    'output',
    words,
    null,
    `${words} not executed: the STOP came before the generator ran it; now ${now}`,
  );
}

/** A change (not a ramp, told by its own notice; not an off, which the STOP does) under way, in words. */
function changeUnderWay(ctx: SessionContext): string | null {
  const ops = ctx.pending?.ops ?? [];
  const changes = ops.some((op) => op.op === 'setProgram' || (op.op === 'setOutput' && op.on));
  if (!changes || ctx.ramp || !ctx.outcome) return null;
  return askedWords({ intent: ctx.outcome.intent, ops, ramp: null });
}

/** STOP (or a request held as one, e.g. `output off` while the link is down: not accepted until confirmed). */
export function stopRequestedStep(
  ctx: SessionContext,
  told: Notice = notice('info', 'output', 'stop', 'off', 'STOP: output off before anything else'),
  intent = 'STOP',
): Patch {
  const cut = changeUnderWay(ctx);
  return {
    stopPending: true,
    stopOwnWrites: ownWritesInFlight(ctx),
    ...(cut || ctx.stopCut ? { stopCut: cut } : {}),
    pending: null,
    ...(ctx.ramp ? { ramp: null, rampStopped: ctx.ramp.targetUa } : {}),
    outcome: { intent, accepted: intent === 'STOP', notices: [told] },
    notices: withNotices({ ...ctx, outcome: null }, [told]).notices,
  };
}

/** H1: STOP not confirmed: said, and sent first again when the link returns. */
export function stopFailedStep(ctx: SessionContext, error: unknown): Patch {
  const told = notice(
    'warn',
    'link',
    'stop',
    null,
    `STOP not confirmed (${error instanceof Error ? error.message : String(error)}): it is sent first when the link returns; the generator's watchdog stops test stimulation by itself`,
  );
  return {
    ...withNotices(ctx, [told]),
    mismatch: mismatchFromError(ctx.mismatch, error, ctx.clock()),
    ...(ctx.rampStopped != null ? { rampStopped: null } : {}),
  };
}
