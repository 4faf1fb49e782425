import { localStamp, utcOffsetLabel } from './format.js';

/**
 * NRS over time as ASCII lines: 11 rows (10 at the top, 0 at the bottom), the baseline as `=`, the
 * 30% responder line as `-` (entries on or below it respond), the qualifying window marked under the
 * axis with `^`; the time axis in local time; `b` baseline entries, `*` responding and `o` non-responding trial entries. Pure text, readable without colour. Every number arrives decided by the diary core.
 */

export interface DiaryPoint {
  tMs: number;
  nrs: number;
  phase: 'baseline' | 'trial';
  /** A trial entry with at least the required reduction (decided by the diary core). */
  responds: boolean;
}

export interface RecentEntry {
  id: number;
  /** The entry as one line, e.g. `2026-12-01T10:00+01:00 trial NRS 4`. */
  text: string;
  source: string;
}

export interface DiaryChartView {
  patientId: string | null;
  points: DiaryPoint[];
  /** Baseline mean NRS, or null when there is none. */
  baselineNrs: number | null;
  /** Highest whole NRS that counts as a ≥30% reduction, or null without a baseline. */
  responderCeiling: number | null;
  /** The qualifying ≥48 h run of responding entries, null when there is none. */
  window: { startMs: number; endMs: number } | null;
  verdict: string | null;
  /** The verdict's decisive reasons, the first one beside it (diary core: `decisiveReasons`). */
  reasons: string[];
  /** Time span to draw (the trial period once its dates are set); the points' own span when absent. */
  range?: { startMs: number; endMs: number } | null;
  /** The latest entries, newest first, each with where it came from (web, bedside, add, import, ...). */
  recent?: RecentEntry[];
  /** Why no chart can be drawn (no patient, store unavailable). */
  unavailable?: string;
  /** Entries kept on this station until the diary server can be reached again. */
  waiting?: number;
}

export function chartLines(chart: DiaryChartView, width = 60): string[] {
  const points = [...chart.points].sort((a, b) => a.tMs - b.tMs);
  if (points.length === 0) return ['  (no NRS entries yet: n adds one)'];
  const t0 = chart.range?.startMs ?? points[0]!.tMs;
  const t1 = chart.range?.endMs ?? points[points.length - 1]!.tMs;
  const span = Math.max(1, t1 - t0);
  const col = (t: number) => Math.min(width - 1, Math.max(0, Math.round(((t - t0) / span) * (width - 1))));
  const grid: string[][] = Array.from({ length: 11 }, () => Array.from({ length: width }, () => ' '));
  const row = (nrs: number) => 10 - Math.max(0, Math.min(10, nrs));
  const baselineRow = chart.baselineNrs === null ? null : row(Math.round(chart.baselineNrs));
  const responderRow =
    chart.responderCeiling === null || chart.responderCeiling < 0 ? null : row(chart.responderCeiling);
  if (baselineRow !== null) grid[baselineRow]!.fill('=');
  if (responderRow !== null && responderRow !== baselineRow) grid[responderRow]!.fill('-');
  for (const p of points) grid[row(p.nrs)]![col(p.tMs)] = p.phase === 'baseline' ? 'b' : p.responds ? '*' : 'o';
  const lines = grid.map((cells, i) => `${String(10 - i).padStart(3)} |${cells.join('')}`);
  // The clinician's own clock (this process's TZ), with its offset so the axis is never ambiguous.
  const first = localStamp(t0);
  const last = localStamp(t1);
  const dates = first.padEnd(width - last.length, '-') + last;
  lines.push(`    +${dates.length <= width ? dates : '-'.repeat(width)} ${utcOffsetLabel(t1)}`);
  if (chart.window) {
    const from = col(chart.window.startMs);
    const to = col(chart.window.endMs);
    lines.push(`     ${' '.repeat(from)}${'^'.repeat(to - from + 1)} qualifying window`);
  }
  return lines;
}

export function chartLegend(chart: DiaryChartView): string {
  const parts = ['b baseline', '* responds', 'o trial'];
  if (chart.baselineNrs !== null) parts.push(`= baseline ${chart.baselineNrs.toFixed(2)}`);
  if (chart.responderCeiling !== null) parts.push(`- 30% line (≤ ${chart.responderCeiling} responds)`);
  return parts.join('  ');
}
