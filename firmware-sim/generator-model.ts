import {
  ErrorCode,
  MAX_SEQ,
  PROTOCOL_VERSION,
  REPLY_CACHE_SIZE,
  type GeneratorEvent,
  type GeneratorState,
  type HardwareLimits,
  type Identity,
  type ImpedanceReading,
  type Reply,
  type Request,
  type RequestType,
} from '../protocol/index.js';
import { hardwareLimitsOf, resolveGeneratorConfig, type GeneratorConfig } from './generator-config.js';
import { isRunnable, rejectProgram, type Program } from './program-rules.js';

export type { GeneratorConfig } from './generator-config.js';
export type { Program } from './program-rules.js';

/** One request the model actually executed (a replayed reply is not an execution). */
export interface Execution {
  seq: number;
  type: RequestType;
  atMs: number;
}

const EXECUTION_LOG_MAX = 10_000;

/** True when `seq` comes after `from` in the wrapping sequence 1..MAX_SEQ (within half the space). */
function isAfter(seq: number, from: number): boolean {
  const distance = (seq - from + MAX_SEQ) % MAX_SEQ;
  return distance > 0 && distance <= MAX_SEQ / 2;
}

/**
 * The simulated trial generator, pure: no timers, no I/O. Every method takes the time, so tests
 * drive it exactly. The serial shell (generator-server.ts) feeds it requests and ticks.
 */
export class GeneratorModel {
  readonly config: GeneratorConfig;
  private program: Program;
  private output: 'on' | 'off' = 'off';
  private mode: 'test' | 'therapy' | 'none' = 'none';
  private committed = false;
  private programRev = 0;
  private battery: number;
  private bootIdValue: string;
  /** A HELLO with the right version was seen since boot: SET and OUTPUT on need one. */
  private session = false;
  /** The seq of the HELLO that opened the current session (requests must come after it). */
  private helloSeq: number | undefined;
  private lastValidLineMs = 0;
  private lastAdvanceMs: number | undefined;
  private readonly cache = new Map<number, { key: string; reply: Reply }>();
  /** What each contact measures now (ohms, open, short); IMP reports it and SET's density check uses it. */
  private contactImpedances: ImpedanceReading[];
  private pending: GeneratorEvent[] = [];
  /** Executed requests, oldest first (capped); see executionCount. */
  readonly executions: Execution[] = [];

  constructor(config: Partial<GeneratorConfig> = {}) {
    this.config = resolveGeneratorConfig(config);
    this.program = { rateHz: 50, pulseWidthUs: 200, amplitudeUa: 0, contacts: '0'.repeat(this.config.contactCount) };
    // Keep the power-on program inside this generator's own limits.
    this.program.rateHz = Math.min(Math.max(50, this.config.rateHz.min), this.config.rateHz.max);
    this.program.pulseWidthUs = Math.min(Math.max(200, this.config.pulseWidthUs.min), this.config.pulseWidthUs.max);
    this.program.amplitudeUa = this.config.amplitudeUa.min;
    this.battery = this.config.batteryPct;
    this.contactImpedances = [...this.config.impedances];
    this.bootIdValue = this.config.newBootId();
  }

  get bootId(): string {
    return this.bootIdValue;
  }

  get identity(): Identity {
    return { proto: PROTOCOL_VERSION, firmware: this.config.firmware, serial: this.config.serial, bootId: this.bootIdValue };
  }

  get limits(): HardwareLimits {
    return hardwareLimitsOf(this.config);
  }

  get state(): GeneratorState {
    return {
      output: this.output,
      mode: this.mode,
      ...this.program,
      batteryPct: Math.max(0, Math.min(100, Math.ceil(this.battery))),
      faults: this.faults(),
      committed: this.committed,
      programRev: this.programRev,
    };
  }

  /** The impedance of every contact as the generator would measure it now, contact 1 first. */
  get impedances(): ImpedanceReading[] {
    return [...this.contactImpedances];
  }

