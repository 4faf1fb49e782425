/**
 * Central Student t distribution: CDF, density and quantile for real df > 0.
 * CDF through the incomplete beta; quantile by safeguarded Newton iteration on the CDF.
 */
import { lnBeta, normalQuantile, regularizedBeta } from './special-functions.js';

function assertDf(df: number): void {
  if (!(df > 0) || !Number.isFinite(df))
    throw new RangeError(`degrees of freedom must be a positive finite number, got ${df}`);
}

/** P(T ≤ t) for T ~ t(df). */
export function studentTCdf(t: number, df: number): number {
  assertDf(df);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2); each tail is half of it.
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** Density of t(df) at t. */
export function studentTPdf(t: number, df: number): number {
  assertDf(df);
  return Math.exp(-((df + 1) / 2) * Math.log1p((t * t) / df) - 0.5 * Math.log(df) - lnBeta(df / 2, 0.5));
}

/** The t with P(T ≤ t) = p for T ~ t(df), 0 < p < 1. */
export function studentTQuantile(p: number, df: number): number {
  assertDf(df);
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile needs 0 < p < 1, got ${p}`);
  if (p === 0.5) return 0;
  // Solve in the lower tail for accuracy, then mirror (the distribution is symmetric).
  const lower = Math.min(p, 1 - p);
  const sign = p < 0.5 ? -1 : 1;
  if (df === 1) return sign / Math.tan(Math.PI * lower); // Cauchy: t = −cot(πp) in the lower tail
  // Start from the Cornish–Fisher expansion about the normal quantile.
  const z = normalQuantile(lower);
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  let x = Math.min(z + g1 / df + g2 / (df * df), -1e-12);
  // Bracket [lo, hi] around the root in the lower tail (t < 0), then Newton with bisection fallback.
  let hi = 0;
  let lo = x;
  while (studentTCdf(lo, df) > lower) {
    hi = lo;
    lo *= 2;
  }
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(x, df) - lower;
    if (f > 0) hi = Math.min(hi, x);
    else lo = Math.max(lo, x);
    const step = f / studentTPdf(x, df);
    let next = x - step;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-14 * Math.max(1, Math.abs(x))) {
      x = next;
      break;
    }
    x = next;
  }
  return sign * -x;
}
