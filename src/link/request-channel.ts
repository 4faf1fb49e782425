import {
  CANCEL,
  ErrorCode,
  LineSplitter,
  decodeMessage,
  encodeMessage,
  type GeneratorEvent,
  type Reply,
  type Request,
  type Telemetry,
} from '../../protocol/index.js';
import { DisconnectedError, LinkError, LinkTimeoutError, StaleCommandError } from './generator-link.js';
import type { LinkStats } from './link-stats.js';
import type { Trace } from './link-trace.js';
import type { LinkTiming } from './link-timing.js';
import { PacedWire } from './paced-wire.js';
import type { PortConnection } from './port-opener.js';

export interface ChannelHandlers {
  /** TEL and EVT lines. */
  onUnsolicited(message: GeneratorEvent | Telemetry): void;
  /** The connection is gone (port closed, unplugged, stream error). Called once. */
  onLost(reason: string): void;
  /** Every line in and out, retransmission and timeout (link-trace.ts); undefined when off. */
  trace?: Trace;
}

interface Outstanding {
  request: Request;
  line: string;
  attemptsLeft: number;
  timer: NodeJS.Timeout | undefined;
  /** Copies handed to the wire (the first and every retransmission). */
  copies: number;
  /** Overtaken by a STOP: never retransmitted. */
  halted?: boolean;
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/** Requests that change the generator: SET and OUTPUT. */
function isWrite(request: Request): boolean {
  return request.type === 'SET' || request.type === 'OUTPUT';
}

/** NAK codes that say the line was damaged on the way, not refused: retransmit instead of failing. */
const TRANSPORT_NAKS: ReadonlySet<number> = new Set([ErrorCode.BAD_CRC, ErrorCode.LINE_TOO_LONG]);

/**
 * One connection's request/reply engine: lines in and out, replies matched by sequence number,
 * retransmission of the SAME line after a timeout. Several requests may be outstanding (STOP beside
 * an ordinary request); ordering between ordinary requests is the link's job.
 */
export class RequestChannel {
  private readonly outstanding = new Map<number, Outstanding>();
  private readonly splitter: LineSplitter;
  private countedOverruns = 0;
  private closed = false;
  private readonly detach: () => void;
  /** Our transmit side: paced on a serial line, so a STOP can cut what has not left yet (§4.5). */
  private readonly wire: PacedWire<Outstanding | undefined>;

