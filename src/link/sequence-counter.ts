import { MAX_SEQ, SEQ_RENEW_MARGIN } from '../../protocol/index.js';

/**
 * Sequence numbers 1..MAX_SEQ, strictly increasing, never wrapping inside a session (PROTOCOL.md §3).
 * One counter per companion instance, kept across reconnections; before it runs out the link opens a
 * new session and restarts it at 1 (a new session makes every older number stale anyway).
 */
export class SequenceCounter {
  private last: number;

  constructor(first = 1) {
    if (!Number.isInteger(first) || first < 1 || first > MAX_SEQ)
      throw new RangeError(`first sequence number must be 1..${MAX_SEQ}`);
    this.last = first - 1;
  }

  next(): number {
    if (this.last >= MAX_SEQ)
      throw new RangeError(
        `sequence numbers exhausted (${MAX_SEQ}); a new session was due ${SEQ_RENEW_MARGIN} earlier`,
      );
    return ++this.last;
  }

  /** Close enough to the end that the next session must start before more requests go out. */
  get nearLimit(): boolean {
    return this.last >= MAX_SEQ - SEQ_RENEW_MARGIN;
  }

  /** Starts again at `first` (default 1): only ever right before a HELLO (a new session). */
  restart(first = 1): void {
    this.last = first - 1;
  }
}