  /**
   * One contact's impedance changes (fluid around it, a lead that moved, a broken wire): from now on
   * IMP reports it and the charge-density check of SET shares current by it. `contact` is 1-based.
   */
  setImpedance(contact: number, reading: ImpedanceReading): void {
    if (!Number.isInteger(contact) || contact < 1 || contact > this.config.contactCount) {
      throw new Error(`contact ${contact} does not exist: this generator has contacts 1-${this.config.contactCount}`);
    }
    this.contactImpedances[contact - 1] = reading;
  }

  /** How many times a request with this sequence number was executed (not replayed). */
  executionCount(seq: number): number {
    return this.executions.filter((e) => e.seq === seq).length;
  }

  /** A valid line arrived: feeds the watchdog. handle() calls it for every request. */
  noteLinkActivity(nowMs: number): void {
    this.advance(nowMs);
    this.lastValidLineMs = nowMs;
  }

  /**
   * Answers one request. A retransmission (same seq, same content) gets the cached reply and is not
   * executed again. STOP and HELLO are exempt: both are idempotent, so they always run (STOP reports
   * the state now, HELLO opens a new session).
   */
  handle(request: Request, nowMs: number): Reply {
    this.noteLinkActivity(nowMs);
    // A line sent before the current session's HELLO (held in a buffer across a reset or a reconnect)
    // must not run now: sequence numbers of a session only move forward from its HELLO.
    if (request.type !== 'STOP' && request.type !== 'HELLO' && this.helloSeq !== undefined && !isAfter(request.seq, this.helloSeq)) {
      return this.nak(request.seq, ErrorCode.STALE_SEQ, `seq ${request.seq} is from before this session (HELLO seq ${this.helloSeq}); not executed`);
    }
    const key = JSON.stringify(request);
    const cached = this.cache.get(request.seq);
    const replayable = request.type !== 'STOP' && request.type !== 'HELLO';
    if (replayable && cached && cached.key === key) return cached.reply;
    if (this.executions.length >= EXECUTION_LOG_MAX) this.executions.shift();
    this.executions.push({ seq: request.seq, type: request.type, atMs: nowMs });
    const reply = this.execute(request);
    // HELLO starts a new session: replies cached for an earlier companion must never be replayed.
    if (request.type === 'HELLO') this.cache.clear();
    this.cache.delete(request.seq);
    this.cache.set(request.seq, { key, reply });
    if (this.cache.size > REPLY_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return reply;
  }

  /** Advances time: battery drain, watchdog. Returns every event raised since the last call. */
  tick(nowMs: number): GeneratorEvent[] {
    this.advance(nowMs);
    const events = this.pending;
    this.pending = [];
    return events;
  }

  /** The generator reboots: new boot id, output off, amplitude 0, replies and session forgotten. */
  reset(nowMs: number): GeneratorEvent {
    this.advance(nowMs);
    this.pending = [];
    this.cache.clear();
    this.session = false;
    this.helloSeq = undefined;
    this.outputOff();
    if (this.program.amplitudeUa !== this.config.amplitudeUa.min) {
      this.program = { ...this.program, amplitudeUa: this.config.amplitudeUa.min };
      this.programRev++;
    }
    this.bootIdValue = this.config.newBootId();
    this.lastValidLineMs = nowMs;
    const event: GeneratorEvent = { type: 'EVT', kind: 'boot', bootId: this.bootIdValue };
    this.pending.push(event);
    return event;
  }

  /**
   * Another controller (the patient's remote) changes the program. It obeys the same rules as SET and
   * throws if they refuse it. The event is returned and also delivered by the next tick().
   */
  externalChange(program: Program, nowMs = this.lastAdvanceMs ?? 0): GeneratorEvent {
    this.advance(nowMs);
    const refused = rejectProgram(this.config, program, this.program, this.output === 'on', this.contactImpedances);
    if (refused) throw new Error(`external change refused: ${refused.message}`);
    this.program = { ...program };
    this.programRev++;
    const event: GeneratorEvent = { type: 'EVT', kind: 'program-changed', reason: 'external' };
    this.pending.push(event);
    return event;
  }

  private faults(): string[] {
    const faults: string[] = [];
    if (this.battery <= 0) faults.push('battery-empty');
    else if (this.battery < this.config.batteryLowPct) faults.push('battery-low');
    return faults;
  }

  private ack(of: 'STATE' | 'SET' | 'OUTPUT' | 'STOP' | 'HB', seq: number): Reply {
    return { type: 'ACK', seq, of, state: this.state };
  }

  private nak(seq: number, code: number, message: string): Reply {
    return { type: 'NAK', seq, code, message };
  }

  private execute(r: Request): Reply {
    switch (r.type) {
      case 'HELLO':
        if (r.proto !== PROTOCOL_VERSION) {
          this.session = false;
          return this.nak(r.seq, ErrorCode.VERSION_MISMATCH, `protocol ${r.proto} not supported; this generator speaks ${PROTOCOL_VERSION}`);
        }
        this.session = true;
        this.helloSeq = r.seq;
        return { type: 'ACK', seq: r.seq, of: 'HELLO', identity: this.identity, limits: this.limits };
      case 'STATE':
      case 'HB':
        return this.ack(r.type, r.seq);
      case 'IMP':
        return { type: 'ACK', seq: r.seq, of: 'IMP', ohms: this.impedances };
      case 'STOP':
        this.outputOff();
        return this.ack('STOP', r.seq);
      case 'SET': {
        if (!this.session) return this.nak(r.seq, ErrorCode.NOT_READY, 'send HELLO first');
        const next: Program = { rateHz: r.rateHz, pulseWidthUs: r.pulseWidthUs, amplitudeUa: r.amplitudeUa, contacts: r.contacts };
        // The generator measures its contacts as it drives them: the density check uses their impedance now.
        const refused = rejectProgram(this.config, next, this.program, this.output === 'on', this.contactImpedances);
        if (refused) return this.nak(r.seq, refused.code, refused.message);
        if (JSON.stringify(next) !== JSON.stringify(this.program)) {
          this.program = next;
          this.programRev++;
        }
        return this.ack('SET', r.seq);
      }
      case 'OUTPUT': {
        if (!r.on) {
          this.outputOff();
          return this.ack('OUTPUT', r.seq);
        }
        if (!this.session) return this.nak(r.seq, ErrorCode.NOT_READY, 'send HELLO first');
        if (this.battery <= 0) return this.nak(r.seq, ErrorCode.BATTERY_EMPTY, 'battery empty; recharge or replace it');
        if (!isRunnable(this.program)) return this.nak(r.seq, ErrorCode.NO_PROGRAM, 'no valid program: SET one with an anode and a cathode first');
        // Switching mode while on changes no stimulation parameter: test -> therapy commits the running program.
        this.output = 'on';
        this.mode = r.mode;
        this.committed = r.mode === 'therapy';
        return this.ack('OUTPUT', r.seq);
      }
    }
  }

  private outputOff(): void {
    this.output = 'off';
    this.mode = 'none';
    this.committed = false;
  }

  /** Accrues battery drain and checks the watchdog up to nowMs. Time never runs backwards here. */
  private advance(nowMs: number): void {
    const last = this.lastAdvanceMs ?? nowMs;
    const now = Math.max(nowMs, last);
    this.lastAdvanceMs = now;
    if (this.output !== 'on') return;
    // Watchdog first: output that should have stopped at the deadline does not drain past it.
    const deadline = this.lastValidLineMs + this.config.watchdogMs;
    const stopAt = !this.committed && now > deadline ? Math.max(deadline, last) : now;
    this.drain(last, stopAt);
    if (this.output !== 'on') return;
    if (stopAt < now) {
      this.outputOff();
      this.pending.push({ type: 'EVT', kind: 'stopped', reason: 'link-loss' });
    }
  }

  private drain(fromMs: number, toMs: number): void {
    if (toMs <= fromMs) return;
    const before = this.battery;
    this.battery = Math.max(0, before - ((toMs - fromMs) / 1000) * this.config.batteryDrainPctPerS);
    if (before >= this.config.batteryLowPct && this.battery < this.config.batteryLowPct && this.battery > 0) {
      this.pending.push({ type: 'EVT', kind: 'battery', reason: 'low' });
    }
    if (this.battery <= 0) {
      this.outputOff();
      this.pending.push({ type: 'EVT', kind: 'battery', reason: 'empty' });
      this.pending.push({ type: 'EVT', kind: 'stopped', reason: 'battery-empty' });
    }
  }
}
