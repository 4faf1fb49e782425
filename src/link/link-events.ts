import type { LinkEvent, LinkStatus } from './generator-link.js';
import type { Trace } from './link-trace.js';

/** The link's subscribers and its current status; a faulty subscriber never breaks the link. */
export class LinkEventHub {
  private readonly listeners = new Set<(event: LinkEvent) => void>();
  private current: LinkStatus = 'disconnected';

  constructor(private readonly trace?: Trace) {}

  get status(): LinkStatus {
    return this.current;
  }

  subscribe(listener: (event: LinkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Emits a status event when the status changes, or whenever a reason comes with it. */
  setStatus(status: LinkStatus, reason?: string): void {
    if (status === this.current && reason === undefined) return;
    this.current = status;
    this.trace?.(`status ${status}${reason === undefined ? '' : `: ${reason}`}`);
    this.emit(reason === undefined ? { type: 'status', status } : { type: 'status', status, reason });
  }

  emit(event: LinkEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A subscriber's bug must not stop the link (or STOP).
      }
    }
  }
}
