/**
 * The generator's transmit priority (PROTOCOL.md §3.1, §4.5), lower first, equal ranks in the order
 * written: STOP's ACK 0, every other reply 1, events 2, telemetry 3. STOP's ACK overtakes everything
 * still queued (never a line already on the wire): the person who pressed STOP learns it held within
 * the wire time of one short line; the host matches replies by `seq`, so order is not needed for that.
 */
export function transmitRank(line: string): number {
  if (line.startsWith('TEL ')) return TELEMETRY_RANK;
  if (line.startsWith('EVT ')) return 2;
  return STOP_ACK.test(line) ? 0 : 1;
}

/** Telemetry's rank: best effort, skipped or dropped rather than queued behind a STOP (uart-transmitter.ts). */
export const TELEMETRY_RANK = 3;

/** The encoder writes `of` right after `seq` (§4.5); a receiver's field order does not matter here. */
const STOP_ACK = /^ACK seq=\d+ of=STOP /;

/**
 * The generator's transmit queue: lines go straight to the wire while it keeps up; while the reader is
 * behind (`write` returned false) they wait here in transmitRank order until drain(), so a STOP's ACK
 * is never stuck behind replies and events written before it.
 */
export class TransmitQueue {
  private readonly waiting: { line: string; rank: number }[] = [];
  private blockedFlag = false;

  /** `write` sends one line and returns false when the stream wants no more until its 'drain'. */
  constructor(private readonly write: (line: string) => boolean) {}

  /** True while lines wait for the reader (telemetry is skipped then rather than queued). */
  get blocked(): boolean {
    return this.blockedFlag;
  }

  get length(): number {
    return this.waiting.length;
  }

  push(line: string): void {
    if (!this.blockedFlag && this.waiting.length === 0) {
      this.blockedFlag = !this.write(line);
      return;
    }
    const rank = transmitRank(line);
    // After every line of the same or a more urgent rank: equal ranks keep the order they were written in.
    let at = this.waiting.length;
    while (at > 0 && this.waiting[at - 1]!.rank > rank) at--;
    this.waiting.splice(at, 0, { line, rank });
  }

  /** The stream can take more: send what waits, most urgent first, until it is full again. */
  drain(): void {
    this.blockedFlag = false;
    while (!this.blockedFlag && this.waiting.length > 0) this.blockedFlag = !this.write(this.waiting.shift()!.line);
  }

  /** The stream is gone: what waited is never sent. */
  clear(): void {
    this.waiting.length = 0;
    this.blockedFlag = false;
  }
}
