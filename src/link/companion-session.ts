import { PROTOCOL_VERSION, type GeneratorState, type Request } from '../../protocol/index.js';
import { programMatches } from './readback.js';
import { isOlderReply, revAfter, type ReplyMark } from './revision-order.js';
import { SequenceCounter } from './sequence-counter.js';

/** 8 random lower-case hex digits. */
export function randomHexId(): string {
  return Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
}

/**
 * What one companion instance keeps for its sessions with the generator (PROTOCOL.md §3): its instance
 * id (`cid`, kept across reconnections), the current session id (`sess`, from the HELLO ACK), the
 * sequence counter, and the state revision the next SET/OUTPUT is computed from (`rev`).
 */
export class CompanionSession {
  readonly cid: string;
  private readonly seq: SequenceCounter;
  private sess: string | undefined;
  private helloSeq: number | undefined;
  /**
   * The last state the companion itself read or wrote (ACK of STATE, SET, OUTPUT) and the session it
   * was read in. Its revision is the basis of the next write; never one seen only in telemetry or a
   * heartbeat: a change nobody here has looked at must refuse the next write (H17), not be adopted.
   */
  private read: ({ state: GeneratorState } & ReplyMark) | undefined;
  /** The reply to our newest request so far (any verb): what the view shows is never older (§4.5). */
  private newest: ReplyMark | undefined;

  constructor(options: { cid?: string; firstSeq?: number } = {}) {
    this.cid = options.cid ?? randomHexId();
    if (!/^[0-9a-f]{8}$/.test(this.cid))
      throw new RangeError(`companion id must be 8 lower-case hex digits, got '${this.cid}'`);
    this.seq = new SequenceCounter(options.firstSeq ?? 1);
  }

  get id(): string | undefined {
    return this.sess;
  }

  /** The revision of the last state the companion itself read or wrote (the basis of its next write). */
  get basisRev(): number | undefined {
    return this.read?.state.programRev;
  }

  /** The last state the companion itself read or wrote: what the boot check compares a reply with. */
  get basisState(): GeneratorState | undefined {
    return this.read?.state;
  }

  /** A new session is due before the sequence numbers run out. */
  get renewalDue(): boolean {
    return this.seq.nearLimit;
  }

  /** The HELLO that opens the next session; restarts the counter when it has come near its end. */
  hello(): Extract<Request, { type: 'HELLO' }> {
    // Restarting never reuses the seq of the HELLO that opened the current session (that is a retransmission).
    if (this.seq.nearLimit) this.seq.restart(this.helloSeq === 1 ? 2 : 1);
    this.sess = undefined;
    this.helloSeq = this.seq.next();
    return { type: 'HELLO', seq: this.helloSeq, proto: PROTOCOL_VERSION, cid: this.cid };
  }

  /** The generator opened `sess`. A HELLO changes nothing in the generator, so the revision basis stays. */
  opened(sess: string): void {
    this.sess = sess;
  }

  nextSeq(): number {
    return this.seq.next();
  }

  /** The session id and revision a SET or OUTPUT carries; it cannot be sent before both are known. */
  stamp(): { sess: string; rev: number } {
    if (this.sess === undefined || this.read === undefined)
      throw new Error('no session or no state read yet: HELLO and STATE come first');
    return { sess: this.sess, rev: this.read.state.programRev };
  }

  /**
   * STOP, STATE, HB and IMP name the session when there is one (so nothing older runs after them and
   * the generator's `hi` keeps up with this counter); they never need one.
   */
  plain<T extends 'STOP' | 'STATE' | 'HB' | 'IMP'>(type: T, seq = this.seq.next()): Extract<Request, { type: T }> {
    return { type, seq, ...(this.sess !== undefined ? { sess: this.sess } : {}) } as Extract<Request, { type: T }>;
  }

  stopRequest(): Extract<Request, { type: 'STOP' }> {
    return this.plain('STOP');
  }

  /**
   * A reply to our request `seq` arrived: true unless it answers an earlier request than one already
   * answered (a reply STOP's ACK overtook, §4.5), which must not move the view back.
   */
  answered(seq: number): boolean {
    const mark = { sess: this.sess, seq };
    if (isOlderReply(this.newest, mark)) return false;
    this.newest = mark;
    return true;
  }

  /**
   * A state read in this session, from the reply to request `seq`. Older by seq, never by rev (revisions
   * wrap, §3.4): a reply to an earlier request than the last read never moves the basis back.
   */
  noteRead(state: GeneratorState, seq: number): void {
    const mark = { sess: this.sess, seq };
    if (isOlderReply(this.read, mark)) return;
    this.read = { state, ...mark };
  }

  /**
   * The full state a short STOP ACK implies, when its revision moved by exactly what the STOP explains
   * since the last read in this same session (+1 if output was on, +0 if it was off; a watchdog or
   * battery stop in between counts as that one change), with our own SET still unanswered when the STOP
   * went (`inFlight`, at most one: the queue sends one at a time) either applied before it (+1 if it
   * changed the program) or not run. Otherwise undefined (§4.5). Noted as the basis of the next write.
   */
  afterStop(
    confirmed: { output: 'on' | 'off'; rev: number; seq: number },
    inFlight: readonly Request[] = [],
  ): GeneratorState | undefined {
    const last = this.read;
    if (!last || last.sess === undefined || last.sess !== this.sess || confirmed.output !== 'off') return undefined;
    if (inFlight.length > 1) return undefined;
    const write = inFlight[0];
    if (write && write.type !== 'SET') return undefined;
    // The SET ran (generator lines run in arrival order, the SET's before the STOP's), or it did not; a
    // SET computed from another revision than the last read was answered and read already, or refused.
    const hypotheses =
      write && write.rev === last.state.programRev ? [setApplied(last.state, write), last.state] : [last.state];
    const before = hypotheses.find((h) => confirmed.rev === revAfter(h.programRev, h.output === 'on' ? 1 : 0));
    if (!before) return undefined;
    const state = stoppedState(before, confirmed.rev);
    this.noteRead(state, confirmed.seq);
    return state;
  }

  /**
   * What a confirmed STOP leaves, shown before anything else is known: `before` (default the last read)
   * with output off and the ACK's revision. Not a read: the basis of the next write does not move.
   */
  stoppedView(confirmed: { rev: number }): GeneratorState | undefined {
    return this.read && stoppedState(this.read.state, confirmed.rev);
  }
}

function stoppedState(before: GeneratorState, rev: number): GeneratorState {
  return { ...before, output: 'off', mode: 'none', committed: false, programRev: rev };
}

/** The state after our own SET ran on `state` (its revision moves only when the program changed, §3.4). */
function setApplied(state: GeneratorState, set: Extract<Request, { type: 'SET' }>): GeneratorState {
  const program = {
    rateHz: set.rateHz,
    pulseWidthUs: set.pulseWidthUs,
    amplitudeUa: set.amplitudeUa,
    contacts: set.contacts,
  };
  return programMatches(program, state) ? state : { ...state, ...program, programRev: revAfter(state.programRev) };
}
