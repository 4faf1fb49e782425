import { EventEmitter } from 'node:events';

/**
 * A stream stand-in for the generator server: emit('data', …) feeds it; what it writes is kept line by
 * line. With `accepting` false, write() says "full" (as a stream whose reader is behind) until emit('drain').
 */
export class CapturingStream extends EventEmitter {
  destroyed = false;
  accepting = true;
  written: string[] = [];
  write(chunk: Buffer | string): boolean {
    this.written.push(
      ...chunk
        .toString('latin1')
        .split('\n')
        .filter((l) => l !== ''),
    );
    return this.accepting;
  }
  destroy(): void {
    this.destroyed = true;
  }
}
