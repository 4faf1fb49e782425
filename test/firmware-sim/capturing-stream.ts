import { EventEmitter } from 'node:events';
import { createGeneratorServer, type GeneratorServer } from '../../firmware-sim/generator-server.js';

/**
 * A stream stand-in for the generator server: emit('data', …) feeds it; what it writes is kept line by
 * line. With `accepting` false, write() says "full" (as a stream whose reader is behind) until emit('drain').
 */
export class CapturingStream extends EventEmitter {
  destroyed = false;
  accepting = true;
  written: string[] = [];
  write(chunk: Buffer | string): boolean {
    this.written.push(
      ...chunk
        .toString('latin1')
        .split('\n')
        .filter((l) => l !== ''),
    );
    return this.accepting;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** A generator server on a CapturingStream, its clock stopped at 0, no telemetry, session ids = `sess`. */
export function capturedServer(sess: string): { server: GeneratorServer; stream: CapturingStream } {
  const server = createGeneratorServer({
    telemetryHz: 0,
    tickMs: 3_600_000,
    now: () => 0,
    config: { newSessionId: () => sess },
  });
  const stream = new CapturingStream();
  server.attach(stream as never);
  return { server, stream };
}
