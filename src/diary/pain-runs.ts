import type { Fraction } from './fraction.js';

export interface NrsPoint {
  /** Epoch milliseconds of the time described. */
  ms: number;
  /** The instant as written (original offset kept). */
  text: string;
  nrs: number;
}

/** x responds to baseline B at p %: 100·pd·(n − x·d) ≥ pn·n. */
export function responds(x: number, baseline: Fraction, percent: Fraction): boolean {
  const { num: n, den: d } = baseline;
  return 100n * percent.den * (n - BigInt(x) * d) >= percent.num * n;
}

/** The highest integer NRS that still responds (−1 when none does, e.g. B = 0). */
export function responderCeiling(baseline: Fraction, percent: Fraction): number {
  for (let x = 10; x >= 0; x--) if (responds(x, baseline, percent)) return x;
  return -1;
}

export interface Run {
  start: NrsPoint;
  end: NrsPoint;
  /** Distinct instants in the run. */
  entries: number;
  /** end.ms − start.ms */
  spanMs: number;
}

/**
 * Groups points at the same instant: a group responds only if every entry in it responds, so a
 * duplicate can never make a verdict better than either of its copies. Input order does not matter.
 */
export function groupByInstant(points: readonly NrsPoint[]): NrsPoint[][] {
  // A stable sort then one sweep: same groups, in time order, each in input order. (A Map keyed by
  // epoch ms was superlinear at 10^5–10^6 entries: those keys are heap numbers, not small integers.)
  const sorted = [...points].sort((a, b) => a.ms - b.ms);
  const groups: NrsPoint[][] = [];
  let group: NrsPoint[] | undefined;
  for (const p of sorted) {
    if (group && group[0]!.ms === p.ms) group.push(p);
    else groups.push((group = [p]));
  }
  return groups;
}

/** Maximal responding runs, in time order. */
export function responderRuns(
  points: readonly NrsPoint[],
  baseline: Fraction,
  percent: Fraction,
  maxGapMs: number,
  /** `groupByInstant(points)`, when the caller already has it (saves regrouping a large diary). */
  groups: readonly NrsPoint[][] = groupByInstant(points),
): Run[] {
  const runs: Run[] = [];
  let current: Run | undefined;
  // NRS takes few distinct values: decide each once (exact BigInt arithmetic) instead of per entry.
  const decided = new Map<number, boolean>();
  const respondsOnce = (x: number): boolean => {
    let r = decided.get(x);
    if (r === undefined) decided.set(x, (r = responds(x, baseline, percent)));
    return r;
  };
  for (const group of groups) {
    const ok = group.every((p) => respondsOnce(p.nrs));
    // Represent a group by its worst (highest) NRS; its instant is shared.
    const point = group.reduce((a, b) => (b.nrs > a.nrs ? b : a));
    if (!ok) {
      current = undefined;
      continue;
    }
    if (current && point.ms - current.end.ms <= maxGapMs) {
      current.end = point;
      current.entries += 1;
      current.spanMs = point.ms - current.start.ms;
    } else {
      current = { start: point, end: point, entries: 1, spanMs: 0 };
      runs.push(current);
    }
  }
  return runs;
}

export interface PainResult {
  met: boolean;
  percent: number;
  /** Integer NRS at or below which an entry responds (−1: none can). */
  responderMaxNrs: number;
  /** Hours of the longest qualifying run; 0 when none qualifies. */
  bestRunHours: number;
  /** The longest qualifying run (earliest on a tie), or null. */
  window: { start: string; end: string } | null;
  /** Hours of the longest responding run, qualifying or not. */
  longestRunHours: number;
  respondingEntries: number;
  runs: Run[];
}

/**
 * The pain half of the trial criterion (pure, exact): an NRS entry responds when its reduction from
 * the baseline B is at least p % of B, i.e. 100·(B − x) ≥ p·B, tested on integers with B = n/d and
 * p = pn/pd. A run is a stretch of consecutive trial-phase NRS entries, ordered by real instant, that
 * all respond and have no gap longer than the maximum gap; it qualifies when it spans ≥ the sustain
 * time from its first to its last entry.
 */
export function evaluatePain(
  points: readonly NrsPoint[],
  baseline: Fraction,
  percent: Fraction,
  sustainMs: number,
  maxGapMs: number,
  /** `groupByInstant(points)`, when the caller already has it. */
  groups: readonly NrsPoint[][] = groupByInstant(points),
): PainResult {
  const runs = responderRuns(points, baseline, percent, maxGapMs, groups);
  let best: Run | undefined;
  let longest: Run | undefined;
  for (const run of runs) {
    if (!longest || run.spanMs > longest.spanMs) longest = run;
    if (run.spanMs >= sustainMs && (!best || run.spanMs > best.spanMs)) best = run;
  }
  return {
    met: best !== undefined,
    percent: Number(percent.num) / Number(percent.den),
    responderMaxNrs: responderCeiling(baseline, percent),
    bestRunHours: best ? best.spanMs / 3_600_000 : 0,
    window: best ? { start: best.start.text, end: best.end.text } : null,
    longestRunHours: longest ? longest.spanMs / 3_600_000 : 0,
    respondingEntries: runs.reduce((s, r) => s + r.entries, 0),
    runs,
  };
}
