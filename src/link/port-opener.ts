import type { Duplex } from 'node:stream';
import type { WirePacing } from './paced-wire.js';

/**
 * The transport under a serial generator link: a byte stream per connection. The real serial port and
 * the built-in simulator both implement it, so every protocol rule (framing, retries, STOP, read-back)
 * lives once, in the link.
 */
export interface PortConnection {
  /** Bytes from and to the generator. 'close', 'end' or 'error' on it mean the connection is gone. */
  readonly stream: Duplex;
  /**
   * A serial line at a known baud: the link paces its own writes so a STOP can cut what the OS does not
   * hold yet (paced-wire.ts, PROTOCOL.md §4.5). Absent (the in-process simulator): written at once.
   */
  readonly pacing?: WirePacing;
  /** Closes this connection; never throws. The object is not used again afterwards. */
  close(): Promise<void>;
}

/**
 * Where a link gets its connections from: the serial port at a path, or the built-in simulator. A new
 * connection per open(), so a reconnect never carries anything over from the last one.
 */
export interface PortOpener {
  readonly source: 'simulator' | 'serial';
  /** Shown to the user: "simulator" or the port path. */
  readonly description: string;
  /**
   * Opens a NEW connection (a new port object every time: serialport replays writes queued while a port
   * was closed, and a stimulator must never send stale commands). Rejects with a LinkError whose
   * message says what to do.
   */
  open(): Promise<PortConnection>;
  /** Releases whatever the opener owns (the built-in simulator); called once by the link's close(). */
  dispose?(): Promise<void>;
}

/** Baud rate when --baud is not given (PROTOCOL.md, "Framing"). */
export const DEFAULT_BAUD = 115200;
