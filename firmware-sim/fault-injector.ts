/**
 * Deterministic line faults for the simulator: drop, corrupt (one byte changed), duplicate and delay,
 * each with its own probability per direction, drawn from a seeded PRNG so a failing run can be replayed.
 */

export interface LineFaultRates {
  /** Probability (0–1) that a line is dropped. */
  drop?: number;
  /** Probability that one byte of the line is changed (never into a line terminator). */
  corrupt?: number;
  /** Probability that the line is delivered twice. */
  duplicate?: number;
  /** Probability that the line is held back by delayMs (later lines may overtake it). */
  delay?: number;
  delayMs?: number;
  /**
   * Probability that the line is held back until `holdLines` further lines have passed in the same
   * direction: a delay decided by message counts, not by the clock, so a seed replays it exactly.
   * Held lines survive a reconnect (they arrive on the new connection, as a buffered line would).
   */
  hold?: number;
  holdLines?: number;
}

export type Direction = 'inbound' | 'outbound';
export type FaultKind = 'drop' | 'corrupt' | 'duplicate' | 'delay' | 'hold';
export type FaultCounts = Record<FaultKind, number>;

export interface FaultInjectorOptions {
  seed?: number;
  /** Lines from the companion to the generator. */
  inbound?: LineFaultRates;
  /** Lines from the generator to the companion. */
  outbound?: LineFaultRates;
}

/** mulberry32: small, fast, good enough for test faults; same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const zero = (): FaultCounts => ({ drop: 0, corrupt: 0, duplicate: 0, delay: 0, hold: 0 });

/** Changes one byte of `line` by flipping one of its low 7 bits; the result is never `\n` or `\r`. */
export function corruptLine(line: string, random: () => number): string {
  if (line.length === 0) return line;
  const at = Math.floor(random() * line.length);
  const code = line.charCodeAt(at);
  const first = Math.floor(random() * 7);
  let flipped = code;
  // Try the drawn bit, then the next ones, until the byte is not a terminator or NUL.
  for (let i = 0; i < 7; i++) {
    flipped = code ^ (1 << ((first + i) % 7));
    if (flipped !== 0x0a && flipped !== 0x0d && flipped !== 0) break;
  }
  return line.slice(0, at) + String.fromCharCode(flipped) + line.slice(at + 1);
}

export class FaultInjector {
  private rates: Record<Direction, LineFaultRates>;
  private random: () => number;
  private timers = new Set<NodeJS.Timeout>();
  private readonly held: Record<Direction, { line: string; copies: number; releaseAt: number }[]> = {
    inbound: [],
    outbound: [],
  };
  private readonly passed: Record<Direction, number> = { inbound: 0, outbound: 0 };
  readonly counts: Record<Direction, FaultCounts> = { inbound: zero(), outbound: zero() };

  constructor(options: FaultInjectorOptions = {}) {
    this.random = seededRandom(options.seed ?? 1);
    this.rates = { inbound: { ...options.inbound }, outbound: { ...options.outbound } };
  }

  /** Replaces the rates of one direction (e.g. a test turns corruption on mid-run). */
  setRates(direction: Direction, rates: LineFaultRates): void {
    this.rates[direction] = { ...rates };
  }

  /** Total faults of each kind over both directions. */
  get totals(): FaultCounts {
    const t = zero();
    for (const d of ['inbound', 'outbound'] as const)
      for (const k of Object.keys(t) as FaultKind[]) t[k] += this.counts[d][k];
    return t;
  }

  /** Passes `line` to `deliver` zero, one or two times, possibly changed or later. */
  apply(direction: Direction, line: string, deliver: (line: string) => void): void {
    const r = this.rates[direction];
    // Lines held by count go out once enough newer lines have passed (before this one).
    const n = ++this.passed[direction];
    const due = this.held[direction].filter((h) => h.releaseAt <= n);
    if (due.length) {
      this.held[direction] = this.held[direction].filter((h) => h.releaseAt > n);
      for (const h of due) for (let i = 0; i < h.copies; i++) deliver(h.line);
    }
    const hit = (p: number | undefined): boolean => (p ?? 0) > 0 && this.random() < p!;
    const count = this.counts[direction];
    if (hit(r.drop)) {
      count.drop++;
      return;
    }
    let out = line;
    if (hit(r.corrupt)) {
      count.corrupt++;
      out = corruptLine(line, this.random);
    }
    const copies = hit(r.duplicate) ? 2 : 1;
    if (copies === 2) count.duplicate++;
    if (hit(r.hold)) {
      count.hold++;
      this.held[direction].push({ line: out, copies, releaseAt: n + (r.holdLines ?? 64) });
      return;
    }
    if (hit(r.delay)) {
      count.delay++;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        for (let i = 0; i < copies; i++) deliver(out);
      }, r.delayMs ?? 100);
      this.timers.add(timer);
      return;
    }
    for (let i = 0; i < copies; i++) deliver(out);
  }

  /** Drops every line still held back by a delay. */
  cancelPending(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
