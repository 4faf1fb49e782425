import {
  ErrorCode,
  type GeneratorState,
  type ImpedanceReading,
  type Reply,
  type Request,
} from '../../protocol/index.js';
import { CompanionSession } from './companion-session.js';
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
import { openSession, renewSession } from './handshake.js';
import { LinkEventHub } from './link-events.js';
import { emptyLinkStats, type LinkStats } from './link-stats.js';
import { resolveTiming, type LinkTiming } from './link-timing.js';
import type { PortOpener } from './port-opener.js';
import { outputMatches, programMatches } from './readback.js';
import { ReconnectLoop } from './reconnect-loop.js';
import { ackedImpedance, ackedState, ackedStop, type StateAckKind } from './reply-checks.js';
import { RequestChannel } from './request-channel.js';

/**
 * GeneratorLink over a byte stream (a real serial port or the built-in simulator).
 *
 * Safety rules kept here:
 * - ordinary requests go one at a time; a request is never carried over a lost connection;
 * - STOP jumps every queue: it is sent at once, queued-but-unsent requests are rejected as stale;
 *   STOP pressed while (re)connecting is sent first thing after the next HELLO;
 * - SET and OUTPUT name the session and the revision they were computed from (PROTOCOL.md §3);
 * - after a loss it reconnects (reconnect-loop.ts) and never turns output on by itself;
 * - every write is checked against the generator's read-back.
 */

export interface SerialLinkOptions {
  opener: PortOpener;
  timing?: Partial<LinkTiming>;
  /** First sequence number (default 1; tests start near the end of the space). */
  firstSeq?: number;
  /** Companion instance id, 8 lower-case hex digits (default random, one per link). */
  companionId?: string;
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

/** Refusals that mean the generator holds no session of ours: interrogate it afresh (nothing is replayed). */
const SESSION_GONE: ReadonlyMap<number, string> = new Map([
  [ErrorCode.NOT_READY, 'generator lost its session (reset?)'],
  [ErrorCode.STALE_SESSION, 'generator holds another session'],
]);

export class SerialGeneratorLink implements GeneratorLink {
  readonly source: 'simulator' | 'serial';
  readonly description: string;
  private readonly opener: PortOpener;
  private readonly timing: LinkTiming;
  private readonly session: CompanionSession;
  private readonly counters: LinkStats = emptyLinkStats();
  private readonly events = new LinkEventHub();
  private readonly reconnect: ReconnectLoop;

  private channel: RequestChannel | undefined;
  private handshake: Handshake | undefined;
  private previousBootId: string | undefined;
  private lastState: GeneratorState | undefined;
  private readonly queue: Queued[] = [];
  private inFlight = false;
  private heldStops: HeldStop[] = [];
  private connecting: Promise<Handshake> | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: SerialLinkOptions) {
    this.opener = options.opener;
    this.source = options.opener.source;
    this.description = options.opener.description;
    this.timing = resolveTiming(options.timing);
    this.session = new CompanionSession({
      ...(options.firstSeq !== undefined ? { firstSeq: options.firstSeq } : {}),
      ...(options.companionId !== undefined ? { cid: options.companionId } : {}),
    });
    this.reconnect = new ReconnectLoop(
      this.timing,
      () => (this.connecting = this.establish()).finally(() => (this.connecting = undefined)),
      (error) => {
        if (error instanceof VersionMismatchError) this.events.emit({ type: 'error', error });
        this.events.setStatus('reconnecting', error.message);
      },
    );
  }

  get status(): LinkStatus {
    return this.events.status;
  }

  /** The companion instance id this link sends in every HELLO. */
  get companionId(): string {
    return this.session.cid;
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
    this.reconnect.stop();
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
    return this.enqueue(
      (seq) => this.session.plain('STATE', seq),
      (reply) => this.readOf(reply, 'STATE'),
    );
  }

  setProgram(program: Program): Promise<GeneratorState> {
    return this.enqueue(
      (seq) => ({ type: 'SET', seq, ...this.session.stamp(), ...program }),
      (reply) => {
        const applied = this.readOf(reply, 'SET');
        if (!programMatches(program, applied)) throw new ReadbackMismatchError(program, applied);
        return applied;
      },
    );
  }

  setOutput(on: boolean, mode: 'test' | 'therapy'): Promise<GeneratorState> {
    return this.enqueue(
      (seq) => ({ type: 'OUTPUT', seq, ...this.session.stamp(), on, mode }),
      (reply) => {
        const applied = this.readOf(reply, 'OUTPUT');
        if (!outputMatches(on, mode, applied)) throw new OutputMismatchError({ on, mode }, applied);
        return applied;
      },
    );
  }

