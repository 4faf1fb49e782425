/**
 * Paired effect size and post hoc power, as the paper's Discussion reports them (Cohen's d = 0.89,
 * power 0.71, from G*Power 3.1.9.7 on baseline vs final NRS over the whole cohort).
 *
 * G*Power, "t tests – Means: difference between two dependent means (matched pairs)", post hoc:
 * effect size dz = mean(diff) / SD(diff); noncentral t with df = n − 1 and δ = dz·√n;
 * power = P(T' > t_crit) + P(T' < −t_crit) with t_crit the two-tailed critical value at α.
 */
import { mean, sampleSd } from './descriptive-statistics.js';
import { noncentralTCdf } from './noncentral-t.js';
import { studentTQuantile } from './student-t.js';

/** Cohen's dz for paired data: mean of the differences over their sample SD. */
export function cohensDz(before: readonly number[], after: readonly number[]): number {
  if (before.length !== after.length) {
    throw new RangeError(`paired data need equal lengths (${before.length} before, ${after.length} after)`);
  }
  if (before.length < 2) throw new RangeError(`Cohen's dz needs at least 2 pairs, got ${before.length}`);
  const diffs = before.map((b, i) => b - after[i]!);
  const sd = sampleSd(diffs)!;
  if (sd === 0) throw new RangeError("Cohen's dz is undefined when every paired difference is the same");
  return mean(diffs)! / sd;
}

export interface PairedPower {
  n: number;
  dz: number;
  alpha: number;
  df: number;
  tCritical: number;
  ncp: number;
  power: number;
}

/** Post hoc power of a two-tailed paired (one-sample) t-test, computed as G*Power does. */
export function pairedTTestPower(n: number, dz: number, alpha = 0.05): PairedPower {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`power needs an integer n ≥ 2, got ${n}`);
  if (!Number.isFinite(dz)) throw new RangeError(`effect size must be finite, got ${dz}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must lie in (0, 1), got ${alpha}`);
  const df = n - 1;
  const tCritical = studentTQuantile(1 - alpha / 2, df);
  const ncp = dz * Math.sqrt(n);
  const upper = 1 - noncentralTCdf(tCritical, df, ncp);
  const lowerTail = noncentralTCdf(-tCritical, df, ncp);
  return { n, dz, alpha, df, tCritical, ncp, power: upper + lowerTail };
}
