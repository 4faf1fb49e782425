import {
  ErrorCode,
  PROTOCOL_VERSION,
  type GeneratorEvent,
  type Reply,
  type Request,
  type RequestType,
} from '../protocol/index.js';
import { densityRejection, isRunnable, rejectProgram, type Program } from './program-rules.js';
import { SessionGate } from './session-gate.js';
import { StimulatorCore, nextRev, sameProgram } from './stimulator-core.js';

export type { GeneratorConfig } from './generator-config.js';
export type { Program } from './program-rules.js';
export { nextRev } from './stimulator-core.js';

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
 * drive it exactly. The serial shell (generator-server.ts) feeds it requests and ticks. This class is
 * the protocol side (sessions, order, replies); what the generator runs is StimulatorCore's.
 */
export class GeneratorModel extends StimulatorCore {
  /** Sessions, order and the reply cache (PROTOCOL.md §3). */
  private readonly gate = new SessionGate();
  /** Executed requests, oldest first (capped); see executionCount. */
  readonly executions: Execution[] = [];

  /** The open session's id and companion id, if any. */
  get session(): { sess: string; cid: string; hi: number } | undefined {
    const s = this.gate.session;
    return s && { sess: s.sess, cid: s.cid, hi: s.hi };
  }

  /** How many times a request with this sequence number was executed (not replayed). */
  executionCount(seq: number): number {
    return this.executions.filter((e) => e.seq === seq).length;
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
    if (request.type === 'STOP') this.gate.forgetReplies();
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
    this.gate.forgetReplies();
    this.outputOff();
    return { type: 'ACK', seq, of: 'STOP', output: this.output, rev: this.rev };
  }

  /**
   * An `OUTPUT on=0` line whose other fields could not be read (missing `sess` or `mode`, bad `seq` or
   * `rev`): turning output off is never refused (§4.4), so it runs like STOP and is answered with the
   * full state, `seq` when readable, else seq=0. It does not touch `hi`.
   */
  outputOffUnread(seq: number, nowMs: number): Reply {
    this.advance(nowMs);
    this.log({ type: 'OUTPUT', seq, on: false } as Request, nowMs);
    this.gate.forgetReplies();
    this.outputOff();
    return this.ack('OUTPUT', seq);
  }

  /**
   * Only the lines of the session that runs the test output feed the watchdog (§7): those with its
   * `sess`, a v2 HELLO with its `cid`, and STOP. Test output never runs without its session (a HELLO
   * that ends a session of another or unknown companion stops it), so with no session open no line
   * feeds it: a foreign or old companion's HELLO or HB cannot keep another session's test output alive.
   */
  private feedsWatchdog(request: Request): boolean {
    if (request.type === 'STOP') return true;
    const s = this.gate.session;
    if (!s) return false;
    if (request.type === 'HELLO') return request.proto === PROTOCOL_VERSION && request.cid === s.cid;
    return request.sess === s.sess;
  }

  /**
   * OUTPUT on=0 is never refused for session, order or revision reasons (§4.4): turning output off is
   * always safe, like STOP. With the open session's sess and a newer seq it raises `hi` like STOP does.
   */
  private outputOffRequest(r: Extract<Request, { type: 'OUTPUT' }>, nowMs: number): Reply {
    this.gate.noteSeen(r);
    this.gate.forgetReplies();
    this.log(r, nowMs);
    this.outputOff();
    return this.ack('OUTPUT', r.seq);
  }

  /** Uncommitted test output off (committed therapy untouched); true when it was running. */
  private stopTestOutput(): boolean {
    if (this.output !== 'on' || this.committed) return false;
    this.outputOff();
    return true;
  }

  private log(request: Request, nowMs: number): void {
    // Drop the older half at once: a per-entry shift() would make long sessions quadratic.
    if (this.executions.length >= EXECUTION_LOG_MAX) this.executions.splice(0, EXECUTION_LOG_MAX / 2);
    const sess = 'sess' in request && request.sess !== undefined ? { sess: request.sess } : {};
    const on = request.type === 'OUTPUT' ? { on: request.on } : {};
    this.executions.push({ seq: request.seq, type: request.type, atMs: nowMs, ...sess, ...on });
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
   * output: a companion never inherits stimulation it did not start. A HELLO of another protocol
   * version ends the session without opening one and carries no cid to trust, so it stops uncommitted
   * test output too (§4.1 rule 1). Committed therapy keeps running.
   */
  private hello(r: Extract<Request, { type: 'HELLO' }>): Reply {
    if (r.proto !== PROTOCOL_VERSION) {
      const stopped = this.stopTestOutput();
      this.gate.close();
      return this.nak(
        r.seq,
        ErrorCode.VERSION_MISMATCH,
        `protocol ${r.proto} not supported; this generator speaks ${PROTOCOL_VERSION}${stopped ? '; test output stopped' : ''}`,
      );
    }
    if (r.cid === undefined)
      return this.nak(
        r.seq,
        ErrorCode.BAD_FIELD,
        `HELLO proto=${PROTOCOL_VERSION} needs cid (8 lower-case hex digits)`,
      );
    const sameCompanion = this.gate.session?.cid === r.cid;
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
}
