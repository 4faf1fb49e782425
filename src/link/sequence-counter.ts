import { MAX_SEQ } from '../../protocol/index.js';

/**
 * Sequence numbers 1..65535, wrapping to 1. One counter per link, kept across reconnections, so a
 * fresh request never reuses a number the generator may still hold a cached reply for.
 */
export class SequenceCounter {
  private last: number;

  constructor(first = 1) {
    if (!Number.isInteger(first) || first < 1 || first > MAX_SEQ) throw new RangeError(`first sequence number must be 1..${MAX_SEQ}`);
    this.last = first - 1;
  }

  next(): number {
    this.last = this.last >= MAX_SEQ ? 1 : this.last + 1;
    return this.last;
  }
}

/** A random starting point, so a restarted companion does not collide with its predecessor's numbers. */
export function randomFirstSeq(): number {
  return 1 + Math.floor(Math.random() * MAX_SEQ);
}
