import { CANCEL_BYTE } from '../protocol/index.js';
import { TELEMETRY_RANK } from './transmit-queue.js';

/** Time for the UART model: `now` in ms, and one wake-up call at (or soon after) a time. */
export interface UartClock {
  now(): number;
  wakeAt(at: number, wake: () => void): void;
}

/** The real clock: timers, then immediates, for sub-millisecond precision (timers run late). */
export const realClock: UartClock = {
  now: () => performance.now(),
  wakeAt(at, wake) {
    const wait = at - performance.now();
    if (wait > 2) setTimeout(wake, wait - 1.5);
    else setImmediate(wake);
  },
};

/** A UART's transmit FIFO (16 bytes, as a 16550): bytes in it go out whatever the firmware decides. */
export const TX_FIFO_BYTES = 16;

export interface UartOptions {
  /** Rank of a chunk, lower first (firmware-sim/transmit-queue.ts); default all equal: a plain FIFO. */
  rank?: (chunk: Buffer) => number;
  /** Rank 0 (STOP's ACK) cuts the line on the wire (PROTOCOL.md §4.5, v2.2). Default: when ranked. */
  cut?: boolean;
  fifoBytes?: number;
}

interface Waiting {
  chunk: Buffer;
  queuedAt: number;
  rank: number;
}

interface OnWire extends Waiting {
  startAt: number;
  /** When its last byte (the CAN of a cut line) has arrived. */
  due: number;
  cut: boolean;
}

/**
 * One direction of a UART at `byteMs` per byte: one line on the wire at a time, delivered whole when
 * its last byte would arrive (when a line reader could act on it anyway), the next chosen by rank among
 * those queued by then (virtual time, so a late timer changes nothing). The generator's rule (v2.2):
 * when STOP's ACK is ready while another line is on the wire, the firmware stops feeding that line; what
 * its TX FIFO already holds still goes, then CAN (the host discards the torn line), then STOP's ACK, then
 * the torn line again whole, ahead of lines queued after it. A torn or queued telemetry line is dropped,
 * not re-sent: it is a snapshot from before the STOP, and the next one follows within one period.
 */
export class UartTransmitter {
  private readonly waiting: Waiting[] = [];
  private current: OnWire | undefined;
  /** When the wire is (or was) free: the due time of the last chunk sent. */
  private freeAt = 0;
  /** The wake-up that is due soonest (a cut brings the line's end forward: a new, earlier one). */
  private armedAt = Infinity;
  private stopped = false;
  private readonly rank: (chunk: Buffer) => number;
  private readonly cuts: boolean;
  private readonly fifoBytes: number;

  constructor(
    private readonly byteMs: number,
    private readonly deliver: (chunk: Buffer) => void,
    private readonly clock: UartClock = realClock,
    options: UartOptions = {},
  ) {
    this.rank = options.rank ?? (() => 1);
    this.cuts = options.cut ?? options.rank !== undefined;
    this.fifoBytes = options.fifoBytes ?? TX_FIFO_BYTES;
  }

  push(chunk: Buffer): void {
    if (this.stopped) return;
    const item: Waiting = { chunk, queuedAt: this.clock.now(), rank: this.rank(chunk) };
    this.waiting.push(item);
    if (this.cuts && item.rank === 0) this.stopArrived(item.queuedAt);
    if (!this.current) this.startNext();
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.waiting.length = 0;
    this.current = undefined;
  }

  /** STOP's ACK is ready at `at`: stale telemetry goes; the line on the wire is cut after the FIFO. */
  private stopArrived(at: number): void {
    for (let i = this.waiting.length - 1; i >= 0; i--)
      if (this.waiting[i]!.rank === TELEMETRY_RANK) this.waiting.splice(i, 1);
    const line = this.current;
    if (!line || line.cut || line.rank === 0 || line.due <= at) return;
    const sent = Math.max(0, Math.floor((at - line.startAt) / this.byteMs));
    const committed = Math.min(line.chunk.length, sent + this.fifoBytes);
    if (committed >= line.chunk.length) return; // the rest is already in the FIFO: it finishes
    const torn = Buffer.concat([line.chunk.subarray(0, committed), Buffer.of(CANCEL_BYTE)]);
    this.current = { ...line, chunk: torn, due: line.startAt + torn.length * this.byteMs, cut: true };
    // Re-sent whole, first among its rank (request order holds); telemetry is not re-sent.
    if (line.rank !== TELEMETRY_RANK)
      this.waiting.unshift({ chunk: line.chunk, queuedAt: line.queuedAt, rank: line.rank });
  }

  /** Puts the next chunk on the wire, chosen among those queued by the time the wire freed. */
  private startNext(): void {
    if (this.waiting.length === 0) return;
    const startAt = Math.max(this.freeAt, Math.min(...this.waiting.map((w) => w.queuedAt)));
    let pick = -1;
    for (let i = 0; i < this.waiting.length; i++) {
      const w = this.waiting[i]!;
      if (w.queuedAt <= startAt && (pick < 0 || w.rank < this.waiting[pick]!.rank)) pick = i;
    }
    const [next] = this.waiting.splice(pick, 1);
    this.current = { ...next!, startAt, due: startAt + next!.chunk.length * this.byteMs, cut: false };
  }

  private arm(): void {
    if (this.stopped || !this.current || this.current.due >= this.armedAt) return;
    const at = (this.armedAt = this.current.due);
    this.clock.wakeAt(at, () => {
      if (this.armedAt === at) this.armedAt = Infinity;
      this.drain();
    });
  }

  private drain(): void {
    const now = this.clock.now();
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
