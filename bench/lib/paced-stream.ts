import { Duplex } from 'node:stream';

/**
 * A UART in front of the simulator: bytes in each direction leave no faster than `baud` allows
 * (10 bits per byte: start, 8 data, stop). A chunk is delivered whole when its last byte would have
 * arrived, which is when a line-based reader could act on it anyway.
 */

export const BITS_PER_BYTE = 10;

/** Wire time of `bytes` at `baud`, in ms. */
export function wireMs(bytes: number, baud: number): number {
  return (bytes * BITS_PER_BYTE * 1000) / baud;
}

/** Delivers queued chunks at their deadlines, in order; sub-millisecond precise (timers then immediates). */
class PacedQueue {
  private readonly items: { due: number; chunk: Buffer }[] = [];
  private freeAt = 0;
  private armed = false;
  private stopped = false;

  constructor(
    private readonly byteMs: number,
    private readonly deliver: (chunk: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    const start = Math.max(performance.now(), this.freeAt);
    this.freeAt = start + chunk.length * this.byteMs;
    this.items.push({ due: this.freeAt, chunk });
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.items.length = 0;
  }

  private arm(): void {
    if (this.armed || this.stopped) return;
    const head = this.items[0];
    if (!head) return;
    this.armed = true;
    const wait = head.due - performance.now();
    const next = () => {
      this.armed = false;
      this.drain();
    };
    if (wait > 2) setTimeout(next, wait - 1.5);
    else setImmediate(next);
  }

  private drain(): void {
    const now = performance.now();
    while (this.items.length > 0 && this.items[0]!.due <= now) this.deliver(this.items.shift()!.chunk);
    this.arm();
  }
}

/** Wraps `inner` (the pty master): what the simulator writes and what it reads both go at `baud`. */
export function pacedStream(inner: Duplex, baud: number): Duplex {
  const byteMs = wireMs(1, baud);
  const toPeer = new PacedQueue(byteMs, (chunk) => {
    if (!inner.destroyed) inner.write(chunk);
  });
  let outer: Duplex;
  const toSimulator = new PacedQueue(byteMs, (chunk) => {
    if (!outer.destroyed) outer.push(chunk);
  });
  const onData = (chunk: Buffer) => toSimulator.push(chunk);
  const onClose = () => {
    if (!outer.destroyed) outer.destroy();
  };
  inner.on('data', onData);
  inner.on('close', onClose);
  outer = new Duplex({
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
