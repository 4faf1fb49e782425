import { GeneratorModel, type GeneratorConfig } from '../../firmware-sim/generator-model.js';
import {
  PROTOCOL_VERSION,
  type GeneratorEvent,
  type GeneratorState,
  type ImpedanceReading,
  type Reply,
  type Request,
} from '../../protocol/index.js';
import {
  DisconnectedError,
  NakError,
  ReadbackMismatchError,
  type GeneratorLink,
  type Handshake,
  type LinkEvent,
  type Program,
  type LinkStatus,
} from '../../src/link/generator-link.js';
import { emptyLinkStats, type LinkStats } from '../../src/link/link-stats.js';

type RequestBody = Request extends infer R
  ? R extends { seq: number }
    ? Omit<R, 'seq' | 'sess' | 'rev'>
    : never
  : never;

/** The fake companion's instance id (protocol v2 HELLO `cid`). */
export const FAKE_CID = 'fa4e0001';

/**
 * A GeneratorLink straight onto the real generator model (no streams): the generator's own rules
 * check everything the session sends. Faults: drop/restore the link, reset the generator, change the
 * program from "another controller". Every request is recorded for property checks.
 */

export type Sent =
  | { type: 'SET'; program: Program; outputOn: boolean; before: GeneratorState }
  | { type: 'OUTPUT'; on: boolean; mode: 'test' | 'therapy'; before: GeneratorState }
  | { type: 'STOP' | 'STATE' | 'IMP' | 'HELLO'; before: GeneratorState };

export class FakeLink implements GeneratorLink {
  readonly source = 'simulator' as const;
  readonly description = 'fake link over GeneratorModel';
  readonly model: GeneratorModel;
  readonly sent: Sent[] = [];
  now = 0;
  private seq = 0;
  /** The session the last HELLO opened, and the revision of the last state read (like the real link). */
  private sess: string | undefined;
  private basis = 0;
  private up = false;
  private previousBoot: string | undefined;
  private listeners = new Set<(e: LinkEvent) => void>();
  private heldStops: Array<() => void> = [];
  private failures = new Map<string, Error>();
  /** connect() rejects with this (once) when set. */
  failConnect: Error | null = null;

  constructor(config: Partial<GeneratorConfig> = {}) {
    let n = 0;
    this.model = new GeneratorModel({ newBootId: () => (0x1000_0000 + n++).toString(16), ...config });
  }

  get connected(): boolean {
    return this.up;
  }

  get status(): LinkStatus {
    return this.up ? 'connected' : 'reconnecting';
  }

  stats(): LinkStats {
    return emptyLinkStats();
  }

