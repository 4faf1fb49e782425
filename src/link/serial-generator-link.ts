import { ErrorCode, PROTOCOL_VERSION, type GeneratorState, type ImpedanceReading, type Reply, type Request } from '../../protocol/index.js';
import {
  DisconnectedError,
  LinkTimeoutError,
  NakError,
  OutputMismatchError,
  ReadbackMismatchError,
  StaleCommandError,
  VersionMismatchError,
  type GeneratorLink,
  type Handshake,
  type LinkEvent,
  type LinkStatus,
  type Program,
} from './generator-link.js';
import { LinkEventHub } from './link-events.js';
import { emptyLinkStats, type LinkStats } from './link-stats.js';
import { reconnectDelay, resolveTiming, type LinkTiming } from './link-timing.js';
import type { PortOpener } from './port-opener.js';
import { outputMatches, programMatches } from './readback.js';
import { ackedImpedance, ackedState, checkHello, type StateAckKind } from './reply-checks.js';
import { RequestChannel } from './request-channel.js';
import { SequenceCounter, randomFirstSeq } from './sequence-counter.js';

/**
 * GeneratorLink over a byte stream (a real serial port or the built-in simulator).
 *
 * Safety rules kept here:
 * - ordinary requests go one at a time; a request is never carried over a lost connection;
 * - STOP jumps every queue: it is sent at once, queued-but-unsent requests are rejected as stale;
 *   STOP pressed while (re)connecting is sent first thing after the next HELLO;
 * - after a loss it reconnects (new port object, HELLO, STATE) and never turns output on by itself;
 * - every write is checked against the generator's read-back.
 */

export interface SerialLinkOptions {
  opener: PortOpener;
  timing?: Partial<LinkTiming>;
  /** First sequence number (default random, so a restarted companion never reuses its predecessor's). */
  firstSeq?: number;
}

interface Queued {
  build(seq: number): Request;
  accept(reply: Reply): unknown;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface HeldStop {
  resolve(state: GeneratorState): void;
  reject(error: Error): void;
}

export class SerialGeneratorLink implements GeneratorLink {
  readonly source: 'simulator' | 'serial';
  readonly description: string;
  private readonly opener: PortOpener;
  private readonly timing: LinkTiming;
  private readonly seq: SequenceCounter;
  private readonly counters: LinkStats = emptyLinkStats();
  private readonly events = new LinkEventHub();

  private channel: RequestChannel | undefined;
  private handshake: Handshake | undefined;
  private previousBootId: string | undefined;
  private lastState: GeneratorState | undefined;
  private readonly queue: Queued[] = [];
  private inFlight = false;
  private heldStops: HeldStop[] = [];
  private connecting: Promise<Handshake> | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempt = 0;
  private closed = false;

  constructor(options: SerialLinkOptions) {
    this.opener = options.opener;
    this.source = options.opener.source;
    this.description = options.opener.description;
    this.timing = resolveTiming(options.timing);
    this.seq = new SequenceCounter(options.firstSeq ?? randomFirstSeq());
  }

  get status(): LinkStatus {
    return this.events.status;
  }

  /** The generator state from the latest ACK or telemetry line, if any. */
  get state(): GeneratorState | undefined {
    return this.lastState;
  }

  stats(): LinkStats {
    return { ...this.counters };
  }