  measureImpedance(): Promise<ImpedanceReading[]> {
    return this.enqueue((seq) => this.session.plain('IMP', seq), ackedImpedance);
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

  /** Opens a new port object and a session on it (handshake.ts), then serves the queue. */
  private async establish(): Promise<Handshake> {
    const connection = await this.opener.open();
    if (this.closed) {
      await connection.close();
      throw new DisconnectedError('the link was closed');
    }
    const channel: RequestChannel = new RequestChannel(connection, this.timing, this.counters, {
      onUnsolicited: (message) => {
        if (message.type === 'TEL') {
          this.lastState = message.state;
          this.events.emit({ type: 'telemetry', state: message.state });
          return;
        }
        this.events.emit({ type: 'generator-event', event: message });
        // A reset without a port close: the generator lost its state, so interrogate it afresh.
        const current = this.handshake?.identity.bootId;
        if (
          message.kind === 'boot' &&
          message.bootId &&
          current &&
          message.bootId !== current &&
          this.channel === channel
        ) {
          this.loseLink('generator reset (new boot id)');
        }
      },
      onLost: (reason) => {
        if (this.channel === channel) this.loseLink(reason);
      },
    });
    try {
      const handshake = await openSession(channel, this.session, (c) => this.releaseHeldStops(c));
      if (this.closed || !channel.isOpen) throw new DisconnectedError('connection lost during the handshake');
      this.lastState = handshake.state;
      const resetDetected = this.previousBootId !== undefined && this.previousBootId !== handshake.identity.bootId;
      this.previousBootId = handshake.identity.bootId;
      this.handshake = handshake;
      this.channel = channel;
      this.counters.connections++;
      this.reconnect.succeeded();
      this.events.setStatus('connected');
      this.events.emit({ type: 'handshake', handshake, resetDetected });
      this.startHeartbeat();
      this.pump();
      return handshake;
    } catch (error) {
      await channel.close('handshake failed');
      throw error;
    }
  }

  private async releaseHeldStops(channel: RequestChannel): Promise<void> {
    if (this.heldStops.length === 0) return;
    const held = this.heldStops.splice(0);
    try {
      // Finite retries: a port that swallows everything is abandoned, and the next attempt sends it again.
      const state = await this.sendStop(channel, this.timing.requestRetries);
      for (const h of held) h.resolve(state);
    } catch (error) {
      // Still held: every reconnection attempt sends it first until one is confirmed (§10).
      this.heldStops.unshift(...held);
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
    this.reconnect.schedule();
  }

  // ---- requests -------------------------------------------------------------------------------

  private enqueue<T>(build: (seq: number) => Request, accept: (reply: Reply) => T): Promise<T> {
    if (this.closed) return Promise.reject(new DisconnectedError('the link was closed'));
    if (!this.channel) {
      return Promise.reject(
        new DisconnectedError(`not connected to the generator (${this.events.status}); nothing was sent`),
      );
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
    const send = async (): Promise<Reply> => {
      // No lock-out on long sessions: a new session (same cid, output untouched) before seq runs out.
      if (this.session.renewalDue) await renewSession(channel, this.session);
      return channel.send(item.build(this.session.nextSeq()));
    };
    send()
      .then((reply) => item.resolve(item.accept(reply)))
      .catch((error: Error) => {
        item.reject(error);
        // No reply after every retry: the generator's state is unknown, so interrogate it afresh.
        if (error instanceof LinkTimeoutError && this.channel === channel) this.loseLink('generator stopped answering');
        // No session of ours (a reset whose EVT boot was lost, or another HELLO): reconnect instead of
        // being refused forever; nothing is replayed.
        const gone = error instanceof NakError ? SESSION_GONE.get(error.code) : undefined;
        if (gone && this.channel === channel) this.loseLink(gone);
      })
      .finally(() => {
        this.inFlight = false;
        this.pump();
      });
  }

  /**
   * STOP beside whatever is outstanding, retransmitted until confirmed by its short ACK. The full state
   * is derived from the last read when the revision accounts for the STOP alone, else read with STATE.
   */
  private async sendStop(channel: RequestChannel, retries = Infinity): Promise<GeneratorState> {
    const confirmed = ackedStop(await channel.send(this.session.stopRequest(), retries));
    const derived = this.session.afterStop(confirmed);
    if (derived) return (this.lastState = derived);
    const applied = this.readOf(await channel.send(this.session.plain('STATE'), retries), 'STATE');
    if (confirmed.output !== 'off' || applied.output !== 'off') throw new OutputMismatchError({ on: false }, applied);
    return applied;
  }

  /** The state a request's ACK carries: the companion's latest view and the basis of its next write. */
  private readOf(reply: Reply, of: StateAckKind): GeneratorState {
    this.lastState = ackedState(reply, of);
    this.session.noteRead(this.lastState);
    return this.lastState;
  }

  // ---- heartbeat ------------------------------------------------------------------------------

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => {
      if (!this.channel || this.inFlight || this.queue.length > 0) return;
      // Not a read the session acts on: its state is shown, never the basis of a write (H17).
      this.enqueue(
        (seq) => this.session.plain('HB', seq),
        (reply) => (this.lastState = ackedState(reply, 'HB')),
      ).catch(() => {
        // A failed heartbeat already counts as a lost link (see pump); nothing else to do.
      });
    }, this.timing.heartbeatIntervalMs);
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }
}
