import type { Duplex } from 'node:stream';
import { closePty, openRawPty as openPtyPair } from '../../firmware-sim/pty-generator.js';

/**
 * A raw pseudo-terminal whose master the benchmark holds, so it can put an echo responder, the
 * simulator, or the simulator behind a 115200-baud pacer on the same pty in turn. The recipe
 * (docs/ENGINEERING-NOTES.md, "Pitfalls") is firmware-sim/pty-generator.ts's own.
 */

export interface RawPty {
  /** The slave path a serial client opens. */
  readonly path: string;
  /** Our end. */
  readonly master: Duplex;
  close(): void;
}

export function openRawPty(): RawPty {
  const pair = openPtyPair();
  return { path: pair.path, master: pair.master, close: () => closePty(pair) };
}
