import { Duplex } from 'node:stream';
import { transmitRank as generatorRank } from '../../firmware-sim/transmit-queue.js';
import { realClock, UartTransmitter } from '../../firmware-sim/uart-transmitter.js';

/**
 * A UART in front of the simulator: bytes in each direction leave no faster than `baud` allows
 * (10 bits per byte: start, 8 data, stop). A chunk is delivered whole when its last byte would have
 * arrived, which is when a line-based reader could act on it anyway. The simulator has no transmit
 * queue of its own while the reader keeps up (it writes each line at once), so the generator's UART
 * is modelled here by the simulator's own (firmware-sim/uart-transmitter.ts) with its priority
 * (transmit-queue.ts): STOP's short ACK cuts the line on the wire (CAN, then the ACK, then that line
 * again) and goes ahead of everything queued, then the other replies in request order, then events,
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

/**
 * One direction of the UART (firmware-sim/uart-transmitter.ts) on the real clock: `rank` (lower first;
 * `true` counts as 1) gives a transmit queue with priorities, and with transmitRank the generator's cut
 * of the line on the wire for STOP's ACK (PROTOCOL.md §4.5); without it, a FIFO UART.
 */
export class PacedQueue extends UartTransmitter {
  constructor(byteMs: number, deliver: (chunk: Buffer) => void, rank?: (chunk: Buffer) => number | boolean) {
    super(byteMs, deliver, realClock, rank ? { rank: (chunk) => Number(rank(chunk)), cut: rank === transmitRank } : {});
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
