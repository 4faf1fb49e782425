/** The pacer's clock: `now` in ms and one timer; tests drive it by hand. */
export interface WireClock {
  now(): number;
  /** Runs `wake` after `ms`; returns what cancels it. */
  after(ms: number, wake: () => void): () => void;
}

export const realWireClock: WireClock = {
  now: () => performance.now(),
  after(ms, wake) {
    const timer = setTimeout(wake, ms);
    return () => clearTimeout(timer);
  },
};

/**
 * How much wire time the link hands the OS ahead of the wire (PROTOCOL.md §4.5, host side): all a STOP
 * can still wait behind on the host's own wire. About 23 bytes at 115200 baud.
 */
export const PACE_AHEAD_MS = 2;

/** A serial line whose pace the link keeps itself: its baud rate (10 bits per byte on the wire). */
export interface WirePacing {
  baud: number;
  clock?: WireClock;
  aheadMs?: number;
}

interface Pending<T> {
  tag: T;
  bytes: Buffer;
  /** How many of its bytes the OS has (they will go out whatever happens next). */
  handed: number;
}

/**
 * The host's own transmit side (PROTOCOL.md §4.5, host-side cut): lines are handed to the OS no more
 * than `aheadMs` of wire time ahead of the wire; the rest waits here, where a STOP can still take it
 * back. The OS (kernel buffer, UART) sends everything it has in order and offers no output-only flush
 * (serialport's flush() also drops received bytes), so what it holds is what a STOP waits behind.
 * Without `pacing` (the in-process simulator: no wire) every line is handed over at once.
 */
export class PacedWire<T> {
  private readonly queue: Pending<T>[] = [];
  private readonly byteMs: number;
  private readonly aheadMs: number;
  private readonly clock: WireClock;
  /** When the bytes handed over so far will have left (our estimate of the OS's wire). */
  private freeAt = -Infinity;
  private cancel: (() => void) | undefined;

  constructor(
    private readonly write: (bytes: Buffer) => void,
    pacing?: WirePacing,
  ) {
    this.byteMs = pacing ? 10_000 / pacing.baud : 0;
    // At least two bytes ahead, or a slow line would never be fed.
    this.aheadMs = Math.max(pacing?.aheadMs ?? PACE_AHEAD_MS, 2 * this.byteMs);
    this.clock = pacing?.clock ?? realWireClock;
  }

  /** Whether some line is waiting here, not yet wholly handed to the OS. */
  get holding(): boolean {
    return this.queue.length > 0;
  }

  /** Sends a line behind those waiting, paced. */
  send(bytes: Buffer, tag: T): void {
    if (this.byteMs === 0) return this.write(bytes);
    this.queue.push({ tag, bytes, handed: 0 });
    this.pump();
  }

  /**
   * A STOP (`stop`, which starts with CAN): every line whose end has not reached the OS is cut; its
   * bytes still here are never written (the STOP's CAN makes the generator discard a torn start, §2).
   * `stop` is handed over at once, whatever the pace; then each cut line `resend` keeps goes again, whole.
   * Returns the others, one entry per cut copy: never executed, never sent.
   */
  cutFor(stop: Buffer, resend: (tag: T) => boolean): T[] {
    const cut = this.queue.splice(0);
    this.cancel?.();
    this.cancel = undefined;
    this.handOver(stop);
    const dropped: T[] = [];
    for (const line of cut) {
      if (resend(line.tag)) this.queue.push({ ...line, handed: 0 });
      else dropped.push(line.tag);
    }
    if (this.queue.length > 0) this.pump();
    return dropped;
  }

  /** The connection is gone: nothing more is written. */
  stop(): void {
    this.queue.length = 0;
    this.cancel?.();
    this.cancel = undefined;
  }

  private handOver(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.freeAt = Math.max(this.freeAt, this.clock.now()) + bytes.length * this.byteMs;
    this.write(bytes);
  }

  /** Hands the OS what fits within `aheadMs` of its wire, then waits until half of that has left. */
  private pump(): void {
    this.cancel?.();
    this.cancel = undefined;
    const now = this.clock.now();
    let room = Math.floor((this.aheadMs - Math.max(0, this.freeAt - now)) / this.byteMs + 1e-9);
    const parts: Buffer[] = [];
    while (room > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      const n = Math.min(room, head.bytes.length - head.handed);
      parts.push(head.bytes.subarray(head.handed, head.handed + n));
      head.handed += n;
      room -= n;
      if (head.handed === head.bytes.length) this.queue.shift();
    }
    if (parts.length > 0) this.handOver(Buffer.concat(parts));
    if (this.queue.length === 0) return;
    const wait = Math.max(this.byteMs, this.freeAt - this.aheadMs / 2 - now);
    this.cancel = this.clock.after(wait, () => this.pump());
  }
}
