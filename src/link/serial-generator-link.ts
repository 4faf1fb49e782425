import type { GeneratorState, ImpedanceReading, Reply, Request } from '../../protocol/index.js';
import { CompanionSession } from './companion-session.js';
import {
  DisconnectedError,
  StaleCommandError,
  VersionMismatchError,
  type GeneratorLink,
  type Handshake,
  type LinkEvent,
  type LinkStatus,
  type Program,
} from './generator-link.js';
import { openSession } from './handshake.js';
import { Heartbeat } from './heartbeat.js';
import { HeldStops, confirmStop, stopStates, unansweredStop } from './stop-path.js';
import { LinkEventHub } from './link-events.js';
import { linkTrace, type Trace } from './link-trace.js';
import { emptyLinkStats, type LinkStats } from './link-stats.js';
import { resolveTiming, type LinkTiming } from './link-timing.js';
import type { PortOpener } from './port-opener.js';
import { outputApplied, programApplied } from './readback.js';
import { LOSS_REASON, ResetAfterReplies } from './loss-reasons.js';
import { ReconnectLoop } from './reconnect-loop.js';
import { ackedImpedance, ackedState, isNewBoot, type StateAckKind } from './reply-checks.js';
import { RequestChannel } from './request-channel.js';
import { RequestQueue } from './request-queue.js';

export interface SerialLinkOptions {
  opener: PortOpener;
  timing?: Partial<LinkTiming>;
  /** First sequence number (default 1; tests start near the end of the space). */
  firstSeq?: number;
  /** Companion instance id, 8 lower-case hex digits (default random, one per link). */
  companionId?: string;
  /** Default: on when DEBUG / SCS_DEBUG ask for it (link-trace.ts). */
  trace?: Trace;
}

/**
 * GeneratorLink over a byte stream (a real serial port or the built-in simulator). The parts live
 * beside it: one connection's lines (request-channel.ts), its opening (handshake.ts), ordinary
 * requests one at a time (request-queue.ts), STOP confirmed or held (stop-path.ts), the idle
 * heartbeat (heartbeat.ts), reconnection (reconnect-loop.ts), the trace (link-trace.ts).
 * Safety rules kept here: no request is carried over a lost connection; STOP jumps every queue (what waits
 * is rejected as stale), pressed while (re)connecting it goes first, before HELLO; SET and OUTPUT name the
 * session and revision they were computed from (§3); no reconnection turns output on; every write is read back.
 */
export class SerialGeneratorLink implements GeneratorLink {
  readonly source: 'simulator' | 'serial';
  readonly description: string;
  private readonly opener: PortOpener;
  private readonly timing: LinkTiming;
  private readonly session: CompanionSession;
  private readonly counters: LinkStats = emptyLinkStats();
  private readonly trace: Trace;
  private readonly events: LinkEventHub;
  private readonly reconnect: ReconnectLoop;

  private channel: RequestChannel | undefined;
  /** The connection whose handshake is under way (not yet serving requests; STOP may use it). */
  private opening: RequestChannel | undefined;
  private handshake: Handshake | undefined;
  private previousBootId: string | undefined;
  private lastState: GeneratorState | undefined;
  private readonly queue: RequestQueue;
  private readonly heldStops = new HeldStops();
  private readonly resets = new ResetAfterReplies();
  private readonly heartbeat: Heartbeat;
  private connecting: Promise<Handshake> | undefined;
  private closed = false;

  constructor(options: SerialLinkOptions) {
    this.opener = options.opener;
    this.source = options.opener.source;
    this.description = options.opener.description;
    this.timing = resolveTiming(options.timing);
    this.events = new LinkEventHub((this.trace = options.trace ?? linkTrace()));
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
      this.trace,
    );
    this.queue = new RequestQueue({
      session: this.session,
      bootId: () => this.handshake?.identity.bootId,
      channel: () => (this.resets.holds(this.channel) ? undefined : this.channel),
      lose: (channel, reason) => {
        if (this.channel === channel) this.loseLink(reason);
      },
      reread: async (_channel, send) => this.readOf(await send(this.session.plain('STATE')), 'STATE'),
      trace: this.trace,
    });
    this.heartbeat = new Heartbeat(
      this.timing.heartbeatIntervalMs,
      // No beat beside an unanswered STOP: nothing of ours feeds the watchdog then (bb4-F12).
      () => this.channel !== undefined && this.queue.idle && !this.channel.stopUnanswered(),
      () => {
        // Not a read the session acts on: its state is shown, never the basis of a write (H17).
        this.enqueue(
          (seq) => this.session.plain('HB', seq),
          (reply) => {
            const state = ackedState(reply, 'HB');
            if (this.session.answered(reply.seq)) this.lastState = state;
          },
        ).catch(() => undefined); // a failed heartbeat already counts as a lost link (request-queue.ts)
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
    this.heartbeat.stop();
    const gone = () => new DisconnectedError('the link was closed');
    this.queue.drop(gone);
    this.heldStops.drop(gone);
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
      (reply) => programApplied(program, this.readOf(reply, 'SET')),
    );
  }

