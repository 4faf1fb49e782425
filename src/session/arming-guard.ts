import type { LinkStatus } from '../link/generator-link.js';
import { INTENT_FIELD, requestedOf } from './decide-intent.js';
import { reject, type Notice } from './notice.js';
import type { SessionController, SessionView } from './session-controller.js';
import type { Intent, IntentType } from './session-types.js';

/** Intents whose operations can turn output on (decide-search.ts, decide-output.ts). */
export const ARMING_INTENTS: ReadonlySet<IntentType> = new Set<IntentType>(['SEARCH_START', 'OUTPUT_ON', 'COMMIT']);

/** What the guard reads of the session at one moment: the link's status and the generator's boot. */
export interface LinkMark {
  status: LinkStatus;
  bootId: string | null;
}

/** What came between a command being given and it being sent: a reset, a link loss, or nothing. */
export type LinkBreak = 'reset' | 'link' | null;

export const markOf = (v: Pick<SessionView, 'link' | 'identity'>): LinkMark => ({
  status: v.link.status,
  bootId: v.identity?.bootId ?? null,
});

/**
 * `marks[0]` is the session when the command was given, the rest what it went through until it is
 * sent. A generator found on another boot is a reset; a connected link going down is a link loss. A
 * link already down when the command was given is not a break (README: such a line waits for the
 * link, then runs), but a reset found when it returns is.
 */
export function linkBreakOf(marks: readonly LinkMark[]): LinkBreak {
  const first = marks[0];
  if (!first) return null;
  let lost = false;
  for (let i = 1; i < marks.length; i++) {
    const m = marks[i]!;
    if (first.bootId !== null && m.bootId !== null && m.bootId !== first.bootId) return 'reset';
    if (marks[i - 1]!.status === 'connected' && m.status !== 'connected') lost = true;
  }
  return lost ? 'link' : null;
}

/**
 * Watches the session from the moment a command is given (a script line reached) until it is sent:
 * what it waited for (the session settling, a lost link returning) may hide a reset or a link loss.
 */
export function watchLinkBreaks(controller: SessionController): { now(): LinkBreak; stop(): void } {
  const marks: LinkMark[] = [markOf(controller.view())];
  const stop = controller.subscribe((v) => marks.push(markOf(v)));
  return {
    now: () => linkBreakOf([...marks, markOf(controller.view())]),
    stop,
  };
}

const NOT_RUN: Record<Exclude<LinkBreak, null>, string> = {
  reset:
    'not run: the generator was found reset (it restarted) while this command waited to be sent; a reset turns nothing on again by itself, so output stays off: give the command again to go on',
  link: 'not run: the link to the generator was lost while this command waited to be sent; output is never turned on again by itself after a link loss: give the command again to go on',
};

/**
 * H9 (a reset or link loss disarms until a person acts again): a command that can turn output on and
 * met a reset or link loss between being given and being sent is not sent; said in words. Null: send it.
 */
export function disarmedRefusal(intent: Intent, met: LinkBreak): Notice | null {
  if (met === null || !ARMING_INTENTS.has(intent.type)) return null;
  return reject(INTENT_FIELD[intent.type], requestedOf(intent), NOT_RUN[met]);
}
