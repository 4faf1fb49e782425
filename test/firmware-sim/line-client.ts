import type { Duplex } from 'node:stream';
import {
  LineSplitter,
  PROTOCOL_VERSION,
  decodeMessage,
  encodeMessage,
  type Message,
  type Reply,
  type Request,
} from '../../protocol/index.js';
import { until } from '../helpers/until.js';
import { TEST_CID } from './model-session.js';

type Unstamped =
  | { type: 'SET'; seq: number; rateHz: number; pulseWidthUs: number; amplitudeUa: number; contacts: string }
  | { type: 'OUTPUT'; seq: number; on: boolean; mode: 'test' | 'therapy' };
/** A request as a test writes it: SET/OUTPUT without sess and rev get the client's (§3). */
export type LooseRequest = Request | Unstamped;

export { until };

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A minimal protocol client for tests: writes requests, records every line it receives, decoded
 * or not. It is deliberately not the companion's link, so simulator tests do not depend on it.
 */
export class LineClient {
  readonly raw: string[] = [];
  readonly messages: Message[] = [];
  readonly undecodable: string[] = [];
  closed = false;
  /** The session the last HELLO ACK opened. */
  sess: string | undefined;
  /** The revision of the last state seen in a reply (what the next SET/OUTPUT is computed from). */
  rev = 0;

  constructor(
    readonly port: {
      write(data: string | Buffer): unknown;
      on(event: string, fn: (...args: never[]) => void): unknown;
    },
  ) {
    const splitter = new LineSplitter((line) => {
      this.raw.push(line);
      const decoded = decodeMessage(line);
      if (decoded.ok) {
        this.messages.push(decoded.message);
        this.note(decoded.message);
      } else this.undecodable.push(line);
    });
    port.on('data', ((chunk: Buffer) => splitter.push(chunk)) as (...args: never[]) => void);
    port.on('close', (() => {
      this.closed = true;
    }) as (...args: never[]) => void);
  }

  private note(m: Message): void {
    if (m.type !== 'ACK') return;
    if (m.of === 'HELLO' && m.session) this.sess = m.session;
    else if ('state' in m) this.rev = m.state.programRev;
    else if (m.of === 'STOP') this.rev = m.rev;
  }

  /** HELLO gets this client's cid; SET/OUTPUT get its session and last revision unless they carry their own. */
  stamp(request: LooseRequest): Request {
    if (request.type === 'HELLO' && request.cid === undefined && request.proto === PROTOCOL_VERSION)
      return { ...request, cid: TEST_CID };
    if ((request.type === 'SET' || request.type === 'OUTPUT') && !('sess' in request))
      return { ...request, sess: this.sess ?? '00000000', rev: this.rev } as Request;
    return request as Request;
  }

  send(request: LooseRequest): void {
    this.writeLine(encodeMessage(this.stamp(request)));
  }

  writeLine(line: string): void {
    this.port.write(Buffer.from(line + '\n', 'latin1'));
  }

  replies(seq?: number): Reply[] {
    return this.messages.filter(
      (m): m is Reply => (m.type === 'ACK' || m.type === 'NAK') && (seq === undefined || m.seq === seq),
    );
  }

  of<T extends Message['type']>(type: T): Extract<Message, { type: T }>[] {
    return this.messages.filter((m): m is Extract<Message, { type: T }> => m.type === type);
  }

  /** Sends and waits for the first reply with this seq. */
  async request(request: LooseRequest, timeoutMs = 5000): Promise<Reply> {
    const before = this.replies(request.seq).length;
    this.send(request);
    await until(
      () => this.replies(request.seq).length > before,
      `a reply to ${request.type} seq=${request.seq}`,
      timeoutMs,
    );
    return this.replies(request.seq)[before]!;
  }
}

export type { Duplex };
