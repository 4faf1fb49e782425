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