  constructor(
    private readonly connection: PortConnection,
    private readonly timing: LinkTiming,
    private readonly stats: LinkStats,
    private readonly handlers: ChannelHandlers,
  ) {
    this.splitter = new LineSplitter((line) => this.onLine(line));
    const stream = connection.stream;
    this.wire = new PacedWire((bytes) => void stream.write(bytes), connection.pacing);
    const onData = (chunk: Buffer | string) => {
      this.splitter.push(chunk);
      this.stats.overruns += this.splitter.overruns - this.countedOverruns;
      this.countedOverruns = this.splitter.overruns;
    };
    // serialport reports an unplug as 'close' with err.disconnected, not as 'error'.
    const onClose = (err?: Error & { disconnected?: boolean }) =>
      this.lose(err?.disconnected ? 'port disconnected (unplugged?)' : 'port closed');
    const onEnd = () => this.lose('port closed by the other end');
    const onError = (err: Error) => this.lose(`port error: ${err.message}`);
    stream.on('data', onData);
    stream.on('close', onClose);
    stream.on('end', onEnd);
    stream.on('error', onError);
    this.detach = () => {
      stream.off('data', onData);
      stream.off('close', onClose);
      stream.off('end', onEnd);
      // Keep a no-op error listener: a late error on a discarded port must not crash the process.
      stream.off('error', onError);
      stream.on('error', () => {});
    };
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * Sends a request and resolves with its reply (ACK or NAK). Retransmits the same line up to
   * `retries` times (Infinity: until the connection closes). Rejects with LinkTimeoutError after the
   * last attempt, DisconnectedError when the connection goes.
   */
  send(request: Request, retries = this.timing.requestRetries): Promise<Reply> {
    if (this.closed) return Promise.reject(new DisconnectedError('not connected to the generator'));
    let line: string;
    try {
      line = encodeMessage(request);
    } catch (e) {
      // A bad value never reaches the wire (H7).
      return Promise.reject(new LinkError(`refused before sending ${request.type}: ${(e as Error).message}`));
    }
    // Nothing decided before a STOP is sent again after it (README: never sent later; F-L6).
    if (request.type === 'STOP') this.haltWrites();
    return new Promise<Reply>((resolve, reject) => {
      const entry: Outstanding = { request, line, attemptsLeft: retries, timer: undefined, copies: 0, resolve, reject };
      this.outstanding.set(request.seq, entry);
      this.transmit(entry);
    });
  }

  /** Every request sent on this connection has its reply (none outstanding). */
  get answeredAll(): boolean {
    return this.outstanding.size === 0;
  }

  /** Whether a STOP was sent on this connection and is not answered yet. */
  stopUnanswered(): boolean {
    return [...this.outstanding.values()].some((entry) => entry.request.type === 'STOP');
  }

  /** SET and OUTPUT requests sent and not yet answered, in the order sent (a Map keeps it). */
  unansweredWrites(): Request[] {
    return [...this.outstanding.values()].map((entry) => entry.request).filter(isWrite);
  }

  /**
   * A STOP is going out: unanswered SET/OUTPUT lines are never retransmitted (a reply already on its
   * way is still taken). Their promises settle after the STOP is answered (`abandonWrites`).
   */
  private haltWrites(): void {
    for (const entry of this.outstanding.values()) {
      if (!isWrite(entry.request)) continue;
      clearTimeout(entry.timer);
      entry.timer = undefined;
      entry.attemptsLeft = 0;
      entry.halted = true;
    }
  }

  /**
   * The STOP is answered: each write it overtook and still unanswered gets one more reply window (a reply
   * already on its way is taken, §4.5) and is then given up, never sent again; a later reply is unmatched.
   * Whether it ran shows in the state read after the STOP.
   */
  abandonWrites(): void {
    for (const entry of this.outstanding.values()) {
      if (!entry.halted || entry.timer) continue;
      entry.timer = setTimeout(() => {
        if (this.outstanding.get(entry.request.seq) !== entry) return;
        this.outstanding.delete(entry.request.seq);
        const { type, seq } = entry.request;
        this.handlers.trace?.(`${type} seq ${seq} overtaken by STOP and unanswered: abandoned, never sent again`);
        entry.reject(new StaleCommandError(`${type} (seq ${seq}) not confirmed: STOP came first; never sent again`));
      }, this.timing.requestTimeoutMs);
    }
  }

  /**
   * Writes CAN (0x18): the generator silently discards any partial line an earlier connection left in
   * its buffer, even one cut after its CRC, which a bare `\n` would have completed and run (§2).
   */
  flushPartialLine(): void {
    if (this.closed) return;
    this.handlers.trace?.('> CAN (discard any partial line)');
    this.wire.send(Buffer.from(CANCEL, 'latin1'), undefined);
  }

  /** Closes the connection, rejecting everything outstanding with DisconnectedError. Idempotent. */
  async close(reason = 'link closed'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wire.stop();
    this.detach();
    this.splitter.reset();
    for (const entry of this.outstanding.values()) {
      clearTimeout(entry.timer);
      entry.reject(new DisconnectedError(`${entry.request.type} not confirmed: ${reason}`));
    }
    this.outstanding.clear();
    await this.connection.close();
  }

  private lose(reason: string): void {
    if (this.closed) return;
    this.handlers.trace?.(`connection lost: ${reason}`);
    void this.close(reason);
    this.handlers.onLost(reason);
  }

  private transmit(entry: Outstanding): void {
    if (this.closed) return;
    this.stats.linesOut++;
    entry.copies++;
    if (entry.request.type === 'STOP') {
      // STOP goes as CAN + STOP at once: a torn line before it cannot swallow it (§2, §4.5), and what of
      // our own lines has not left yet is cut: a read goes again whole after it, a write never (cutWrites).
      this.handlers.trace?.(`> CAN ${entry.line}`);
      const stop = Buffer.from(`${CANCEL}${entry.line}\n`, 'latin1');
      this.cutWrites(this.wire.cutFor(stop, (tag) => tag !== undefined && !isWrite(tag.request)));
    } else {
      this.handlers.trace?.(`> ${entry.line}`);
      this.wire.send(Buffer.from(`${entry.line}\n`, 'latin1'), entry);
    }
    entry.timer = setTimeout(() => this.onTimeout(entry), this.timing.requestTimeoutMs);
  }

  /**
   * SET/OUTPUT copies a STOP cut before their `\n` left (§4.5, host-side cut). A write none of whose
   * copies reached the generator whole never ran and never will (CAN discards a torn line): it settles
   * at once as not executed, is never sent again, and is no longer among the writes the STOP overtook.
   */
  private cutWrites(cut: readonly (Outstanding | undefined)[]): void {
    for (const entry of new Set(cut)) {
      if (!entry || this.outstanding.get(entry.request.seq) !== entry) continue;
      if (cut.filter((copy) => copy === entry).length < entry.copies) continue; // a copy left whole: overtaken
      clearTimeout(entry.timer);
      this.outstanding.delete(entry.request.seq);
      const { type, seq } = entry.request;
      this.handlers.trace?.(`${type} seq ${seq} cut by STOP before its end was sent: never executed, never sent again`);
      entry.reject(new StaleCommandError(`${type} (seq ${seq}) not executed: STOP cut it before it was sent whole`));
    }
  }

  private onTimeout(entry: Outstanding): void {
    if (this.outstanding.get(entry.request.seq) !== entry || entry.halted) return;
    if (entry.attemptsLeft > 0) {
      entry.attemptsLeft--;
      this.stats.retries++;
      this.handlers.trace?.(`no reply to ${entry.request.type} seq ${entry.request.seq}: retransmitting the same line`);
      this.transmit(entry);
      return;
    }
    this.handlers.trace?.(`no reply to ${entry.request.type} seq ${entry.request.seq} after every retry: giving up`);
    this.outstanding.delete(entry.request.seq);
    this.stats.timeouts++;
    const attempts = this.timing.requestRetries + 1;
    entry.reject(
      new LinkTimeoutError(
        `no reply from the generator to ${entry.request.type} (seq ${entry.request.seq}) after ${attempts} attempts`,
      ),
    );
  }

  private onLine(line: string): void {
    this.stats.linesIn++;
    this.handlers.trace?.(`< ${line}`);
    const decoded = decodeMessage(line);
    if (!decoded.ok) {
      if (decoded.error.code === 'bad-crc') this.stats.badCrc++;
      else if (decoded.error.code === 'too-long') this.stats.overruns++;
      else this.stats.decodeErrors++;
      return;
    }
    const message = decoded.message;
    if (message.type === 'TEL' || message.type === 'EVT') {
      this.handlers.onUnsolicited(message);
      return;
    }
    if (message.type !== 'ACK' && message.type !== 'NAK') {
      this.stats.decodeErrors++; // a request verb from the generator: not ours to answer
      return;
    }
    if (message.type === 'NAK') this.stats.naks++;
    const entry = this.outstanding.get(message.seq);
    if (!entry) {
      this.stats.unmatchedReplies++;
      return;
    }
    if (message.type === 'ACK' && message.of !== entry.request.type) {
      this.stats.unmatchedReplies++;
      return;
    }
    clearTimeout(entry.timer);
    if (message.type === 'NAK' && TRANSPORT_NAKS.has(message.code) && entry.attemptsLeft > 0) {
      // Our line was damaged in transit: resend it now rather than wait for the timeout.
      this.handlers.trace?.(`NAK ${message.code} to seq ${message.seq}: damaged on the way, retransmitting`);
      entry.attemptsLeft--;
      this.stats.retries++;
      this.transmit(entry);
      return;
    }
    this.outstanding.delete(message.seq);
    entry.resolve(message);
  }
}
