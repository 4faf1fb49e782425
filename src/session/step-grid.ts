import type { Range } from '../../protocol/index.js';

/**
 * The generator accepts only values on its own grid: min + k·step within [min, max]. These helpers
 * move a value onto that grid in the safe direction the caller chooses.
 */

export function isOnGrid(value: number, range: Range): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max && (value - range.min) % range.step === 0;
}

/** Largest grid value ≤ value, or null when value is below the grid. */
export function floorToGrid(value: number, range: Range): number | null {
  if (value < range.min) return null;
  const capped = Math.min(value, range.max);
  const v = range.min + Math.floor((capped - range.min) / range.step) * range.step;
  return v;
}

/** Smallest grid value ≥ value, or null when value is above the grid. */
export function ceilToGrid(value: number, range: Range): number | null {
  const raised = Math.max(value, range.min);
  const v = range.min + Math.ceil((raised - range.min) / range.step) * range.step;
  return v <= range.max ? v : null;
}

/**
 * The next grid value above (direction 1) or below (-1) an integer `value`: one key press. Past the
 * hardware range it is one step beyond it, so the caller's clamp names the limit that applies.
 */
export function neighbourOnGrid(value: number, range: Range, direction: 1 | -1): number {
  const next = direction > 0 ? ceilToGrid(value + 1, range) : floorToGrid(value - 1, range);
  return next ?? value + direction * range.step;
}

/**
 * The grid value nearest to `value` inside [lo, hi] (ties go down, the gentler side), or null when
 * no grid value lies in [lo, hi].
 */
export function nearestOnGridWithin(value: number, range: Range, lo: number, hi: number): number | null {
  const first = ceilToGrid(lo, range);
  const last = floorToGrid(hi, range);
  if (first === null || last === null || first > last) return null;
  const target = Math.min(Math.max(value, first), last);
  const below = floorToGrid(target, range);
  const above = ceilToGrid(target, range);
  const candidates = [below, above].filter((c): c is number => c !== null && c >= first && c <= last);
  // Non-empty: first ≤ target ≤ last and both are grid values, so one of floor/ceil lies between them.
  return candidates.reduce((best, c) => (Math.abs(c - target) < Math.abs(best - target) ? c : best));
}
