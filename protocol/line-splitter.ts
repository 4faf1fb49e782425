import { MAX_LINE_BYTES } from './limits.js';

/** CAN (0x18): discards everything received before it on this line, and itself (PROTOCOL.md §2). */
export const CANCEL_BYTE = 0x18;
export const CANCEL = '\x18';

/**
 * Splits a byte stream into lines at `\n`, dropping a trailing `\r`. A line longer than the maximum is
 * discarded up to its terminator and counted as an overrun, so a peer that never sends `\n` cannot
 * grow our buffer without bound (parser-readline has no such cap). A CAN byte drops the partial line
 * before it, silently: a line torn on an earlier connection (even after its CRC) can never be completed
 * by the next one, and a STOP sent as CAN + STOP is never glued to garbage in front of it.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private length = 0;
  private discarding = false;
  overruns = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer | string): void {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    const can = buf.lastIndexOf(CANCEL_BYTE);
    if (can >= 0) {
      // Everything before the last CAN in this chunk, and what was buffered, is gone.
      this.push(buf.subarray(0, can));
      this.reset();
      buf = buf.subarray(can + 1);
    }
    while (buf.length > 0) {
      const nl = buf.indexOf(0x0a);
      const piece = nl < 0 ? buf : buf.subarray(0, nl);
      if (!this.discarding) {
        // Allow one extra byte for a `\r` before `\n`.
        if (this.length + piece.length > this.maxBytes + 1) {
          this.discarding = true;
          this.parts = [];
          this.length = 0;
          this.overruns++;
        } else {
          this.parts.push(piece);
          this.length += piece.length;
        }
      }
      if (nl < 0) return;
      if (!this.discarding) {
        let line = Buffer.concat(this.parts, this.length).toString('latin1');
        if (line.endsWith('\r')) line = line.slice(0, -1);
        this.parts = [];
        this.length = 0;
        if (Buffer.byteLength(line, 'latin1') > this.maxBytes) this.overruns++;
        else this.onLine(line);
      }
      this.discarding = false;
      buf = buf.subarray(nl + 1);
    }
  }

  /** True while part of a line is buffered (for the inter-byte timeout). */
  get partial(): boolean {
    return this.length > 0 || this.discarding;
  }

  /** Forget a partial line (used when a connection closes, on CAN, and after the inter-byte timeout). */
  reset(): void {
    this.parts = [];
    this.length = 0;
    this.discarding = false;
  }
}
