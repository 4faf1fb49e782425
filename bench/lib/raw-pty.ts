import fs from 'node:fs';
import type { Duplex } from 'node:stream';
import * as pty from 'node-pty';

/**
 * A raw pseudo-terminal whose master the benchmark holds, so it can put an echo responder, the
 * simulator, or the simulator behind a 115200-baud pacer on the same pty in turn.
 *
 * This is the recipe of firmware-sim/pty-generator.ts (see ENGINEERING.md, "Pitfalls"): raw mode
 * through node-pty's slave socket, hold the slave open with a plain fd nobody reads, destroy the
 * socket. It is repeated here only because pty-generator.ts does not export its `openRawPty` and
 * bench/ may not change firmware-sim/; exporting it there would remove this copy.
 */

export interface RawPty {
  /** The slave path a serial client opens. */
  readonly path: string;
  /** Our end. */
  readonly master: Duplex;
  close(): void;
}

interface NodePtyInternals {
  _pty: string;
  _master: Duplex;
  _slave: Duplex & { setRawMode(raw: boolean): void };
}

const openPty = (pty as unknown as { open(options: { encoding: null }): NodePtyInternals }).open;

export function openRawPty(): RawPty {
  const term = openPty({ encoding: null });
  const path = term._pty;
  term._slave.setRawMode(true);
  const slaveFd = fs.openSync(path, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
  term._slave.destroy();
  term._master.on('error', () => {});
  return {
    path,
    master: term._master,
    close() {
      if (!term._master.destroyed) term._master.destroy();
      try {
        fs.closeSync(slaveFd);
      } catch {
        // already closed
      }
    },
  };
}
