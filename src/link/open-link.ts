import type { GeneratorServerOptions } from '../../firmware-sim/generator-server.js';
import { inProcessOpener } from './in-process-opener.js';
import type { LinkTiming } from './link-timing.js';
import type { Trace } from './link-trace.js';
import { DEFAULT_BAUD, type PortConnection, type PortOpener } from './port-opener.js';
import { SerialGeneratorLink } from './serial-generator-link.js';

/**
 * The one way the companion opens a generator: a serial port when `port` is given, otherwise the
 * built-in in-process simulator. This is the only module in src/ that reaches into firmware-sim/.
 * Both load lazily, so a real-port run never starts a simulator and a simulator run never loads
 * the native serial binding.
 */

export interface OpenLinkOptions {
  /** Serial port path (/dev/ttyUSB0, COM3, or a pseudo-terminal from `scs sim`). */
  port?: string;
  /** Default 115200. */
  baud?: number;
  /** Options of the built-in simulator (ignored with `port`). */
  simulator?: GeneratorServerOptions;
  /** Protocol timing overrides (tests shorten them). */
  timing?: Partial<LinkTiming>;
  firstSeq?: number;
  /** The link's trace (default: on when DEBUG / SCS_DEBUG ask for it); the paced bench times stages with it. */
  trace?: Trace;
}

export function openGeneratorLink(options: OpenLinkOptions = {}): SerialGeneratorLink {
  const opener =
    options.port !== undefined
      ? lazySerialOpener(options.port, options.baud ?? DEFAULT_BAUD)
      : simulatorOpener(options.simulator);
  return new SerialGeneratorLink({
    opener,
    ...(options.timing ? { timing: options.timing } : {}),
    ...(options.firstSeq !== undefined ? { firstSeq: options.firstSeq } : {}),
    ...(options.trace ? { trace: options.trace } : {}),
  });
}

function simulatorOpener(simulator: GeneratorServerOptions = {}): PortOpener {
  return inProcessOpener(
    async () => {
      const { createInProcessGenerator } = await import('../../firmware-sim/in-process.js');
      return createInProcessGenerator(simulator);
    },
    { ownsGenerator: true },
  );
}

function lazySerialOpener(path: string, baud: number): PortOpener {
  let real: PortOpener | undefined;
  return {
    source: 'serial',
    description: path,
    async open(): Promise<PortConnection> {
      if (!real) {
        const { serialPortOpener } = await import('./serial-port-opener.js');
        real = serialPortOpener(path, baud);
      }
      return real.open();
    },
  };
}