  subscribe(listener: (e: LinkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: LinkEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  private handle(request: RequestBody): Reply {
    this.now += 10;
    this.seq++;
    const before = this.model.state;
    const stamp =
      request.type === 'SET' || request.type === 'OUTPUT'
        ? { sess: this.sess, rev: this.basis }
        : request.type === 'HELLO'
          ? { cid: FAKE_CID }
          : {};
    const r = { ...request, ...stamp, seq: this.seq } as Request;
    if (r.type === 'SET')
      this.sent.push({
        type: 'SET',
        program: { rateHz: r.rateHz, pulseWidthUs: r.pulseWidthUs, amplitudeUa: r.amplitudeUa, contacts: r.contacts },
        outputOn: before.output === 'on',
        before,
      });
    else if (r.type === 'OUTPUT') this.sent.push({ type: 'OUTPUT', on: r.on, mode: r.mode, before });
    else if (r.type !== 'HB') this.sent.push({ type: r.type, before });
    return this.model.handle(r, this.now);
  }

  private async request(request: RequestBody): Promise<Reply> {
    await Promise.resolve();
    if (!this.up) throw new DisconnectedError('not connected (fake)');
    const reply = this.handle(request);
    if (reply.type === 'NAK') throw new NakError(reply.code, reply.message);
    return reply;
  }

  private stateOf(reply: Reply): GeneratorState {
    if (reply.type === 'ACK' && 'state' in reply) {
      if (reply.of !== 'HB') this.basis = reply.state.programRev;
      return reply.state;
    }
    throw new Error('unexpected reply');
  }

  /** STOP (short ACK), then the state it leaves, as the real link reads it. */
  private stopNow(): GeneratorState {
    this.handle({ type: 'STOP' });
    return this.stateOf(this.handle({ type: 'STATE' }));
  }

  async connect(): Promise<Handshake> {
    await Promise.resolve();
    if (this.failConnect) {
      const e = this.failConnect;
      this.failConnect = null;
      throw e;
    }
    return this.establish();
  }

  private establish(): Handshake {
    const hello = this.handle({ type: 'HELLO', proto: PROTOCOL_VERSION });
    if (hello.type !== 'ACK' || !('identity' in hello)) throw new Error('HELLO failed');
    this.sess = hello.session;
    this.up = true;
    for (const release of this.heldStops.splice(0)) release();
    const state = this.stateOf(this.handle({ type: 'STATE' }));
    const resetDetected = this.previousBoot !== undefined && this.previousBoot !== hello.identity.bootId;
    this.previousBoot = hello.identity.bootId;
    const handshake = { identity: hello.identity, limits: hello.limits, state, endedTest: hello.ended === 'test' };
    this.emit({ type: 'status', status: 'connected' });
    this.emit({ type: 'handshake', handshake, resetDetected });
    return handshake;
  }

  async close(): Promise<void> {
    this.up = false;
  }

  /** The next call of `method` rejects with `error` (once). */
  failNext(method: 'readState' | 'setProgram' | 'setOutput' | 'stop' | 'measureImpedance', error: Error): void {
    this.failures.set(method, error);
  }

  private injected(method: string): void {
    const e = this.failures.get(method);
    if (e) {
      this.failures.delete(method);
      throw e;
    }
  }

  emitTelemetry(state: GeneratorState): void {
    this.emit({ type: 'telemetry', state });
  }

  emitError(error: Error): void {
    this.emit({ type: 'error', error });
  }

  async readState(): Promise<GeneratorState> {
    this.injected('readState');
    return this.stateOf(await this.request({ type: 'STATE' }));
  }

  async setProgram(program: Program): Promise<GeneratorState> {
    this.injected('setProgram');
    const state = this.stateOf(await this.request({ type: 'SET', ...program }));
    if (
      state.rateHz !== program.rateHz ||
      state.pulseWidthUs !== program.pulseWidthUs ||
      state.amplitudeUa !== program.amplitudeUa ||
      state.contacts !== program.contacts
    ) {
      throw new ReadbackMismatchError(program, state);
    }
    return state;
  }

  async setOutput(on: boolean, mode: 'test' | 'therapy'): Promise<GeneratorState> {
    this.injected('setOutput');
    return this.stateOf(await this.request({ type: 'OUTPUT', on, mode }));
  }

  stop(): Promise<GeneratorState> {
    const failure = this.failures.get('stop');
    if (failure) {
      this.failures.delete('stop');
      return Promise.reject(failure);
    }
    if (!this.up) {
      // Like the real link: held until the next connection, sent first.
      return new Promise((resolve) => this.heldStops.push(() => resolve(this.stopNow())));
    }
    return Promise.resolve(this.stopNow());
  }

  async measureImpedance(): Promise<ImpedanceReading[]> {
    this.injected('measureImpedance');
    const reply = await this.request({ type: 'IMP' });
    if (reply.type === 'ACK' && 'ohms' in reply) return reply.ohms;
    throw new Error('unexpected reply');
  }

  // ---- faults -----------------------------------------------------------------------------------

  /** The cable goes: requests fail until restore(). */
  drop(): void {
    if (!this.up) return;
    this.up = false;
    this.emit({ type: 'status', status: 'reconnecting', reason: 'unplugged (fake)' });
  }

  /** The cable is back: a new handshake (HELLO, held STOPs, STATE). */
  restore(): void {
    if (this.up) return;
    this.establish();
  }

  /** The generator reboots; the link notices, loses the connection and re-handshakes. */
  reset(): void {
    this.model.reset(this.now);
    this.up = false;
    this.emit({ type: 'status', status: 'reconnecting', reason: 'generator reset' });
    this.establish();
  }

  /** Another controller changes the program (the model's own rules apply). */
  external(program: Program): void {
    this.model.externalChange(program, this.now);
    if (this.up)
      this.emit({ type: 'generator-event', event: { type: 'EVT', kind: 'program-changed', reason: 'external' } });
  }

  /** An event line arrives (again): a copy duplicated or delayed on the wire (PROTOCOL.md §4.9). */
  deliverEvent(event: GeneratorEvent): void {
    if (this.up) this.emit({ type: 'generator-event', event });
  }

  /** Time passes without link traffic (the watchdog may stop test stimulation). */
  advance(ms: number): void {
    this.now += ms;
    for (const event of this.model.tick(this.now)) if (this.up) this.emit({ type: 'generator-event', event });
  }
}
