/**
 * Pain relief from recorded NRS, never from the patient's own estimate: relief % = 100·(B − x)/B.
 * Success is decided exactly (the diary's integer test), so a drop of exactly 30 % counts.
 */
import { fraction } from '../diary/fraction.js';
import { responds } from '../diary/pain-runs.js';

/** Percent reduction from baseline; null when a score is missing or the baseline is 0. */
export function reliefPercent(baseline: number | null, score: number | null): number | null {
  if (baseline === null || score === null || baseline === 0) return null;
  return (100 * (baseline - score)) / baseline;
}

/** Whether `score` is at least `percent` % below `baseline`; null when it cannot be decided. */
export function meetsReduction(baseline: number | null, score: number | null, percent: number): boolean | null {
  if (baseline === null || score === null || baseline === 0) return null;
  return responds(score, fraction(baseline), fraction(percent));
}
