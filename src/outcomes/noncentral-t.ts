import { lnGamma, normalCdf, regularizedBeta } from './special-functions.js';

const ERRMAX = 1e-12;
const ITRMAX = 1000;
const DBL_MIN_EXP = -1021;

/**
 * Noncentral t distribution CDF, P(T' ≤ t) for T' = (Z + δ)/√(V/df).
 *
 * Algorithm AS 243 (Lenth 1989, Appl. Statist. 38:185–189): the twin series of Guenther (1978) in
 * incomplete beta functions, with the refinements R's pnt() carries (accurate start of the error
 * bound for tiny δ², rounding guard). For δ² beyond ~1400 or df > 4e5 the series underflows and the
 * Abramowitz & Stegun 26.7.10 normal approximation is used, as R does.
 */
export function noncentralTCdf(t: number, df: number, ncp: number): number {
  if (!(df > 0) || !Number.isFinite(df))
    throw new RangeError(`degrees of freedom must be a positive finite number, got ${df}`);
  if (!Number.isFinite(ncp)) throw new RangeError(`noncentrality must be finite, got ${ncp}`);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;

  // Work with t ≥ 0: P(T' ≤ −t; δ) = 1 − P(T' ≤ t; −δ).
  const negdel = t < 0;
  const tt = negdel ? -t : t;
  const del = negdel ? -ncp : ncp;

  if (df > 4e5 || del * del > 2 * Math.LN2 * -DBL_MIN_EXP) {
    const s = 1 / (4 * df);
    const z = (tt * (1 - s) - del) / Math.sqrt(1 + tt * tt * 2 * s);
    const lower = normalCdf(z);
    return negdel ? 1 - lower : lower;
  }

  let tnc = 0;
  const x = (tt * tt) / (tt * tt + df);
  if (x > 0) {
    const lambda = del * del;
    let p = 0.5 * Math.exp(-0.5 * lambda);
    let q = Math.sqrt(2 / Math.PI) * p * del;
    let s = 0.5 - p;
    if (s < 1e-7) s = -0.5 * Math.expm1(-0.5 * lambda);
    let a = 0.5;
    const b = 0.5 * df;
    // (1 − x) computed without cancellation when t² ≪ df.
    const rxb = Math.pow(df / (tt * tt + df), b);
    const albeta = 0.5 * Math.log(Math.PI) + lnGamma(b) - lnGamma(0.5 + b);
    let xodd = regularizedBeta(x, a, b);
    let godd = 2 * rxb * Math.exp(a * Math.log(x) - albeta);
    const bx = b * x;
    let xeven = bx < Number.EPSILON ? bx : 1 - rxb;
    let geven = bx * rxb;
    tnc = p * xodd + q * xeven;
    for (let it = 1; it <= ITRMAX; it++) {
      a += 1;
      xodd -= godd;
      xeven -= geven;
      godd *= (x * (a + b - 1)) / a;
      geven *= (x * (a + b - 0.5)) / (a + 0.5);
      p *= lambda / (2 * it);
      q *= lambda / (2 * it + 1);
      tnc += p * xodd + q * xeven;
      s -= p;
      if (s < -1e-10) break; // rounding has eaten the remaining Poisson mass
      if (s <= 0 && it > 1) break;
      const errbd = 2 * s * (xodd - godd);
      if (Math.abs(errbd) < ERRMAX) break;
    }
  }
  tnc += normalCdf(-del);
  const lower = Math.min(tnc, 1);
  return negdel ? 1 - lower : lower;
}