  setOutput(on: boolean, mode: 'test' | 'therapy'): Promise<GeneratorState> {
    return this.enqueue(
      (seq) => ({ type: 'OUTPUT', seq, ...this.session.stamp(), on, mode }),
      (reply) => outputApplied(on, mode, this.readOf(reply, 'OUTPUT')),
    );
  }

  measureImpedance(): Promise<ImpedanceReading[]> {
    return this.enqueue((seq) => this.session.plain('IMP', seq), ackedImpedance);
  }

  stop(): Promise<GeneratorState> {
    if (this.closed) return Promise.reject(new DisconnectedError('the link was closed'));
    // Whatever waits in the queue was decided before STOP: it must never reach the generator.
    this.queue.drop(() => new StaleCommandError(`cancelled by STOP before it was sent`));
    const channel = this.channel ?? this.opening;
    return this.heldStops.send(channel, channel !== this.channel, (c) => this.sendStop(c));
  }

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
        const emit = () => this.events.emit({ type: 'generator-event', event: message });
        if (!isNewBoot(message, this.handshake?.identity.bootId) || this.channel !== channel) return emit();
        // A reset without a port close: interrogate afresh, after the replies read before it (bb4-F5).
        this.resets.defer(channel, () => (emit(), this.channel === channel && this.loseLink(LOSS_REASON.reset)));
      },
      onLost: (reason) => {
        if (this.channel === channel) this.loseLink(reason);
      },
      trace: this.trace,
    });
    this.opening = channel;
    try {
      // Finite retries: a port that swallows everything is abandoned, and the next attempt sends it again.
      const releaseHeldStops = () => this.heldStops.release(() => this.sendStop(channel));
      const handshake = await openSession(channel, this.session, releaseHeldStops);
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
      this.heartbeat.start();
      this.queue.pump();
      return handshake;
    } catch (error) {
      await channel.close('handshake failed');
      throw error;
    } finally {
      if (this.opening === channel) this.opening = undefined;
    }
  }

  private loseLink(reason: string): void {
    const channel = this.channel;
    if (!channel || this.closed) return;
    this.channel = undefined;
    this.counters.linkLosses++;
    this.heartbeat.stop();
    void channel.close(reason); // rejects what was sent and unanswered (STOP included)
    this.queue.drop(() => new DisconnectedError(`not sent: ${reason}`));
    this.events.setStatus('reconnecting', reason);
    this.reconnect.schedule();
  }

  private enqueue<T>(build: (seq: number) => Request, accept: (reply: Reply) => T): Promise<T> {
    if (this.closed) return Promise.reject(new DisconnectedError('the link was closed'));
    if (!this.channel) {
      return Promise.reject(
        new DisconnectedError(`not connected to the generator (${this.events.status}); nothing was sent`),
      );
    }
    return this.queue.add(build, accept);
  }

  /**
   * STOP on a connection (stop-path.ts); a re-read after it is shown like telemetry (H17). Retransmitted
   * `REQUEST_RETRIES` times like any request (§3.3), then the generator counts as not answering (bb4-F12).
   */
  private sendStop(channel: RequestChannel): Promise<GeneratorState> {
    const read = (reply: Reply) => this.readOf(reply, 'STATE');
    const view = (state: GeneratorState) => this.events.emit({ type: 'telemetry', state });
    const states = stopStates(this.queue, this.session, read, (state) => (this.lastState = state), view);
    return confirmStop(channel, this.session, this.timing.requestRetries, states).catch((error: unknown) =>
      unansweredStop(error, channel, this.channel === channel, this.heldStops, (reason) => this.loseLink(reason)),
    );
  }

  /** The state a request's ACK carries: the companion's latest view and the basis of its next write. */
  private readOf(reply: Reply, of: StateAckKind): GeneratorState {
    const acked = ackedState(reply, of);
    // Newer by seq, never by rev: revisions wrap (§3.4, revision-order.ts).
    if (this.session.answered(reply.seq)) this.lastState = acked;
    this.session.noteRead(acked, reply.seq);
    return acked;
  }
}
