import type { Duplex } from 'node:stream';
import { LineSplitter, decodeMessage, encodeMessage, type Message, type Reply, type Request } from '../../protocol/index.js';
import { until } from '../helpers/until.js';

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

  constructor(readonly port: { write(data: string | Buffer): unknown; on(event: string, fn: (...args: never[]) => void): unknown }) {
    const splitter = new LineSplitter((line) => {
      this.raw.push(line);
      const decoded = decodeMessage(line);
      if (decoded.ok) this.messages.push(decoded.message);
      else this.undecodable.push(line);
    });
    port.on('data', ((chunk: Buffer) => splitter.push(chunk)) as (...args: never[]) => void);
    port.on('close', (() => {
      this.closed = true;
    }) as (...args: never[]) => void);
  }

  send(request: Request): void {
    this.writeLine(encodeMessage(request));
  }

  writeLine(line: string): void {
    this.port.write(Buffer.from(line + '\n', 'latin1'));
  }

  replies(seq?: number): Reply[] {
    return this.messages.filter((m): m is Reply => (m.type === 'ACK' || m.type === 'NAK') && (seq === undefined || m.seq === seq));
  }

  of<T extends Message['type']>(type: T): Extract<Message, { type: T }>[] {
    return this.messages.filter((m): m is Extract<Message, { type: T }> => m.type === type);
  }

  /** Sends and waits for the first reply with this seq. */
  async request(request: Request, timeoutMs = 5000): Promise<Reply> {
    const before = this.replies(request.seq).length;
    this.send(request);
    await until(() => this.replies(request.seq).length > before, `a reply to ${request.type} seq=${request.seq}`, timeoutMs);
    return this.replies(request.seq)[before]!;
  }
}

export type { Duplex };
