import type { Duplex } from 'node:stream';
import {
  ErrorCode,
  LineSplitter,
  decodeRequest,
  encodeMessage,
  outputOffSeqOf,
  stopSeqOf,
  type DecodeErrorCode,
  type GeneratorEvent,
  type Message,
} from '../protocol/index.js';
import { FaultInjector, type FaultInjectorOptions } from './fault-injector.js';
import { GeneratorModel, type GeneratorConfig, type Program } from './generator-model.js';
import { TransmitQueue } from './transmit-queue.js';

/**
 * The serial shell around the pure model: lines in (capped, counted), decode, model, encode, lines out,
 * with optional fault injection on both directions and telemetry at a fixed rate.
 */

export interface GeneratorServerOptions {
  /** Use this model (tests); otherwise a new one from `config`. */
  model?: GeneratorModel;
  config?: Partial<GeneratorConfig>;
  /** TEL lines per second once a client has spoken; 0 turns telemetry off. Default 10. */
  telemetryHz?: number;
  faults?: FaultInjectorOptions;
  /** Answer a line with a bad CRC with `NAK seq=0 code=10` instead of dropping it silently. Default false. */
  nakBadCrc?: boolean;
  /** Clock in ms; default performance.now. */
  now?: () => number;
  /** How often the model's clock advances (watchdog, battery), ms. Default 50. */
  tickMs?: number;
  /** A partial line is discarded when no byte has arrived for this long (ms, §7). Default 100. */
  interByteTimeoutMs?: number;
  /** Human-readable happenings (connections, faults, NAKs) for `scs sim`. */
  log?: (message: string) => void;
  /** Every line as the generator got it (after inbound faults) and as it went out (after outbound faults). */
  onWire?: (direction: 'in' | 'out', line: string) => void;
}

export interface ServerCounters {
  /** Complete lines received (before inbound fault injection). */
  linesIn: number;
  /** Lines written (after outbound fault injection: a dropped line is not counted, a duplicate twice). */
  linesOut: number;
  badCrc: number;
  overruns: number;
  naks: number;
  telemetry: number;
  events: number;
}

export interface GeneratorServer {
  readonly model: GeneratorModel;
  readonly counters: ServerCounters;
  readonly faults: FaultInjector;
  /** True while a stream is attached. */
  readonly attached: boolean;
  /** Serves the protocol on `stream` (detaching any previous one). */
  attach(stream: Duplex): void;
  /** Stops serving the current stream without closing it. */
  detach(): void;
  /** Simulates pulling the cable: destroys the attached stream, so the other end sees 'close'. */
  unplug(): void;
  /** The generator reboots: new boot id, output off; EVT boot goes out if a client is listening. */
  reset(): void;
  /** A patient remote changes the program: programRev++ and EVT program-changed go out. */
  externalChange(program: Program): void;
  /** Detaches and stops every timer. */
  close(): void;
}

const NAK_FOR: Record<DecodeErrorCode, number> = {
  'too-long': ErrorCode.LINE_TOO_LONG,
  'bad-crc': ErrorCode.BAD_CRC,
  malformed: ErrorCode.MALFORMED,
  'unknown-verb': ErrorCode.UNKNOWN_VERB,
  'bad-field': ErrorCode.BAD_FIELD,
};

/** As Pulse Pal's serial reader does (PROTOCOL.md §7): a line's bytes arrive together or not at all. */
export const DEFAULT_INTER_BYTE_TIMEOUT_MS = 100;

