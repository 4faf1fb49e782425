import type { GeneratorEvent, GeneratorState, Identity } from '../../protocol/index.js';
import { generatorEventNotice } from './generator-event-words.js';
import { resetSeen } from './connection-steps.js';
import type { Notice } from './notice.js';
import { withNotices, type ResetSeen, type SessionContext } from './session-context.js';
import { isStopEvent, revsApart } from './unrequested-stop.js';

/** An event already told: what it said, on which boot, and the state revision the companion then knew. */
export interface ToldEvent {
  key: string;
  boot: string | null;
  rev: number | null;
}

/** What the session keeps of its told events (a copy comes within moments of its original). */
export const TOLD_EVENTS_KEPT = 16;

type EventFacts = Pick<GeneratorEvent, 'kind' | 'reason' | 'bootId'>;

export interface EventNewsInput {
  identity: Identity | null;
  reset: ResetSeen | null;
  generator: GeneratorState | null;
  toldEvents?: readonly ToldEvent[];
}

export type EventNews =
  /** News: one notice now, remembered so a copy of the line says nothing. */
  | { tell: Notice; told: ToldEvent[] }
  /** Told by the re-read the event causes (a program change: once per revision moved), no notice of its own. */
  | { read: true }
  /** A copy of an event already told (or a reset already known): nothing. */
  | { repeat: true };

const keyOf = (e: EventFacts) => [e.kind, e.reason ?? '', e.bootId ?? ''].join(':');

/**
 * Issue 13 ("every notice on exactly one line, never repeated"): PROTOCOL.md §4.9 events carry no
 * number, and a line can reach the companion twice (duplicated or delayed on the wire), so an event is
 * told apart from its copy by the generator's state, never by its text alone:
 * - `program-changed` has no notice of its own: the re-read it causes warns once per revision jump
 *   (H17, "rev a → b"), so a copy finds the revision where it was and adds nothing;
 * - `boot` is news once per boot id (a reset the session already knows of is not);
 * - `battery` once per level and boot (the battery never rises by itself);
 * - `stopped` and `fault` once while the state revision has moved at most by the stop itself: a second
 *   real stop needs output turned on again in between, which moves the revision once more; a stop the
 *   state already showed (unrequested-stop.ts) is the same stop.
 */
export function eventNews(ctx: EventNewsInput, e: EventFacts): EventNews {
  if (e.kind === 'program-changed') return { read: true };
  if (e.kind === 'boot' && e.bootId && (e.bootId === ctx.identity?.bootId || e.bootId === ctx.reset?.boot))
    return { repeat: true };
  const key = keyOf(e);
  const boot = ctx.identity?.bootId ?? null;
  const rev = ctx.generator?.programRev ?? null;
  const told = ctx.toldEvents ?? [];
  // A stop already found in the state (unrequested-stop.ts) is the one this event reports.
  const stop = e.kind === 'stopped' || e.kind === 'fault';
  const copy = told.some(
    (t) =>
      (t.key === key || (stop && isStopEvent(t.key))) &&
      t.boot === boot &&
      (e.kind === 'battery' || e.kind === 'boot' || revsApart(t.rev, rev) <= 1),
  );
  if (copy) return { repeat: true };
  return { tell: generatorEventNotice(e), told: [...told, { key, boot, rev }].slice(-TOLD_EVENTS_KEPT) };
}

/**
 * A generator event arrives (in any state): a boot with a new boot id is remembered as a reset with
 * what the generator held before it; news is shown at once, not part of the request's outcome (which a
 * later failure must still be able to refuse); a program change waits for the re-read; a copy is dropped.
 */
export function generatorEventStep(ctx: SessionContext, e: EventFacts): Partial<SessionContext> {
  const reset =
    e.kind === 'boot' && e.bootId && ctx.identity && e.bootId !== ctx.identity.bootId
      ? { reset: resetSeen(ctx, e.bootId) }
      : {};
  const news = eventNews(ctx, e);
  if ('read' in news) return { ...reset, programEvent: true };
  if ('repeat' in news) return reset;
  // PROTOCOL.md §4.9, the state tells the story: a stop is told once the re-read shows output off (bb4-F8).
  if (e.kind === 'stopped' || e.kind === 'fault') return { ...reset, stopEvent: news };
  return { ...reset, toldEvents: news.told, notices: withNotices({ ...ctx, outcome: null }, [news.tell]).notices };
}

/**
 * The re-read after a stop event: output off, the event is told (and remembered, so the state's own
 * "stopped without a request" and a copy of the line say nothing again); output still on, the state
 * contradicts it (a late copy of an old line): nothing is told or done about it (bb4-F8).
 */
export function stopEventStep(ctx: SessionContext, state: GeneratorState): Partial<SessionContext> {
  const pending = ctx.stopEvent;
  if (!pending) return {};
  if (state.output !== 'off') return { stopEvent: null };
  return {
    stopEvent: null,
    toldEvents: pending.told,
    notices: withNotices({ ...ctx, outcome: null }, [pending.tell]).notices,
  };
}
