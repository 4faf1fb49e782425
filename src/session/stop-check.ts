import type { GeneratorState } from '../../protocol/index.js';
import { changedOutside } from './reconcile.js';
import type { SessionContext } from './session-context.js';
import { REV_SPAN, revsApart } from './unrequested-stop.js';

/** How many writes of ours may land before a STOP pressed now: the ops under way and a ramp's step. */
export function ownWritesInFlight(ctx: Pick<SessionContext, 'pending' | 'ramp' | 'stopOwnWrites'>): number {
  const writes = (ctx.pending?.ops ?? []).filter((op) => op.op === 'setProgram' || op.op === 'setOutput').length;
  return Math.max(ctx.stopOwnWrites ?? 0, writes + (ctx.ramp ? 1 : 0));
}

/**
 * bb3 F-H3 (H10/H17): the state a STOP leaves, compared with the last one the session adopted. A STOP
 * explains one `rev` step (output off) and each write of ours that was under way may explain one more;
 * a program found changed beyond that was changed elsewhere, also when the re-read that would have
 * told it was cut short by the STOP itself. STOP never waits for this: it only decides what is said after.
 */
export function stopFoundChanged(
  ctx: Pick<SessionContext, 'generator' | 'expectedRev' | 'stopOwnWrites'>,
  state: GeneratorState,
): boolean {
  const before = ctx.generator;
  if (!before || ctx.expectedRev === null || !changedOutside(before, state)) return false;
  return revsApart(ctx.expectedRev, state.programRev) > stopExplains(ctx);
}

/**
 * The `rev` steps a confirmed STOP explains since the session's last read (PROTOCOL.md §4.5): +1 if
 * output was on, +0 if it was already off (bb4-F1: a change landing just before a STOP with output off
 * is one step the STOP does not explain), and one per write of ours under way.
 */
function stopExplains(ctx: Pick<SessionContext, 'generator' | 'stopOwnWrites'>): number {
  return (ctx.generator?.output === 'off' ? 0 : 1) + (ctx.stopOwnWrites ?? 0);
}

/**
 * The `rev` the session expects once a STOP is confirmed. When the reply's `rev` went further than the
 * STOP and our writes under way explain, but the state shown cannot say what changed (the link had only
 * the short ACK: the last read with output off), the explained `rev` is kept, so the STATE re-read that
 * follows the STOP is compared against it and tells the change made elsewhere (bb3 F-H1, stop case).
 */
export function revAfterStop(
  ctx: Pick<SessionContext, 'generator' | 'expectedRev' | 'stopOwnWrites'>,
  state: GeneratorState,
): number {
  if (ctx.expectedRev === null || stopFoundChanged(ctx, state)) return state.programRev;
  const explained = stopExplains(ctx);
  if (revsApart(ctx.expectedRev, state.programRev) <= explained) return state.programRev;
  return (ctx.expectedRev + explained) % REV_SPAN;
}
