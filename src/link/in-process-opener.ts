import type { Duplex } from 'node:stream';
import type { PortConnection, PortOpener } from './port-opener.js';

/** The simulator's cable as the opener needs it: structural, so src/ need not import firmware-sim/. */
export interface InProcessPorts {
  /** The companion's end of the current cable. */
  readonly port: Duplex;
  /** Plugs a new cable in and returns the companion's end. */
  replug(): Duplex;
  close(): void;
}

export interface InProcessOpenerOptions {
  /** Close the generator when the link is closed (true when the opener created it). */
  ownsGenerator?: boolean;
}

/**
 * The built-in simulator as a port: each open() plugs a new in-process cable in (a new stream pair),
 * so the link treats it exactly like a serial port.
 */
export function inProcessOpener(
  generator: InProcessPorts | (() => Promise<InProcessPorts>),
  options: InProcessOpenerOptions = {},
): PortOpener {
  let resolved: InProcessPorts | undefined = typeof generator === 'function' ? undefined : generator;
  let firstUsed = false;
  return {
    source: 'simulator',
    description: 'built-in simulator',
    async open(): Promise<PortConnection> {
      resolved ??= await (generator as () => Promise<InProcessPorts>)();
      const reuse = !firstUsed && !resolved.port.destroyed;
      firstUsed = true;
      const stream = reuse ? resolved.port : resolved.replug();
      return {
        stream,
        close: async () => {
          if (!stream.destroyed) stream.destroy();
        },
      };
    },
    async dispose() {
      if (options.ownsGenerator) resolved?.close();
    },
  };
}
