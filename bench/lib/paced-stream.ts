import { Duplex } from 'node:stream';
import { transmitRank as generatorRank } from '../../firmware-sim/transmit-queue.js';

/**
 * A UART in front of the simulator: bytes in each direction leave no faster than `baud` allows
 * (10 bits per byte: start, 8 data, stop). A chunk is delivered whole when its last byte would have
 * arrived, which is when a line-based reader could act on it anyway. The simulator has no transmit
 * queue of its own while the reader keeps up (it writes each line at once), so the generator's
 * transmit queue is modelled here with the simulator's own priority (firmware-sim/transmit-queue.ts):
 * STOP's short ACK ahead of everything queued, then the other replies in request order, then events,
 * then telemetry (PROTOCOL.md §3.1, §4.5).
 */

export const BITS_PER_BYTE = 10;

/** Wire time of `bytes` at `baud`, in ms. */
export function wireMs(bytes: number, baud: number): number {
  return (bytes * BITS_PER_BYTE * 1000) / baud;
}

/** True for a chunk the generator's UART may hold back behind replies: a telemetry line. */
export function isTelemetry(chunk: Buffer): boolean {
  return chunk.length >= 4 && chunk.toString('latin1', 0, 4) === 'TEL ';
}

/** The generator's transmit priority for a chunk (lower first): STOP's ACK, replies, events, telemetry. */
export function transmitRank(chunk: Buffer): number {
  return generatorRank(chunk.toString('latin1', 0, 64));
}

interface Pending {
  chunk: Buffer;
  queuedAt: number;
  rank: number;
}

/**
 * One direction of a UART: one chunk (a line) on the wire at a time, each delivered whole when its
 * last byte would arrive; the next starts when the wire frees. With `rank`, a transmit queue
 * with priorities, as a generator's firmware would keep it: when the wire frees, a waiting
 * line of a lower rank goes ahead of higher ranks still waiting (a line already on the wire is never cut).
 * Delivery is sub-millisecond precise (timers, then immediates).
 */
export class PacedQueue {
  private readonly pending: Pending[] = [];
  private current: { chunk: Buffer; due: number } | undefined;
  /** When the wire is (or was) free: the due time of the last chunk sent. */
  private freeAt = 0;
  private armed = false;
  private stopped = false;

  constructor(
    private readonly byteMs: number,
    private readonly deliver: (chunk: Buffer) => void,
    /** Rank of a chunk (lower goes first; `true` counts as 1); default: all equal (a FIFO UART). */
    private readonly rank: (chunk: Buffer) => number | boolean = () => 0,
  ) {}

  push(chunk: Buffer): void {
    if (this.stopped) return;
    this.pending.push({ chunk, queuedAt: performance.now(), rank: Number(this.rank(chunk)) });
    if (!this.current) this.startNext();
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.pending.length = 0;
    this.current = undefined;
  }

  /** Puts the next chunk on the wire, chosen among those queued by the time the wire freed. */
  private startNext(): void {
    if (this.pending.length === 0) return;
    const startAt = Math.max(this.freeAt, this.pending[0]!.queuedAt);
    // Timers run late: choose among what was queued when the wire freed (virtual time), not now.
    let pick = 0;
    for (let i = 1; i < this.pending.length && this.pending[i]!.queuedAt <= startAt; i++) {
      if (this.pending[i]!.rank < this.pending[pick]!.rank) pick = i;
    }
    const [next] = this.pending.splice(pick, 1);
    this.current = { chunk: next!.chunk, due: startAt + next!.chunk.length * this.byteMs };
  }

  private arm(): void {
    if (this.armed || this.stopped || !this.current) return;
    this.armed = true;
    const wait = this.current.due - performance.now();
    const next = () => {
      this.armed = false;
      this.drain();
    };
    if (wait > 2) setTimeout(next, wait - 1.5);
    else setImmediate(next);
  }

  private drain(): void {
    const now = performance.now();
    while (this.current && this.current.due <= now) {
      const { chunk, due } = this.current;
      this.current = undefined;
      this.freeAt = due;
      this.deliver(chunk);
      if (this.stopped) return;
      this.startNext();
    }
    this.arm();
  }
}

/**
 * Wraps `inner` (the pty master): what the simulator writes and what it reads both go at `baud`.
 * `fifo`: no reply priority (the UART sends lines in the order written), for comparison.
 */
export function pacedStream(inner: Duplex, baud: number, fifo = false): Duplex {
  const byteMs = wireMs(1, baud);
  // Generator → companion: STOP's ACK, other replies, then events, then telemetry not yet on the wire.
  const toPeer = new PacedQueue(
    byteMs,
    (chunk) => {
      if (!inner.destroyed) inner.write(chunk);
    },
    fifo ? undefined : transmitRank,
  );
  const toSimulator = new PacedQueue(byteMs, (chunk) => {
    if (!outer.destroyed) outer.push(chunk);
  });
  const onData = (chunk: Buffer) => toSimulator.push(chunk);
  const onClose = () => {
    if (!outer.destroyed) outer.destroy();
  };
  inner.on('data', onData);
  inner.on('close', onClose);
  // The callbacks above only run once data flows, after this declaration.
  const outer: Duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      toPeer.push(chunk);
      callback();
    },
    destroy(err, callback) {
      // Unhook only: the master belongs to the rig, which reuses it.
      inner.off('data', onData);
      inner.off('close', onClose);
      toPeer.stop();
      toSimulator.stop();
      callback(err);
    },
  });
  return outer;
}