export function createGeneratorServer(options: GeneratorServerOptions = {}): GeneratorServer {
  const model = options.model ?? new GeneratorModel(options.config);
  const now = options.now ?? (() => performance.now());
  const log = options.log ?? (() => {});
  const faults = new FaultInjector(options.faults);
  const telemetryHz = options.telemetryHz ?? 10;
  const counters: ServerCounters = {
    linesIn: 0,
    linesOut: 0,
    badCrc: 0,
    overruns: 0,
    naks: 0,
    telemetry: 0,
    events: 0,
  };

  let stream: Duplex | undefined;
  let clientSpoke = false;
  // Replies and events wait here while the reader is behind; STOP's ACK goes ahead of them (§4.5).
  const transmit = new TransmitQueue(
    (text) => !stream || stream.destroyed || stream.write(Buffer.from(text, 'latin1')),
  );
  let telemetryTimer: NodeJS.Timeout | undefined;
  const splitter = new LineSplitter((line) => {
    // An empty line is nothing, not even a counted line: a host sends a bare \n on connect (§2).
    if (line === '') return;
    counters.linesIn++;
    faults.apply('inbound', line, onLine);
  });

  // The model's clock runs whether or not a client is attached: the watchdog must fire on an unplugged link.
  const tickTimer = setInterval(() => flushEvents(), options.tickMs ?? 50);
  tickTimer.unref();

  function writeLine(line: string): void {
    if (!stream || stream.destroyed) return;
    counters.linesOut++;
    options.onWire?.('out', line);
    transmit.push(`${line}\n`);
  }

  function send(message: Message): void {
    if (message.type === 'NAK') counters.naks++;
    faults.apply('outbound', encodeMessage(message), writeLine);
  }

  function nak(seq: number, code: number, message: string): void {
    log(`NAK seq=${seq} code=${code}: ${message}`);
    send({ type: 'NAK', seq, code, message });
  }

  function flushEvents(): void {
    const events: GeneratorEvent[] = model.tick(now());
    for (const event of events) {
      log(`EVT ${event.kind}${event.reason ? ` (${event.reason})` : ''}`);
      if (!clientSpoke) continue;
      counters.events++;
      send(event);
    }
  }

  function onLine(line: string): void {
    // An empty line is nothing (a v2.0 host sent a bare \n on connect; now it sends CAN, §2).
    if (line === '' || line === '\r') return;
    options.onWire?.('in', line);
    if (!clientSpoke) {
      clientSpoke = true;
      startTelemetry();
    }
    const decoded = decodeRequest(line);
    if (!decoded.ok) {
      const { code, detail, seq } = decoded.error;
      if (code === 'bad-crc') {
        // The sequence number of a corrupted line cannot be trusted: drop it; the sender retransmits.
        counters.badCrc++;
        log(`dropped a line with a bad CRC (${counters.badCrc} so far)`);
        if (options.nakBadCrc) nak(0, ErrorCode.BAD_CRC, detail);
        return;
      }
      // STOP is never refused (§4.5): a CRC-valid STOP line runs whatever its other fields say.
      const stopSeq = stopSeqOf(line);
      if (stopSeq !== undefined) return answer(() => model.stopUnread(stopSeq, now()));
      // Nor is turning output off (§4.4, v2.2): a CRC-valid OUTPUT on=0 runs whatever else is missing.
      const offSeq = outputOffSeqOf(line);
      if (offSeq !== undefined) return answer(() => model.outputOffUnread(offSeq, now()));
      // Not a valid request: it does not feed the watchdog (§7), whatever its CRC.
      nak(seq ?? 0, NAK_FOR[code], detail);
      return;
    }
    answer(() => model.handle(decoded.message, now()));
  }

  /** A request's reply: events raised before it (e.g. a watchdog stop) go out first, those it raises after. */
  function answer(reply: () => Message): void {
    flushEvents();
    send(reply());
    flushEvents();
  }

  function startTelemetry(): void {
    if (telemetryHz <= 0 || telemetryTimer) return;
    telemetryTimer = setInterval(() => {
      // Telemetry is best effort: skip it while the reader is behind rather than queue without bound.
      if (!stream || transmit.blocked) return;
      counters.telemetry++;
      send({ type: 'TEL', state: model.state });
    }, 1000 / telemetryHz);
    telemetryTimer.unref();
  }

  function stopTelemetry(): void {
    if (telemetryTimer) clearInterval(telemetryTimer);
    telemetryTimer = undefined;
  }

  const interByteTimeoutMs = options.interByteTimeoutMs ?? DEFAULT_INTER_BYTE_TIMEOUT_MS;
  let lastByteMs = now();
  const onData = (chunk: Buffer | string): void => {
    // A line that stalled longer than the inter-byte timeout was torn (writer killed, cable pulled on a
    // pty whose master never closes): it is dropped, so what comes next cannot complete it (§7).
    const at = now();
    if (splitter.partial && at - lastByteMs > interByteTimeoutMs) {
      splitter.reset();
      log(`partial line dropped after ${Math.round(at - lastByteMs)} ms without a byte`);
    }
    lastByteMs = at;
    const before = splitter.overruns;
    splitter.push(chunk);
    for (let i = before; i < splitter.overruns; i++) {
      counters.overruns++;
      nak(0, ErrorCode.LINE_TOO_LONG, 'line longer than 256 bytes discarded');
    }
  };
  const onDrain = (): void => transmit.drain();
  const onClose = (): void => {
    log('client stream closed');
    detach();
  };
  const onError = (err: Error): void => log(`stream error: ${err.message}`);

  function attach(next: Duplex): void {
    detach();
    stream = next;
    clientSpoke = false;
    transmit.clear();
    next.on('data', onData);
    next.on('drain', onDrain);
    next.on('close', onClose);
    next.on('error', onError);
    log('stream attached');
  }

  function detach(): void {
    if (!stream) return;
    stream.off('data', onData);
    stream.off('drain', onDrain);
    stream.off('close', onClose);
    stream.off('error', onError);
    stream = undefined;
    transmit.clear();
    splitter.reset();
    faults.cancelPending();
    stopTelemetry();
  }

  return {
    model,
    counters,
    faults,
    get attached() {
      return stream !== undefined;
    },
    attach,
    detach,
    unplug() {
      const s = stream;
      detach();
      log('unplugged');
      s?.destroy();
    },
    reset() {
      model.reset(now());
      log(`reset: new boot id ${model.bootId}`);
      flushEvents();
    },
    externalChange(program) {
      model.externalChange(program, now());
      flushEvents();
    },
    close() {
      detach();
      clearInterval(tickTimer);
    },
  };
}
