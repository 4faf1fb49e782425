import type { GeneratorState } from '../../protocol/index.js';
import { TOLD_EVENTS_KEPT, type ToldEvent } from './event-news.js';
import { notice, type Notice } from './notice.js';
import { describeProgram } from './program-words.js';
import type { SyncReason } from './reconcile.js';
import type { SessionContext } from './session-context.js';

/** The told-event key of a stop found in the state (its EVT, if it comes later, is a copy of it). */
export const STOP_FOUND_KEY = 'stop-found';

/** The state revision counts on 9 wire digits and wraps (PROTOCOL.md §3.4). */
export const REV_SPAN = 1_000_000_000;

/** How far the revision moved from `a` to `b` (forward, across the wrap); unknown counts as far. */
export function revsApart(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : Infinity;
  return (((b - a) % REV_SPAN) + REV_SPAN) % REV_SPAN;
}

/** Kinds of generator event that stand for an output stop of the generator's own (PROTOCOL.md §4.9). */
export const isStopEvent = (key: string) =>
  key.startsWith('stopped:') || key.startsWith('fault:') || key.startsWith(`${STOP_FOUND_KEY}:`);

type StopContext = Pick<SessionContext, 'generator' | 'expectedRev' | 'identity' | 'toldEvents' | 'stopUnconfirmed'>;

/**
 * PROTOCOL.md §4.9 ("the companion must not depend on receiving [an EVT]"): output found off after
 * the session last saw it on, the revision moved, and no request of ours explains it (the generator's
 * charge-density or battery stop with its EVT lost, another companion's or a v1 HELLO ending test
 * output) is said once, as found (H10/H17). A stop already told by its EVT (the revision moved at most
 * by the stop since) is not said again, and this one is remembered so a late EVT is a copy.
 */
export function unrequestedStop(
  ctx: StopContext,
  state: GeneratorState,
  reason: SyncReason,
): { tell: Notice; told: ToldEvent[] } | null {
  const last = ctx.generator;
  if (!last || last.output !== 'on' || state.output !== 'off') return null;
  if (ctx.expectedRev === null || state.programRev === ctx.expectedRev) return null;
  // A reset or a new connection is told by its own notices; our own unconfirmed STOP by syncStep.
  if (reason === 'reset' || reason === 'connect' || ctx.stopUnconfirmed) return null;
  const boot = ctx.identity?.bootId ?? null;
  const told = ctx.toldEvents ?? [];
  if (told.some((t) => isStopEvent(t.key) && t.boot === boot && revsApart(t.rev, state.programRev) <= 1)) return null;
  const was = last.mode === 'therapy' && last.committed ? 'committed therapy' : 'test stimulation';
  return {
    tell: notice(
      'warn',
      'output',
      'on',
      'off',
      `the generator's output stopped without a request from the companion (rev ${ctx.expectedRev} → ${state.programRev}): ${was} ended; now ${describeProgram(state)}; shown as found, not turned on again`,
    ),
    told: [...told, { key: `${STOP_FOUND_KEY}:${boot ?? ''}`, boot, rev: state.programRev }].slice(-TOLD_EVENTS_KEPT),
  };
}
