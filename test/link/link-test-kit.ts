import { Duplex } from 'node:stream';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import { defaultGeneratorConfig, hardwareLimitsOf } from '../../firmware-sim/generator-config.js';
import type { GeneratorServerOptions } from '../../firmware-sim/generator-server.js';
import { CANCEL, decodeMessage, type Message } from '../../protocol/index.js';
import type { LinkEvent } from '../../src/link/generator-link.js';
import { inProcessOpener } from '../../src/link/in-process-opener.js';
import type { LinkTiming } from '../../src/link/link-timing.js';
import type { PortConnection, PortOpener } from '../../src/link/port-opener.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { until } from '../helpers/until.js';

/** Short protocol timing so loss and retry paths run in milliseconds (no test asserts on time). */
export const FAST: LinkTiming = {
  requestTimeoutMs: 100,
  requestRetries: 3,
  heartbeatIntervalMs: 50,
  reconnectDelayMs: 10,
  reconnectMaxDelayMs: 80,
};

/** A valid program for the simulator's default limits (8 contacts, 50 µA steps). */
export const PROGRAM = { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 1500, contacts: '+-000000' };

export type LineHook = (line: string, deliver: (line: string) => void) => void;

export interface Tap {
  /** Every line the companion wrote, in order. */
  readonly outbound: string[];
  /** Every line that came from the generator (before the hook). */
  readonly inbound: string[];
  /** Decides what reaches the companion; default passes each line through. */
  onInbound: LineHook;
  /** Decides what reaches the generator; default passes each line through. */
  onOutbound: LineHook;
}

/** Puts a line-level man in the middle between the link and a port, to drop, hold or record lines. */
export function tapOpener(inner: PortOpener): { opener: PortOpener; tap: Tap } {
  const pass: LineHook = (line, deliver) => deliver(line);
  const tap: Tap = { outbound: [], inbound: [], onInbound: pass, onOutbound: pass };
  const opener: PortOpener = {
    source: inner.source,
    description: inner.description,
    async open(): Promise<PortConnection> {
      const real = await inner.open();
      let inBuf = '';
      let outBuf = '';
      const proxy: Duplex = new Duplex({
        read() {},
        write(chunk: Buffer, _enc, callback) {
          outBuf += chunk.toString('latin1');
          let nl: number;
          while ((nl = outBuf.indexOf('\n')) >= 0) {
            const line = outBuf.slice(0, nl);
            outBuf = outBuf.slice(nl + 1);
            tap.outbound.push(line);
            tap.onOutbound(line, (l) => {
              if (!real.stream.destroyed) real.stream.write(`${l}\n`, 'latin1');
            });
          }
          callback();
        },
        destroy(err, callback) {
          void real.close();
          callback(err);
        },
      });
      real.stream.on('data', (chunk: Buffer) => {
        inBuf += chunk.toString('latin1');
        let nl: number;
        while ((nl = inBuf.indexOf('\n')) >= 0) {
          const line = inBuf.slice(0, nl);
          inBuf = inBuf.slice(nl + 1);
          tap.inbound.push(line);
          tap.onInbound(line, (l) => {
            if (!proxy.destroyed) proxy.push(`${l}\n`);
          });
        }
      });
      real.stream.on('close', () => {
        if (!proxy.destroyed) proxy.destroy();
      });
      return { stream: proxy, close: async () => void proxy.destroy() };
    },
    ...(inner.dispose ? { dispose: () => inner.dispose!() } : {}),
  };
  return { opener, tap };
}

/** The message a line carries for its receiver: what follows the last CAN (0x18), which discards what came before (§2). */
export function decoded(line: string): Message | undefined {
  const r = decodeMessage(line.slice(line.lastIndexOf(CANCEL) + 1));
  return r.ok ? r.message : undefined;
}

export interface Rig {
  generator: InProcessGenerator;
  link: SerialGeneratorLink;
  tap: Tap;
  events: LinkEvent[];
  close(): Promise<void>;
}

/** An in-process simulator, a tap, and a link with fast timing. Telemetry off unless asked for. */
export function inProcessRig(
  options: { server?: GeneratorServerOptions; firstSeq?: number; timing?: Partial<LinkTiming> } = {},
): Rig {
  const generator = createInProcessGenerator({ telemetryHz: 0, ...options.server });
  const { opener, tap } = tapOpener(inProcessOpener(generator));
  const link = new SerialGeneratorLink({
    opener,
    timing: { ...FAST, ...options.timing },
    firstSeq: options.firstSeq ?? 100,
  });
  const events: LinkEvent[] = [];
  link.subscribe((e) => events.push(e));
  return {
    generator,
    link,
    tap,
    events,
    async close() {
      await link.close();
      generator.close();
    },
  };
}

export { until };

export function nextEvent<T extends LinkEvent['type']>(
  link: SerialGeneratorLink,
  type: T,
  filter: (e: Extract<LinkEvent, { type: T }>) => boolean = () => true,
): Promise<Extract<LinkEvent, { type: T }>> {
  return new Promise((resolve) => {
    const off = link.subscribe((e) => {
      if (e.type === type && filter(e as Extract<LinkEvent, { type: T }>)) {
        off();
        resolve(e as Extract<LinkEvent, { type: T }>);
      }
    });
  });
}

/**
 * A hand-scripted generator for answers the simulator would never give (altered read-back, another
 * protocol version). `respond` maps each decoded request to the messages (or raw text) sent back.
 */
export function scriptedOpener(respond: (request: Message) => (Message | string)[]): PortOpener {
  return {
    source: 'simulator',
    description: 'scripted generator',
    async open(): Promise<PortConnection> {
      const { createStreamPair } = await import('../../firmware-sim/in-process.js');
      const { encodeMessage } = await import('../../protocol/index.js');
      const [companion, generator] = createStreamPair();
      let buf = '';
      generator.on('data', (chunk: Buffer) => {
        buf += chunk.toString('latin1');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const request = decoded(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
          if (!request) continue;
          for (const reply of respond(request))
            generator.write(typeof reply === 'string' ? reply : `${encodeMessage(reply)}\n`);
        }
      });
      return { stream: companion, close: async () => void companion.destroy() };
    },
  };
}

export const SCRIPTED_IDENTITY = { proto: 2, firmware: '9.9.9', serial: 'FAKE-1', bootId: '0badc0de' };
export const SCRIPTED_SESSION = '5c41e7ed';
export const SCRIPTED_LIMITS = hardwareLimitsOf(defaultGeneratorConfig());
export const SCRIPTED_STATE = {
  output: 'off' as const,
  mode: 'none' as const,
  rateHz: 50,
  pulseWidthUs: 200,
  amplitudeUa: 0,
  contacts: '00000000',
  batteryPct: 90,
  faults: [],
  committed: false,
  programRev: 0,
};
