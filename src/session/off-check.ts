import type { GeneratorState } from '../../protocol/index.js';
import { explainedBy } from './reconnect-check.js';
import type { SessionContext } from './session-context.js';

/**
 * PROTOCOL.md §4.4, §4.5, §3.4 (bb3 F-H1): the state after the companion's own `output off` or STOP is
 * explained when `rev` moved by exactly what turning output off explains since the companion's last
 * read (+1 if output was on, +0 if it was off; a watchdog stop in between is that same one change) and
 * the program is the one the companion left. Otherwise another controller changed the generator just
 * before the off (an off is never refused for `rev`): the off stands confirmed, but the state found is a
 * change made outside the companion (H17). The same comparison as a request settled on reconnection.
 */
export function offExplained(before: GeneratorState, expectedRev: number, state: GeneratorState): boolean {
  const off: GeneratorState = { ...before, output: 'off', mode: 'none', committed: false };
  return explainedBy(off, expectedRev, before.output === 'on' ? 1 : 0, state);
}

/**
 * bb4-F10 (H17/H10): the ACK of our own `output off` that begins a longer command (electrodes, pulse
 * width or rate while output is on) shows a state the off does not explain. The rest of the command was
 * computed from the old program, so it is not sent (it would overwrite the change); the command stops
 * here, output off, and the generator is re-read and the change shown as found.
 */
export class OutsideChangeError extends Error {
  override name = 'OutsideChangeError';
  constructor(
    readonly expectedRev: number,
    readonly found: GeneratorState,
  ) {
    super(
      `not completed: the generator's program was changed outside the companion just before this command ` +
        `(rev ${expectedRev} → ${found.programRev}); output was turned off, the rest of the command, ` +
        `computed from the old program, was not sent`,
    );
  }
}

/** The state and revision a run of operations starts from (the session's last adopted read). */
export interface OpsBase {
  state: GeneratorState;
  rev: number;
}

/**
 * Throws OutsideChangeError when `ack`, the reply to our own `output off` with more writes of the same
 * command still to send, is not explained by that off from `base`. Returns the base of the next op.
 */
export function checkOffBeforeRest(base: OpsBase | null, off: boolean, more: boolean, ack: GeneratorState): OpsBase {
  if (base && off && more && !offExplained(base.state, base.rev, ack)) throw new OutsideChangeError(base.rev, ack);
  return { state: ack, rev: ack.programRev };
}

/** The base a run of operations starts from: the last state the session adopted and its revision. */
export function opsBase(ctx: Pick<SessionContext, 'generator' | 'expectedRev'>): OpsBase | null {
  return ctx.generator && ctx.expectedRev !== null ? { state: ctx.generator, rev: ctx.expectedRev } : null;
}
