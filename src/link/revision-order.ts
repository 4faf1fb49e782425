/**
 * Revisions (`rev`, PROTOCOL.md §3.4) are 9-digit wire numbers that wrap 999999999 → 0, so "older" is
 * never judged by comparing revisions: a reply is older when it answers an earlier request (lower `seq`)
 * of the same session. The basis of the next write is the rev of the reply to our newest request.
 */
export const MAX_REV = 999_999_999;

/** The revision `n` changes after `rev`, across the wrap. */
export function revAfter(rev: number, n = 1): number {
  return (rev + n) % (MAX_REV + 1);
}

/** Which request a reply answers: its session and its sequence number. */
export interface ReplyMark {
  sess: string | undefined;
  seq: number;
}

/**
 * True when `next` answers an earlier request than `last` in the same session: it must not replace what
 * `last` said. Sequence numbers never wrap inside a session (§3.2); a new session is always newer.
 */
export function isOlderReply(last: ReplyMark | undefined, next: ReplyMark): boolean {
  return last !== undefined && last.sess === next.sess && next.seq < last.seq;
}