  subscribe(listener: (event: LinkEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  connect(): Promise<Handshake> {
    if (this.closed) return Promise.reject(new DisconnectedError('the link was closed; open a new one'));
    if (this.channel && this.handshake) return Promise.resolve(this.handshake);
    if (this.connecting) return this.connecting;
    this.events.setStatus('connecting');
    this.connecting = this.establish().then(
      (handshake) => {
        this.connecting = undefined;
        return handshake;
      },
      (error: Error) => {
        this.connecting = undefined;
        if (!this.closed && !this.channel) this.events.setStatus('disconnected', error.message);
        throw error;
      },
    );
    return this.connecting;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    const gone = () => new DisconnectedError('the link was closed');
    for (const item of this.queue.splice(0)) item.reject(gone());
    for (const held of this.heldStops.splice(0)) held.reject(gone());
    const channel = this.channel;
    this.channel = undefined;
    await channel?.close('the link was closed');
    this.events.setStatus('disconnected', 'closed');
    await this.opener.dispose?.();
  }

  readState(): Promise<GeneratorState> {
    return this.enqueue((seq) => ({ type: 'STATE', seq }), (reply) => this.stateOf(reply, 'STATE'));
  }

  setProgram(program: Program): Promise<GeneratorState> {
    return this.enqueue(
      (seq) => ({ type: 'SET', seq, ...program }),
      (reply) => {
        const applied = this.stateOf(reply, 'SET');
        if (!programMatches(program, applied)) throw new ReadbackMismatchError(program, applied);
        return applied;
      },
    );
  }

  setOutput(on: boolean, mode: 'test' | 'therapy'): Promise<GeneratorState> {
    return this.enqueue(
      (seq) => ({ type: 'OUTPUT', seq, on, mode }),
      (reply) => {
        const applied = this.stateOf(reply, 'OUTPUT');
        if (!outputMatches(on, mode, applied)) throw new OutputMismatchError({ on, mode }, applied);
        return applied;
      },
    );
  }

  measureImpedance(): Promise<ImpedanceReading[]> {
    return this.enqueue((seq) => ({ type: 'IMP', seq }), ackedImpedance);
  }

  stop(): Promise<GeneratorState> {
    if (this.closed) return Promise.reject(new DisconnectedError('the link was closed'));
    // Whatever waits in the queue was decided before STOP: it must never reach the generator.
    for (const item of this.queue.splice(0)) item.reject(new StaleCommandError(`cancelled by STOP before it was sent`));
    const channel = this.channel;
    if (!channel) return new Promise((resolve, reject) => this.heldStops.push({ resolve, reject }));
    return this.sendStop(channel);
  }

  // ---- connection lifecycle -------------------------------------------------------------------

  /** Opens a new port object, HELLO (version check), any held STOP, then STATE. */
  private async establish(): Promise<Handshake> {
    const connection = await this.opener.open();
    if (this.closed) {
      await connection.close();
      throw new DisconnectedError('the link was closed');
    }
    let channel: RequestChannel | undefined = undefined;
    channel = new RequestChannel(connection, this.timing, this.counters, {
      onUnsolicited: (message) => {
        if (message.type === 'TEL') {
          this.lastState = message.state;
          this.events.emit({ type: 'telemetry', state: message.state });
          return;
        }
        this.events.emit({ type: 'generator-event', event: message });
        // A reset without a port close: the generator lost its state, so interrogate it afresh.
        const current = this.handshake?.identity.bootId;
        if (message.kind === 'boot' && message.bootId && current && message.bootId !== current && this.channel === channel) {
          this.loseLink('generator reset (new boot id)');
        }
      },
      onLost: (reason) => {
        if (this.channel === channel) this.loseLink(reason);
      },
    });
    try {
      const hello = await channel.send({ type: 'HELLO', seq: this.seq.next(), proto: PROTOCOL_VERSION });
      const { identity, limits } = checkHello(hello);
      await this.releaseHeldStops(channel);
      const state = this.stateOf(await channel.send({ type: 'STATE', seq: this.seq.next() }), 'STATE');
      if (this.closed || !channel.isOpen) throw new DisconnectedError('connection lost during the handshake');
      const resetDetected = this.previousBootId !== undefined && this.previousBootId !== identity.bootId;
      this.previousBootId = identity.bootId;
      this.handshake = { identity, limits, state };
      this.channel = channel;
      this.counters.connections++;
      this.reconnectAttempt = 0;
      this.events.setStatus('connected');
      this.events.emit({ type: 'handshake', handshake: this.handshake, resetDetected });
      this.startHeartbeat();
      this.pump();
      return this.handshake;
    } catch (error) {
      await channel.close('handshake failed');
      throw error;
    }
  }

  private async releaseHeldStops(channel: RequestChannel): Promise<void> {
    if (this.heldStops.length === 0) return;
    const held = this.heldStops.splice(0);
    try {
      const state = await this.sendStop(channel);
      for (const h of held) h.resolve(state);
    } catch (error) {
      for (const h of held) h.reject(error as Error);
      throw error;
    }
  }

  private loseLink(reason: string): void {
    const channel = this.channel;
    if (!channel || this.closed) return;
    this.channel = undefined;
    this.counters.linkLosses++;
    this.stopHeartbeat();
    void channel.close(reason); // rejects what was sent and unanswered (STOP included)
    for (const item of this.queue.splice(0)) item.reject(new DisconnectedError(`not sent: ${reason}`));
    this.events.setStatus('reconnecting', reason);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const delay = reconnectDelay(this.timing, this.reconnectAttempt++);
    this.reconnectTimer = setTimeout(() => {
      this.connecting = this.establish();
      this.connecting.then(
        () => {
          this.connecting = undefined;
        },
        (error: Error) => {
          this.connecting = undefined;
          if (this.closed) return;
          if (error instanceof VersionMismatchError) this.events.emit({ type: 'error', error });
          this.events.setStatus('reconnecting', error.message);
          this.scheduleReconnect();
        },
      );
    }, delay);
  }

  // ---- requests -------------------------------------------------------------------------------

  private enqueue<T>(build: (seq: number) => Request, accept: (reply: Reply) => T): Promise<T> {
    if (this.closed) return Promise.reject(new DisconnectedError('the link was closed'));
    if (!this.channel) {
      return Promise.reject(new DisconnectedError(`not connected to the generator (${this.events.status}); nothing was sent`));
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ build, accept, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Sends the head of the queue when nothing ordinary is outstanding. */
  private pump(): void {
    const channel = this.channel;
    if (this.inFlight || !channel) return;
    const item = this.queue.shift();
    if (!item) return;
    this.inFlight = true;
    channel
      .send(item.build(this.seq.next()))
      .then((reply) => item.resolve(item.accept(reply)))
      .catch((error: Error) => {
        item.reject(error);
        // No reply after every retry: the generator's state is unknown, so interrogate it afresh.
        if (error instanceof LinkTimeoutError && this.channel === channel) this.loseLink('generator stopped answering');
        // NOT_READY: the generator has no session with us, i.e. it was reset and its EVT boot was lost.
        // Reconnect (HELLO shows the new boot id) instead of being refused forever; nothing is replayed.
        if (error instanceof NakError && error.code === ErrorCode.NOT_READY && this.channel === channel) this.loseLink('generator lost its session (reset?)');
      })
      .finally(() => {
        this.inFlight = false;
        this.pump();
      });
  }

  /** STOP beside whatever is outstanding; retransmitted until confirmed or the connection is gone. */
  private async sendStop(channel: RequestChannel): Promise<GeneratorState> {
    const reply = await channel.send({ type: 'STOP', seq: this.seq.next() }, Infinity);
    const applied = this.stateOf(reply, 'STOP');
    if (applied.output !== 'off') throw new OutputMismatchError({ on: false }, applied);
    return applied;
  }

  /** The state an ACK carries, remembered as the companion's latest view of the generator. */
  private stateOf(reply: Reply, of: StateAckKind): GeneratorState {
    this.lastState = ackedState(reply, of);
    return this.lastState;
  }

  // ---- heartbeat and events -------------------------------------------------------------------

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => {
      if (!this.channel || this.inFlight || this.queue.length > 0) return;
      this.enqueue((seq) => ({ type: 'HB', seq }), (reply) => this.stateOf(reply, 'HB')).catch(() => {
        // A failed heartbeat already counts as a lost link (see pump); nothing else to do.
      });
    }, this.timing.heartbeatIntervalMs);
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }
}
