/**
 * Descriptive statistics the paper reports: mean ± sample SD (n − 1), median and IQR, range.
 *
 * Quantiles: the paper ran SPSS 26, whose percentiles (Explore, Frequencies) default to the
 * "weighted average at x[(n+1)p]" definition — Hyndman & Fan (1996) type 6, also Minitab's.
 * The paper prints no median or IQR, so nothing in it pins the method down; we follow its
 * software. Type 7 (R's and numpy's default) is available for comparison.
 */

export type QuantileMethod = 'hf6' | 'hf7';

export const DEFAULT_QUANTILE_METHOD: QuantileMethod = 'hf6';

export const QUANTILE_METHOD_DESCRIPTION: Record<QuantileMethod, string> = {
  hf6: 'Hyndman–Fan type 6, weighted average at (n+1)p (SPSS default, as the paper used SPSS 26)',
  hf7: 'Hyndman–Fan type 7, 1 + (n−1)p (R and numpy default)',
};

/**
 * The values, checked and in ascending order: sums run in this order, so no figure depends on the
 * order of the patients (a cohort pooled from several sites gives exactly one store's figures).
 */
function finiteValues(values: readonly number[]): number[] {
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`statistics need finite numbers, got ${v}`);
  }
  return [...values].sort((a, b) => a - b);
}

// The *Sorted helpers take finiteValues' result, so summarize sorts once for all its figures.
function meanSorted(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  // Two-pass mean: first estimate, then correct by the mean residual (exact for representable data).
  const first = xs.reduce((s, x) => s + x, 0) / xs.length;
  return first + xs.reduce((s, x) => s + (x - first), 0) / xs.length;
}

function sdSorted(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = meanSorted(xs)!;
  const ss = xs.reduce((s, x) => s + (x - m) * (x - m), 0);
  return Math.sqrt(ss / (xs.length - 1));
}

function quantileSorted(xs: readonly number[], p: number, method: QuantileMethod): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile needs 0 ≤ p ≤ 1, got ${p}`);
  const n = xs.length;
  if (n === 0) return null;
  // h is the 1-based fractional rank.
  const h = method === 'hf6' ? (n + 1) * p : (n - 1) * p + 1;
  if (h <= 1) return xs[0]!;
  if (h >= n) return xs[n - 1]!;
  const lo = Math.floor(h);
  const frac = h - lo;
  const below = xs[lo - 1]!;
  const above = xs[lo]!;
  return below + frac * (above - below);
}

/** Arithmetic mean; null for no values. */
export function mean(values: readonly number[]): number | null {
  return meanSorted(finiteValues(values));
}

/** Sample standard deviation (divisor n − 1); null for fewer than two values. */
export function sampleSd(values: readonly number[]): number | null {
  return sdSorted(finiteValues(values));
}

/** The p-quantile (0 ≤ p ≤ 1) by the given Hyndman–Fan method; null for no values. */
export function quantile(
  values: readonly number[],
  p: number,
  method: QuantileMethod = DEFAULT_QUANTILE_METHOD,
): number | null {
  return quantileSorted(finiteValues(values), p, method);
}

export function median(values: readonly number[]): number | null {
  return quantile(values, 0.5);
}

export interface Summary {
  n: number;
  mean: number | null;
  sd: number | null;
  median: number | null;
  q1: number | null;
  q3: number | null;
  iqr: number | null;
  min: number | null;
  max: number | null;
}

/** Everything the report prints for one variable. Missing values (null) are left out and not counted. */
export function summarize(
  values: readonly (number | null | undefined)[],
  method: QuantileMethod = DEFAULT_QUANTILE_METHOD,
): Summary {
  const xs = finiteValues(values.filter((v): v is number => v !== null && v !== undefined));
  const q1 = quantileSorted(xs, 0.25, method);
  const q3 = quantileSorted(xs, 0.75, method);
  return {
    n: xs.length,
    mean: meanSorted(xs),
    sd: sdSorted(xs),
    median: quantileSorted(xs, 0.5, method),
    q1,
    q3,
    iqr: q1 === null || q3 === null ? null : q3 - q1,
    min: xs.length ? xs[0]! : null,
    max: xs.length ? xs[xs.length - 1]! : null,
  };
}
