import type { Duplex } from 'node:stream';
import {
  createGeneratorServer,
  type GeneratorServer,
  type GeneratorServerOptions,
} from '../../firmware-sim/generator-server.js';
import { pacedStream } from './paced-stream.js';
import { openRawPty, type RawPty } from './raw-pty.js';

/**
 * One pseudo-terminal, and on its master in turn: the simulator (optionally paced at a baud rate) or a
 * raw responder that answers each request line with fixed reply bytes (the transport floor).
 */

export interface PtyRig {
  readonly path: string;
  readonly server: GeneratorServer;
  /** The simulator serves the pty (directly, or through a UART pacer at `baud`; `fifo`: no reply priority). */
  serveSimulator(baud?: number, fifo?: boolean): void;
  /** A raw responder serves the pty: each complete request line is answered with `reply` bytes. */
  serveEcho(reply: Buffer): void;
  /** Writes bytes to the client as the generator would (beside the simulator). False: wait for 'drain'. */
  inject(bytes: Buffer): boolean;
  /** Resolves when the master can take more bytes. */
  drained(): Promise<void>;
  close(): void;
}

export function createPtyRig(options: GeneratorServerOptions = {}): PtyRig {
  const raw: RawPty = openRawPty();
  const server = createGeneratorServer(options);
  let paced: Duplex | undefined;
  let echo: ((chunk: Buffer) => void) | undefined;

  const release = () => {
    server.detach();
    paced?.destroy();
    paced = undefined;
    if (echo) raw.master.off('data', echo);
    echo = undefined;
  };

  return {
    path: raw.path,
    server,
    serveSimulator(baud, fifo) {
      release();
      if (baud === undefined) {
        server.attach(raw.master);
      } else {
        paced = pacedStream(raw.master, baud, fifo);
        server.attach(paced);
      }
    },
    serveEcho(reply) {
      release();
      // Answer per complete line, as the simulator does: count newlines, write the reply for each.
      echo = (chunk: Buffer) => {
        for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) raw.master.write(reply);
      };
      raw.master.on('data', echo);
    },
    inject: (bytes) => raw.master.write(bytes),
    drained: () => new Promise<void>((resolve) => raw.master.once('drain', () => resolve())),
    close() {
      release();
      server.close();
      raw.close();
    },
  };
}
