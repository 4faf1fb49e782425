import { EventEmitter } from 'node:events';

/** A stream stand-in for the generator server: emit('data', …) feeds it; what it writes is kept line by line. */
export class CapturingStream extends EventEmitter {
  destroyed = false;
  written: string[] = [];
  write(chunk: Buffer | string): boolean {
    this.written.push(
      ...chunk
        .toString('latin1')
        .split('\n')
        .filter((l) => l !== ''),
    );
    return true;
  }
  destroy(): void {
    this.destroyed = true;
  }
}
