import {
  ErrorCode,
  PROTOCOL_VERSION,
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
import { densityRejection, isRunnable, rejectProgram, type Program } from './program-rules.js';
import { SessionGate } from './session-gate.js';

export type { GeneratorConfig } from './generator-config.js';
export type { Program } from './program-rules.js';

/** One request the model actually executed (a replayed reply or a refused stale line is not an execution). */
export interface Execution {
  seq: number;
  type: RequestType;
  atMs: number;
  /** The session the request named (SET, OUTPUT; STOP when it named one). */
  sess?: string;
  /** OUTPUT only: on=1 (conditional) or on=0 (never refused, like STOP). */
  on?: boolean;
}

const EXECUTION_LOG_MAX = 10_000;

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
  /** The state revision: +1 on every change of the program or of the output state, by anyone (§4.2). */
  private rev = 0;
  private battery: number;
  private bootIdValue: string;
  /** Sessions, order and the reply cache (PROTOCOL.md §3). */
  private readonly gate = new SessionGate();
  private lastValidLineMs = 0;
  private lastAdvanceMs: number | undefined;
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
    this.bootIdValue = this.config.newBootId();
    this.contactImpedances = [...this.config.impedances];
  }

  get bootId(): string {
    return this.bootIdValue;
  }

  /** The impedance of every contact as the generator would measure it now, contact 1 first. */
  get impedances(): ImpedanceReading[] {
    return [...this.contactImpedances];
  }

  /**
   * One contact's impedance changes (fluid around it, a lead that moved, a broken wire): from now on
   * IMP reports it and the charge-density checks of SET and OUTPUT share current by it; output that is on
   * and now over the limit stops (EVT stopped reason=charge-density). `contact` is 1-based.
   */
  setImpedance(contact: number, reading: ImpedanceReading): void {
    if (!Number.isInteger(contact) || contact < 1 || contact > this.config.contactCount) {
      throw new Error(`contact ${contact} does not exist: this generator has contacts 1-${this.config.contactCount}`);
    }
    this.contactImpedances[contact - 1] = reading;
    // A running program the new measurement puts over the density limit stops at once (§4.3.1): the
    // generator never keeps delivering what it would refuse to start.
    if (this.output === 'on' && densityRejection(this.config, this.program, this.contactImpedances)) {
      this.outputOff();
      this.pending.push({ type: 'EVT', kind: 'stopped', reason: 'charge-density' });
    }
  }

  /** The open session's id and companion id, if any. */
  get session(): { sess: string; cid: string; hi: number } | undefined {
    const s = this.gate.session;
    return s && { sess: s.sess, cid: s.cid, hi: s.hi };
  }

  get identity(): Identity {
    return {
      proto: PROTOCOL_VERSION,
      firmware: this.config.firmware,
      serial: this.config.serial,
      bootId: this.bootIdValue,
    };
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
      programRev: this.rev,
    };
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
   * Answers one request. SET and OUTPUT pass the session gate first (NOT_READY, STALE_SESSION, a
   * cached reply for a retransmission, STALE_SEQ); STOP always runs; STATE, HB and IMP need no session.
   */
  handle(request: Request, nowMs: number): Reply {
    if (this.feedsWatchdog(request)) this.noteLinkActivity(nowMs);
    else this.advance(nowMs);
    if (request.type === 'OUTPUT' && !request.on) return this.outputOffRequest(request, nowMs);
    if (request.type === 'SET' || request.type === 'OUTPUT') {
      const admission = this.gate.admit(request);
      if (!admission.run) return admission.reply;
      this.log(request, nowMs);
      const reply = request.type === 'SET' ? this.set(request) : this.outputRequest(request);
      this.gate.remember(request, reply);
      return reply;
    }
    if (request.type === 'HELLO' && request.proto === PROTOCOL_VERSION) {
      const answer = this.gate.helloAnswer(request);
      if (answer) return answer;
    }
    if (request.type !== 'HELLO') this.gate.noteSeen(request);
    this.log(request, nowMs);
    return this.execute(request);
  }

  /**
   * A STOP line whose other fields could not be read (bad or missing seq, malformed sess): STOP is
   * never refused (§4.5), so it runs and is answered with `seq` when readable, else seq=0.
   */
  stopUnread(seq: number, nowMs: number): Reply {
    this.noteLinkActivity(nowMs);
    this.log({ type: 'STOP', seq } as Request, nowMs);
    this.outputOff();
    return { type: 'ACK', seq, of: 'STOP', output: this.output, rev: this.rev };
  }

  /**
   * While a session is open only its own lines, HELLO and STOP feed the watchdog (§7): an old or foreign
   * companion's HB cannot keep this session's test output alive. Without a session every valid line does.
   */
  private feedsWatchdog(request: Request): boolean {
    const s = this.gate.session;
    if (!s || request.type === 'HELLO' || request.type === 'STOP') return true;
    return request.sess === s.sess;
  }

  /**
   * OUTPUT on=0 is never refused for session, order or revision reasons (§4.4): turning output off is
   * always safe, like STOP. With the open session's sess and a newer seq it raises `hi` like STOP does.
   */
  private outputOffRequest(r: Extract<Request, { type: 'OUTPUT' }>, nowMs: number): Reply {
    this.gate.noteSeen(r);
    this.log(r, nowMs);
    this.outputOff();
    return this.ack('OUTPUT', r.seq);
  }

  private log(request: Request, nowMs: number): void {
    // Drop the older half at once: a per-entry shift() would make long sessions quadratic.
    if (this.executions.length >= EXECUTION_LOG_MAX) this.executions.splice(0, EXECUTION_LOG_MAX / 2);
    const sess = 'sess' in request && request.sess !== undefined ? { sess: request.sess } : {};
    const on = request.type === 'OUTPUT' ? { on: request.on } : {};
    this.executions.push({ seq: request.seq, type: request.type, atMs: nowMs, ...sess, ...on });
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
    this.gate.close();
    this.outputOff();
    if (this.program.amplitudeUa !== this.config.amplitudeUa.min) {
      this.program = { ...this.program, amplitudeUa: this.config.amplitudeUa.min };
      this.rev = nextRev(this.rev);
    }
    this.bootIdValue = this.config.newBootId();
    this.lastValidLineMs = nowMs;
    const event: GeneratorEvent = { type: 'EVT', kind: 'boot', bootId: this.bootIdValue };
    this.pending.push(event);
    return event;
  }

  /**
   * Another controller (the patient's remote) changes the program. It obeys the same rules as SET and
   * throws if they refuse it. The event is returned and also delivered by the next tick(); a "change" to
   * the program it already runs is no change (undefined, rev kept).
   */
  externalChange(program: Program, nowMs = this.lastAdvanceMs ?? 0): GeneratorEvent | undefined {
    this.advance(nowMs);
    const refused = rejectProgram(this.config, program, this.program, this.output === 'on', this.contactImpedances);
    if (refused) throw new Error(`external change refused: ${refused.message}`);
    // The same values again change nothing: rev stays and no event is raised (§3.4, §4.9).
    if (sameProgram(program, this.program)) return undefined;
    this.program = { ...program };
    this.rev = nextRev(this.rev);
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

  private ack(of: 'STATE' | 'SET' | 'OUTPUT' | 'HB', seq: number): Reply {
    return { type: 'ACK', seq, of, state: this.state };
  }

  private nak(seq: number, code: number, message: string): Reply {
    return { type: 'NAK', seq, code, message };
  }

  private execute(r: Exclude<Request, { type: 'SET' | 'OUTPUT' }>): Reply {
    switch (r.type) {
      case 'HELLO':
        return this.hello(r);
      case 'STATE':
      case 'HB':
        return this.ack(r.type, r.seq);
      case 'IMP':
        return { type: 'ACK', seq: r.seq, of: 'IMP', ohms: this.impedances };
      case 'STOP':
        this.outputOff();
        // Short on purpose: it crosses a slow wire fast; the companion reads the full state afterwards.
        return { type: 'ACK', seq: r.seq, of: 'STOP', output: this.output, rev: this.rev };
    }
  }

  /**
   * A new session. A HELLO from another companion instance (another cid) stops uncommitted test
   * output: a companion never inherits stimulation it did not start. Committed therapy keeps running.
   */
  private hello(r: Extract<Request, { type: 'HELLO' }>): Reply {
    if (r.proto !== PROTOCOL_VERSION) {
      this.gate.close();
      return this.nak(
        r.seq,
        ErrorCode.VERSION_MISMATCH,
        `protocol ${r.proto} not supported; this generator speaks ${PROTOCOL_VERSION}`,
      );
    }
    if (r.cid === undefined)
      return this.nak(
        r.seq,
        ErrorCode.BAD_FIELD,
        `HELLO proto=${PROTOCOL_VERSION} needs cid (8 lower-case hex digits)`,
      );
    // The same companion after its own wrong-version HELLO is still the same companion (§4.1 rule 4).
    const sameCompanion = this.gate.companion === r.cid;
    const endsTest = !sameCompanion && this.output === 'on' && !this.committed;
    if (endsTest) this.outputOff();
    const session = this.gate.open({ ...r, cid: r.cid }, this.config.newSessionId());
    const reply: Reply = {
      type: 'ACK',
      seq: r.seq,
      of: 'HELLO',
      identity: this.identity,
      limits: this.limits,
      session: session.sess,
      ended: endsTest ? 'test' : 'none',
    };
    session.helloReply = reply;
    return reply;
  }

  /** SET after the gate: the revision it names, then the program rules 1–5 (§4.3). */
  private set(r: Extract<Request, { type: 'SET' }>): Reply {
    if (r.rev !== this.rev) return this.revMismatch(r.seq, r.rev);
    const next: Program = {
      rateHz: r.rateHz,
      pulseWidthUs: r.pulseWidthUs,
      amplitudeUa: r.amplitudeUa,
      contacts: r.contacts,
    };
    // The generator measures its contacts as it drives them: the density check uses their impedance now.
    const refused = rejectProgram(this.config, next, this.program, this.output === 'on', this.contactImpedances);
    if (refused) return this.nak(r.seq, refused.code, refused.message);
    if (!sameProgram(next, this.program)) {
      this.program = next;
      this.rev = nextRev(this.rev);
    }
    return this.ack('SET', r.seq);
  }

  /** OUTPUT on=1 after the gate: conditional on rev, battery, mode and rules (§4.4). */
  private outputRequest(r: Extract<Request, { type: 'OUTPUT' }>): Reply {
    if (r.rev !== this.rev) return this.revMismatch(r.seq, r.rev);
    if (this.battery <= 0) return this.nak(r.seq, ErrorCode.BATTERY_EMPTY, 'battery empty; recharge or replace it');
    if (r.mode === 'test' && this.output === 'on' && this.mode === 'therapy') {
      return this.nak(
        r.seq,
        ErrorCode.MODE_CHANGE,
        'committed therapy is running; turn output off (OUTPUT on=0) before test stimulation',
      );
    }
    if (!isRunnable(this.program))
      return this.nak(r.seq, ErrorCode.NO_PROGRAM, 'no valid program: SET one with an anode and a cathode first');
    // Rule 5 again with the impedances measured now: they may have changed since the program's SET.
    const density = densityRejection(this.config, this.program, this.contactImpedances);
    if (density) return this.nak(r.seq, density.code, density.message);
    // test -> therapy commits the running program without a gap; the same mode again changes nothing.
    this.setOutput('on', r.mode, r.mode === 'therapy');
    return this.ack('OUTPUT', r.seq);
  }

  private revMismatch(seq: number, rev: number): Reply {
    return this.nak(
      seq,
      ErrorCode.REV_MISMATCH,
      `computed from revision ${rev}, the generator is at ${this.rev} (changed since); re-read STATE`,
    );
  }

  private outputOff(): void {
    this.setOutput('off', 'none', false);
  }

  /** Every change of the output state is a new revision. */
  private setOutput(output: 'on' | 'off', mode: 'test' | 'therapy' | 'none', committed: boolean): void {
    if (output === this.output && mode === this.mode && committed === this.committed) return;
    this.output = output;
    this.mode = mode;
    this.committed = committed;
    this.rev = nextRev(this.rev);
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

function sameProgram(a: Program, b: Program): boolean {
  return (
    a.rateHz === b.rateHz &&
    a.pulseWidthUs === b.pulseWidthUs &&
    a.amplitudeUa === b.amplitudeUa &&
    a.contacts === b.contacts
  );
}

/** `rev` is a 9-digit wire number: after 999999999 it wraps to 0 (§3.4). */
export function nextRev(rev: number): number {
  return rev >= MAX_REV ? 0 : rev + 1;
}
const MAX_REV = 999_999_999;
