import {
  ErrorCode,
  HELLO_SEQ_HORIZON,
  MAX_SEQ,
  REPLY_CACHE_SIZE,
  SEQ_RENEW_MARGIN,
  type Reply,
  type Request,
} from '../protocol/index.js';

/**
 * The generator's session and ordering rules (PROTOCOL.md §3), pure: which SET/OUTPUT may run, which
 * is a retransmission answered from the reply cache, and which is refused as a line from another
 * session or older than the session's newest request. Correctness never depends on the cache's size:
 * a request at or below the session's highest seq (`hi`) that is not a cached retransmission is refused.
 */

type Mutating = Extract<Request, { type: 'SET' | 'OUTPUT' }>;
type Hello = Extract<Request, { type: 'HELLO' }>;

export interface Session {
  /** Session id, 8 hex digits, new for every HELLO. */
  readonly sess: string;
  /** The companion instance that opened it. */
  readonly cid: string;
  /** Seq of the HELLO that opened it. */
  readonly helloSeq: number;
  /** Highest seq of this session that ran (SET/OUTPUT, also when refused by a rule) or was answered (STOP, STATE, HB, IMP with this sess). */
  hi: number;
  /** The HELLO's ACK, replayed to a retransmitted HELLO. */
  helloReply: Reply | undefined;
  /** A SET, OUTPUT or STOP of this session has raised `hi` since its HELLO (then a HELLO copy is stale, §4.1 rule 3). */
  ordered: boolean;
}

export type Admission = { run: true } | { run: false; reply: Reply };

/** Same content = same decoded request (field order and spacing are not meaning), §3. */
export const contentKey = (request: Request): string => JSON.stringify(request);

export class SessionGate {
  private current: Session | undefined;
  private readonly cache = new Map<number, { key: string; reply: Reply }>();

  get session(): Session | undefined {
    return this.current;
  }

  /**
   * A HELLO from the companion instance of the current session (same cid) that must not open a new one:
   * a retransmission of the HELLO that opened it (same seq, nothing newer ran) gets the same ACK; a late
   * copy of an older HELLO (seq not newer than `hi`) is refused. Near the end of the sequence space
   * (`hi` ≥ MAX_SEQ − SEQ_RENEW_MARGIN) a lower seq is the companion's renewal and opens a new session;
   * a seq more than HELLO_SEQ_HORIZON above `hi` is a late copy from before such a renewal: refused.
   */
  helloAnswer(hello: Hello): Reply | undefined {
    const s = this.current;
    if (!s || hello.cid !== s.cid) return undefined;
    if (hello.seq === s.helloSeq && !s.ordered) return s.helloReply;
    if (hello.seq <= s.hi && s.hi < MAX_SEQ - SEQ_RENEW_MARGIN) {
      return nak(
        hello.seq,
        ErrorCode.STALE_SEQ,
        `HELLO seq ${hello.seq} is not newer than ${s.hi}, the newest of this companion's session; not executed`,
      );
    }
    // After a renewal (seq back to 1) a late copy of a HELLO from before it has a seq far above `hi`.
    if (hello.seq - s.hi > HELLO_SEQ_HORIZON) {
      return nak(
        hello.seq,
        ErrorCode.STALE_SEQ,
        `HELLO seq ${hello.seq} is from before this companion's session renewal (newest ${s.hi}); not executed`,
      );
    }
    return undefined;
  }

  /** Opens a new session (the previous one, its cache and its order end here). */
  open(hello: Hello & { cid: string }, sess: string): Session {
    this.cache.clear();
    this.current = { sess, cid: hello.cid, helloSeq: hello.seq, hi: hello.seq, helloReply: undefined, ordered: false };
    return this.current;
  }

  /**
   * Output went off (any STOP, with or without this session's `sess`, or `OUTPUT on=0`): no cached
   * reply is replayed after it, so a cached `out=on` ACK can never arrive after the reply that turned
   * output off (§3.3). A retransmission then gets STALE_SEQ: "this copy did not run", which is true.
   */
  forgetReplies(): void {
    this.cache.clear();
  }

  /** No session: after a reset, or a HELLO of another protocol version. */
  close(): void {
    this.current = undefined;
    this.cache.clear();
  }

  /**
   * STOP, STATE, HB, IMP and OUTPUT on=0 never wait for this gate; with the current sess they still
   * count in its order (nothing older runs after them, and `hi` keeps up with the companion's seq).
   */
  noteSeen(request: Extract<Request, { type: 'STOP' | 'STATE' | 'HB' | 'IMP' | 'OUTPUT' }>): void {
    const s = this.current;
    if (!s || request.sess !== s.sess || request.seq <= s.hi) return;
    s.hi = request.seq;
    if (request.type === 'STOP' || request.type === 'OUTPUT') s.ordered = true;
  }

  /**
   * Checks, in this order: a session is open (NOT_READY), the request belongs to it (STALE_SESSION),
   * its seq is newer than every request the session ran (else the cached reply of a retransmission, or
   * STALE_SEQ). A request that passes raises `hi` before it runs, so nothing older can run after it.
   */
  admit(request: Mutating): Admission {
    const s = this.current;
    if (!s) return { run: false, reply: nak(request.seq, ErrorCode.NOT_READY, 'no session: send HELLO first') };
    if (request.sess !== s.sess) {
      return {
        run: false,
        reply: nak(
          request.seq,
          ErrorCode.STALE_SESSION,
          `session ${request.sess} is not the current one; not executed`,
        ),
      };
    }
    if (request.seq <= s.hi) {
      // Only the newest request's reply is replayed: an older one's cached ACK (say out=on) could
      // otherwise arrive after the ACK of a STOP that followed it (§3.3).
      const cached = request.seq === s.hi ? this.cache.get(request.seq) : undefined;
      if (cached && cached.key === contentKey(request)) return { run: false, reply: cached.reply };
      return {
        run: false,
        reply: nak(
          request.seq,
          ErrorCode.STALE_SEQ,
          `seq ${request.seq} is not newer than ${s.hi}, the newest of this session; not executed`,
        ),
      };
    }
    s.hi = request.seq;
    s.ordered = true;
    return { run: true };
  }

  /** Keeps the reply of a request that ran, for its retransmissions (the newest REPLY_CACHE_SIZE). */
  remember(request: Mutating, reply: Reply): void {
    this.cache.set(request.seq, { key: contentKey(request), reply });
    if (this.cache.size > REPLY_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
  }
}

function nak(seq: number, code: number, message: string): Reply {
  return { type: 'NAK', seq, code, message };
}
