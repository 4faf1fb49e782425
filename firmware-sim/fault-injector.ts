import { createHash } from 'node:crypto';

/**
 * Deterministic line faults for the simulator: drop, corrupt (one byte changed), duplicate, delay and
 * hold, each with its own probability per direction. Each direction draws from its own PRNG seeded from
 * the seed, so which fault hits the n-th line of a direction depends on the seed and n only, never on
 * how the two directions interleave in time; scheduleDigest() lets two runs compare their schedules.
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
  /** With this, a delayed line waits for this many newer lines instead of delayMs (no clock at all). */
  delayLines?: number;
  /**
   * Probability that the line is held back until `holdLines` further lines have passed in the same
   * direction: a delay decided by message counts, not by the clock, so a seed replays it exactly.
   * Held lines survive a reconnect (they arrive on the new connection, as a buffered line would).
   */
  hold?: number;
  holdLines?: number;
  /** With this, each hold lasts a seeded draw between holdLines and holdLinesMax lines. */
  holdLinesMax?: number;
}

/** One injected fault: the direction, the line's number in that direction (from 1), what was done. */
export interface ScheduledFault {
  direction: Direction;
  line: number;
  kind: FaultKind;
}

/** The longest a held line waited, measured when it was released (reported, never used to decide). */
export interface HoldStats {
  released: number;
  longestLines: number;
  longestMs: number;
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

/** Faults kept for the digest: enough for any soak; a longer run digests its first ones. */
const SCHEDULE_MAX = 200_000;

export class FaultInjector {
  private rates: Record<Direction, LineFaultRates>;
  private readonly randoms: Record<Direction, () => number>;
  private timers = new Set<NodeJS.Timeout>();
  private readonly held: Record<
    Direction,
    { line: string; copies: number; releaseAt: number; at: number; n: number }[]
  > = {
    inbound: [],
    outbound: [],
  };
  private readonly passed: Record<Direction, number> = { inbound: 0, outbound: 0 };
  readonly counts: Record<Direction, FaultCounts> = { inbound: zero(), outbound: zero() };
  /** Every fault injected, in the order decided (see scheduleDigest). */
  readonly schedule: ScheduledFault[] = [];
  readonly holds: HoldStats = { released: 0, longestLines: 0, longestMs: 0 };

  constructor(options: FaultInjectorOptions = {}) {
    const seed = options.seed ?? 1;
    this.randoms = { inbound: seededRandom(seed), outbound: seededRandom((seed ^ 0x5bd1e995) >>> 0) };
    this.rates = { inbound: { ...options.inbound }, outbound: { ...options.outbound } };
  }

  /** Lines seen so far in each direction. */
  get lines(): Record<Direction, number> {
    return { ...this.passed };
  }

  /**
   * SHA-256 (16 hex digits) of the faults decided for the first `lines` lines of each direction: the
   * same seed gives the same digest whatever the timing, as long as both runs saw that many lines.
   */
  scheduleDigest(lines: number): string {
    // Per direction, in line order: how the two directions interleaved in time must not matter.
    const text = (['inbound', 'outbound'] as const)
      .map((d) =>
        this.schedule
          .filter((f) => f.direction === d && f.line <= lines)
          .map((f) => `${f.line}:${f.kind}`)
          .join(' '),
      )
      .join(' | ');
    return createHash('sha256').update(text).digest('hex').slice(0, 16);
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
    const random = this.randoms[direction];
    // Lines held by count go out once enough newer lines have passed (before this one).
    const n = ++this.passed[direction];
    const due = this.held[direction].filter((h) => h.releaseAt <= n);
    if (due.length) {
      this.held[direction] = this.held[direction].filter((h) => h.releaseAt > n);
      for (const h of due) {
        this.holds.released++;
        this.holds.longestLines = Math.max(this.holds.longestLines, n - h.n);
        this.holds.longestMs = Math.max(this.holds.longestMs, Math.round(performance.now() - h.at));
        for (let i = 0; i < h.copies; i++) deliver(h.line);
      }
    }
    const hit = (p: number | undefined): boolean => (p ?? 0) > 0 && random() < p!;
    const count = this.counts[direction];
    const note = (kind: FaultKind) => {
      count[kind]++;
      if (this.schedule.length < SCHEDULE_MAX) this.schedule.push({ direction, line: n, kind });
    };
    if (hit(r.drop)) {
      note('drop');
      return;
    }
    let out = line;
    if (hit(r.corrupt)) {
      note('corrupt');
      out = corruptLine(line, random);
    }
    const copies = hit(r.duplicate) ? 2 : 1;
    if (copies === 2) note('duplicate');
    if (hit(r.hold)) {
      note('hold');
      const min = r.holdLines ?? 64;
      const lines =
        r.holdLinesMax && r.holdLinesMax > min ? min + Math.floor(random() * (r.holdLinesMax - min + 1)) : min;
      this.held[direction].push({ line: out, copies, releaseAt: n + lines, at: performance.now(), n });
      return;
    }
    if (hit(r.delay)) {
      note('delay');
      if (r.delayLines !== undefined) {
        this.held[direction].push({ line: out, copies, releaseAt: n + r.delayLines, at: performance.now(), n });
        return;
      }
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
