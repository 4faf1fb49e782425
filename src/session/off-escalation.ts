import { lostToReset } from '../link/loss-reasons.js';
import { reject } from './notice.js';
import { askedWords } from './notice-words.js';
import { withNotices, type SessionContext } from './session-context.js';
import { ownWritesInFlight } from './stop-check.js';

type Patch = Partial<SessionContext>;

/**
 * bb5-N3: the line of an `output off` (a person's, or the companion's own after a link loss) the
 * generator never confirmed. It is a STOP now: held, sent first on every reconnection (before HELLO),
 * and no heartbeat goes beside it (PROTOCOL.md §10 step 2, §7), as for an unanswered `stop` (bb4-F12).
 */
export const OFF_UNANSWERED =
  "STOP not confirmed: the generator did not confirm this output off before the link was lost; it is now held as a STOP, sent first on every reconnection, and no heartbeat goes meanwhile, so the generator's watchdog ends uncommitted test stimulation by itself (committed therapy runs on); check the generator and switch its output off by hand";

/**
 * bb5-N4: an `output off` cut by a generator reset. A reset leaves output off (PROTOCOL.md §10), so
 * nothing is to be given again: the STOP held for it confirms output off when the link returns.
 */
export const OFF_CUT_BY_RESET =
  'output off cut by a generator reset, which itself leaves output off: held as a STOP and sent first when the link returns; a later notice says when the generator confirmed output off';

/** Whether the operations under way end output (an `output off`, or one as the first step of a change). */
export function offUnderWay(ctx: Pick<SessionContext, 'pending' | 'stopPending' | 'generator'>): boolean {
  if (ctx.stopPending || ctx.generator?.output === 'off') return false;
  return (ctx.pending?.ops ?? []).some((op) => op.op === 'setOutput' && !op.on);
}

/**
 * The link went down under an `output off` (offUnderWay): escalated to a STOP held in the link (the
 * machine's `holdStop` hands it over), said on the line that asked for it, or on its own when the
 * companion turned output off by itself. Output may still be on: the UI's `!!` line and the end of a
 * script say so until the generator confirms output off.
 */
export function offEscalatedStep(ctx: SessionContext, lossReason: string | undefined): Patch {
  const reset = lostToReset(lossReason);
  // An off alone (a person's `output off`, or the companion's own off after a link loss, run while the
  // previous line's outcome is still the last one) is named as the off itself (bb6-N3: not 'one step up').
  const ops = ctx.pending?.ops ?? [];
  const offAlone = ops.every((op) => op.op === 'setOutput' && !op.on);
  const asked = askedWords({
    intent: offAlone ? 'OUTPUT_OFF' : (ctx.outcome?.intent ?? 'OUTPUT_OFF'),
    ops,
    ramp: null,
  });
  const told = reject(reset ? 'generator' : 'link', asked, reset ? OFF_CUT_BY_RESET : OFF_UNANSWERED);
  const said = ctx.outcome?.accepted ? withNotices(ctx, [told], true) : withNotices({ ...ctx, outcome: null }, [told]);
  return {
    notices: said.notices,
    ...(ctx.outcome?.accepted ? { outcome: said.outcome } : {}),
    stopPending: true,
    stopHeld: true,
    stopOwnWrites: ownWritesInFlight(ctx),
    pending: null,
    ...(ctx.ramp ? { ramp: null } : {}),
  };
}
