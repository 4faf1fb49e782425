/** Small statistics and output helpers shared by the benchmarks: no timing logic here. */

/** Quantile by the nearest-rank method (p in 0–1) of an unsorted sample. */
export function quantile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

export interface Spread {
  n: number;
  median: number;
  p99: number;
  min: number;
  max: number;
}

export function spread(sample: readonly number[]): Spread {
  return {
    n: sample.length,
    median: quantile(sample, 0.5),
    p99: quantile(sample, 0.99),
    min: sample.length ? Math.min(...sample) : Number.NaN,
    max: sample.length ? Math.max(...sample) : Number.NaN,
  };
}

/** Rounds to a few significant places for the table and the JSON line. */
export function round(value: number, decimals = 3): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

export function ratio(value: number, anchor: number): number {
  return round(value / anchor, 2);
}

/** A target line for the table: the figure, the limit and whether it holds. */
export interface Verdict {
  target: string;
  value: number;
  limit: number;
  met: boolean;
}

export function atMost(target: string, value: number, limit: number): Verdict {
  return { target, value: round(value), limit: round(limit), met: value <= limit };
}

/** Prints rows as an aligned text table (first row is the header). */
export function printTable(title: string, rows: readonly (readonly (string | number)[])[]): void {
  const text = rows.map((r) => r.map((c) => (typeof c === 'number' ? String(round(c)) : c)));
  const widths = text[0]!.map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`\n${title}\n${line(text[0]!)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const r of text.slice(1)) process.stdout.write(`${line(r)}\n`);
}

export function printVerdicts(verdicts: readonly Verdict[]): void {
  for (const v of verdicts)
    process.stdout.write(`target ${v.target}: ${v.value} ≤ ${v.limit} ${v.met ? 'MET' : 'MISSED'}\n`);
}

/** The one JSON line a benchmark prints (last line of its output). */
export function printJson(result: object): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** True when this module is the program being run (not imported by the runner or a test). */
export function isMain(importMetaUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  const here = new URL(importMetaUrl).pathname;
  return here === script || here.replace(/\.ts$/, '') === script.replace(/\.ts$/, '');
}

/** `--n 200` style integer flags with a default. */
export function intFlag(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} needs a whole number > 0, got ${argv[at + 1]}`);
  return value;
}

export const hasFlag = (argv: readonly string[], name: string): boolean => argv.includes(`--${name}`);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Median wall time of `reps` synchronous runs of `f`, each from a collected heap (run with --expose-gc)
 * so garbage left by setup is not charged to the work measured. */
export function medianTime(reps: number, f: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** medianTime for asynchronous work (a database read): each run awaited before the next starts. */
export async function medianTimeAsync(reps: number, f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
