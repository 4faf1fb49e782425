import type { Trace } from './link-trace.js';
import { reconnectDelay, type LinkTiming } from './link-timing.js';

/**
 * After a link loss: try to re-establish the connection with a growing, capped wait between attempts,
 * until one succeeds or the link is closed. Nothing pending is carried over; the attempt itself
 * (a new port, HELLO, STATE) is the link's.
 */
export class ReconnectLoop {
  private timer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private stopped = false;

  constructor(
    private readonly timing: LinkTiming,
    /** One attempt; resolves when connected again. */
    private readonly connectOnce: () => Promise<unknown>,
    /** An attempt failed; another is scheduled after this. */
    private readonly onFailure: (error: Error) => void,
    private readonly trace?: Trace,
  ) {}

  /** Schedules the next attempt (after the backoff for the attempts so far). */
  schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const delay = reconnectDelay(this.timing, this.attempt++);
    this.trace?.(`reconnect attempt ${this.attempt} in ${delay} ms`);
    this.timer = setTimeout(() => {
      this.connectOnce().then(
        () => this.succeeded(),
        (error: Error) => {
          if (this.stopped) return;
          this.trace?.(`reconnect attempt failed: ${error.message}`);
          this.onFailure(error);
          this.schedule();
        },
      );
    }, delay);
  }

  /** A connection was established (by this loop or by connect()): the backoff starts again. */
  succeeded(): void {
    this.attempt = 0;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
