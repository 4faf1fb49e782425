import { ErrorCode, type Reply, type Request } from '../../protocol/index.js';
import { BootCheck } from './boot-check.js';
import type { CompanionSession } from './companion-session.js';
import { LinkTimeoutError, NakError } from './generator-link.js';
import { renewSession } from './handshake.js';
import type { Trace } from './link-trace.js';
import { LOSS_REASON, ResetFoundError } from './loss-reasons.js';
import type { RequestChannel } from './request-channel.js';

interface Queued {
  build(seq: number): Request;
  accept(reply: Reply): unknown;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Refusals that mean the generator holds no session of ours: interrogate it afresh (nothing is replayed). */
const SESSION_GONE: ReadonlyMap<number, string> = new Map([
  [ErrorCode.NOT_READY, LOSS_REASON.noSession],
  [ErrorCode.STALE_SESSION, LOSS_REASON.otherSession],
]);

export interface QueueHost {
  readonly session: CompanionSession;
  /** The boot id the open session was made with (a renewal must find the same generator boot). */
  bootId(): string | undefined;
  /** The connection requests go on now; undefined while the link is down. */
  channel(): RequestChannel | undefined;
  /** A failure that says the link is lost (no reply after every retry, no session of ours). */
  lose(channel: RequestChannel, reason: string): void;
  /** Reads STATE on `channel` (with `send`, which checks the boot) and adopts it as the link's latest read. */
  reread(channel: RequestChannel, send: (request: Request) => Promise<Reply>): Promise<unknown>;
  readonly trace?: Trace;
}

/**
 * Ordinary requests, one at a time (PROTOCOL.md §10 step 4): each gets its seq only when it is sent,
 * so nothing queued can overtake it; a failure that means the link is lost hands over to the link.
 * STOP never enters this queue.
 */
export class RequestQueue {
  private readonly items: Queued[] = [];
  private inFlight = false;
  private readonly bootCheck = new BootCheck();

  constructor(private readonly host: QueueHost) {}

  /** Nothing waiting and nothing outstanding. */
  get idle(): boolean {
    return !this.inFlight && this.items.length === 0;
  }

  add<T>(build: (seq: number) => Request, accept: (reply: Reply) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.items.push({ build, accept, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Ahead of everything waiting (the re-read after a STOP: later writes are computed from it). */
  first<T>(build: (seq: number) => Request, accept: (reply: Reply) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.items.unshift({ build, accept, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Rejects everything not yet sent; none of it will ever be sent. */
  drop(error: () => Error): void {
    for (const item of this.items.splice(0)) item.reject(error());
  }

  /** Sends the head of the queue when nothing ordinary is outstanding. */
  pump(): void {
    const channel = this.host.channel();
    if (this.inFlight || !channel) return;
    const item = this.items.shift();
    if (!item) return;
    this.inFlight = true;
    const session = this.host.session;
    const send = async (): Promise<Reply> => {
      // No lock-out on long sessions: a new session (same cid, output untouched) before seq runs out.
      if (session.renewalDue) await renewSession(channel, session, this.host.bootId());
      return this.sendChecked(channel, item.build(session.nextSeq()));
    };
    send()
      .then((reply) => item.resolve(item.accept(reply)))
      .catch(async (error: Error) => {
        // STALE_SEQ: this copy did not run, the original may have; re-read STATE before anything else
        // is sent (§10 step 5), then report the refusal. Still a refusal, never a link loss.
        if (error instanceof NakError && error.code === ErrorCode.STALE_SEQ && this.host.channel() === channel) {
          this.host.trace?.(`STALE_SEQ: ${error.detail}; re-reading STATE before anything else`);
          await this.host
            .reread(channel, (request) => this.sendChecked(channel, request))
            .catch((failure: Error) => this.afterFailure(channel, failure));
        }
        item.reject(error);
        this.afterFailure(channel, error);
      })
      .finally(() => {
        this.inFlight = false;
        this.pump();
      });
  }

  /** Sends `request`; a read nothing of ours explains may hide a reset whose EVT boot was lost: the boot decides (bb4-F4). */
  private async sendChecked(channel: RequestChannel, request: Request): Promise<Reply> {
    const session = this.host.session;
    const reply = await channel.send(request);
    if (this.bootCheck.due(request, reply, session.basisState)) {
      this.host.trace?.(`${request.type} shows a revision nothing of ours explains: HELLO to compare the boot id`);
      await renewSession(channel, session, this.host.bootId(), 'with its EVT boot lost (found by a boot check)');
    }
    return reply;
  }

  private afterFailure(channel: RequestChannel, error: Error): void {
    if (this.host.channel() !== channel) return;
    this.host.trace?.(`${error.name}: ${error.message}`);
    // No reply after every retry: the generator's state is unknown, so interrogate it afresh.
    if (error instanceof LinkTimeoutError) this.host.lose(channel, 'generator stopped answering');
    // No session of ours (a reset whose EVT boot was lost, or another HELLO): reconnect instead of
    // being refused forever; nothing is replayed.
    const gone = error instanceof NakError ? SESSION_GONE.get(error.code) : undefined;
    if (gone) this.host.lose(channel, gone);
    // A renewal or a boot check found another boot: a reset whose EVT boot was lost.
    if (error instanceof ResetFoundError) this.host.lose(channel, LOSS_REASON.reset);
  }
}
