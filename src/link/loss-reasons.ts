import { LinkError } from './generator-link.js';

/**
 * Why the link dropped a connection that was still open, as the link says it (a status event's
 * `reason`): the generator was reset, or holds no session of ours (PROTOCOL.md §10 step 5). The
 * session tells a command cut by one of these apart from a cable pulled or a silent generator.
 */
export const LOSS_REASON = {
  /** EVT boot with a new boot id. */
  reset: 'generator reset (new boot id)',
  /** NOT_READY (16): no session open; a reset whose EVT boot was lost (or a HELLO of another version). */
  noSession: 'generator lost its session (reset?)',
  /** STALE_SESSION (18): another HELLO opened a newer session. */
  otherSession: 'generator holds another session',
  /** STOP unanswered after every retransmission (§3.3): the generator counts as not answering. */
  stopUnanswered: 'no reply to STOP after every retry',
} as const;

/** A loss that says the generator restarted (or forgot our session) under a command. */
export function lostToReset(reason: string | undefined): boolean {
  return reason === LOSS_REASON.reset || reason === LOSS_REASON.noSession;
}

/**
 * A session renewal's HELLO (same connection, near the end of the seq space) answered by another boot:
 * the generator was reset and its EVT boot was lost. Not adopted: the link is lost and reconnects, so
 * the reset is found and shown as one (nothing of ours runs on the reset generator meanwhile).
 */
export class ResetFoundError extends LinkError {
  override name = 'ResetFoundError';
}

/**
 * bb4-F5: an `EVT kind=boot` read together with (right after) the reply to our request: that reply is
 * the generator's answer from before the reset, so its result reaches the session first; the event and
 * the link loss follow one macrotask later (after the promise jobs that deliver the reply), and nothing
 * new is sent on the connection meanwhile (the request queue sees no connection). Only when nothing is
 * outstanding on it: a request still unanswered met the reset and is cut by the loss at once, as before.
 */
export class ResetAfterReplies {
  private held: unknown;

  /** True while `channel` waits for its reset to be handled. */
  holds(channel: unknown): boolean {
    return channel !== undefined && this.held === channel;
  }

  /**
   * Handles the reset of `channel` once the replies read before it have been taken; at once when a
   * request is still unanswered on it (the reset met that request: no reply of the old boot will come).
   */
  defer(channel: { readonly answeredAll: boolean }, handle: () => void): void {
    if (!channel.answeredAll) return handle();
    this.held = channel;
    setImmediate(() => {
      if (this.held === channel) this.held = undefined;
      handle();
    });
  }
}
