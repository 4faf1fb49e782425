import { Duplex } from 'node:stream';
import { createGeneratorServer, type GeneratorServer, type GeneratorServerOptions } from './generator-server.js';

/**
 * The simulator on an in-process stream pair, for tests and for `npm start`: the companion gets a
 * Duplex that behaves like an open serial port (bytes in, bytes out, 'close' when unplugged).
 */

export interface InProcessGenerator {
  /** The companion's end of the current connection. */
  readonly port: Duplex;
  server: GeneratorServer;
  /** Pulls the cable: the current port emits 'close'. */
  unplug(): void;
  /** Plugs a new cable in: returns a new companion-side port (the old one stays closed). */
  replug(): Duplex;
  close(): void;
}

/** Two connected Duplex ends: what one writes the other reads; destroying either closes both. */
export function createStreamPair(): [Duplex, Duplex] {
  const side = (other: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        const peer = other();
        if (!peer.destroyed) peer.push(chunk);
        callback();
      },
      final(callback) {
        const peer = other();
        if (!peer.destroyed) peer.push(null);
        callback();
      },
      destroy(err, callback) {
        const peer = other();
        // The far end sees the cable go: it closes too (after this side, like a real port).
        if (!peer.destroyed) setImmediate(() => peer.destroy());
        callback(err);
      },
    });
  // Each side reaches the other lazily, so declaring them in turn is safe.
  const a: Duplex = side(() => b);
  const b: Duplex = side(() => a);
  return [a, b];
}

export function createInProcessGenerator(options: GeneratorServerOptions = {}): InProcessGenerator {
  const server = createGeneratorServer(options);
  let port: Duplex;
  const plug = (): Duplex => {
    const [companion, generator] = createStreamPair();
    server.attach(generator);
    port = companion;
    return companion;
  };
  plug();
  return {
    get port() {
      return port;
    },
    server,
    unplug() {
      server.unplug();
    },
    replug() {
      server.unplug();
      return plug();
    },
    close() {
      server.close();
      if (!port.destroyed) port.destroy();
    },
  };
}
