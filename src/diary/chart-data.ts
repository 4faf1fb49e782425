import type { DiaryEntry, Phase } from './entry.js';
import type { TrialEvaluation } from './trial-criterion.js';
import { parseInstant } from './instant.js';
import { outsideTrial } from './trial-boundaries.js';

export interface ChartPoint {
  ms: number;
  at: string;
  phase: Phase;
  nrs: number;
  /** Whether this trial-phase entry met the reduction at the configured percent (false for baseline). */
  responds: boolean;
}

/**
 * What a chart of the trial needs (pure): the NRS series in time order, the baseline, the 30 % and
 * 50 % lines (the NRS at which an entry just responds) and the qualifying window. The UI and the HTML
 * report draw from this; they never recompute the criterion. Once the trial dates are set the chart
 * spans the trial period and shows the entries that count in it (an entry typed years later must not
 * squash the trial into one column); without dates it spans every NRS entry.
 */
export interface ChartData {
  points: ChartPoint[];
  /** Baseline NRS (null when none). */
  baseline: number | null;
  /** B·(1 − percent/100): entries at or below respond. */
  responderLine: number | null;
  percent: number;
  /** B·0.5 */
  line50: number | null;
  window: { startMs: number; endMs: number; start: string; end: string } | null;
  /** Time range drawn: the trial period when its dates are set, else the points' (null when there are none). */
  range: { startMs: number; endMs: number } | null;
  /** The trial dates as set (either may be missing), for drawing the trial period; null when neither is set. */
  trialPeriod: { startMs: number | null; endMs: number | null; start: string | null; end: string | null } | null;
}

export function chartData(entries: readonly DiaryEntry[], evaluation: TrialEvaluation): ChartData {
  const B = evaluation.baseline.nrs;
  const percent = evaluation.criterion.percent;
  const maxNrs = evaluation.pain.responderMaxNrs;
  const start = evaluation.trialDates.start === null ? null : parseInstant(evaluation.trialDates.start);
  const end = evaluation.trialDates.end === null ? null : parseInstant(evaluation.trialDates.end);
  const dated = start !== null || end !== null;
  const points = entries
    .filter(
      (e) => e.nrs !== null && !(dated && (outsideTrial(e, { start, end }) !== null || (start && e.at.ms < start.ms))),
    )
    .map((e) => ({
      ms: e.at.ms,
      at: e.at.text,
      phase: e.phase,
      nrs: e.nrs!,
      responds: e.phase === 'trial' && B !== null && B > 0 && e.nrs! <= maxNrs,
    }))
    .sort((a, b) => a.ms - b.ms);
  const w = evaluation.pain.window;
  return {
    points,
    baseline: B,
    responderLine: B === null ? null : B * (1 - percent / 100),
    percent,
    line50: B === null ? null : B * 0.5,
    window: w ? { startMs: parseInstant(w.start).ms, endMs: parseInstant(w.end).ms, start: w.start, end: w.end } : null,
    range: chartRange(points, start?.ms ?? null, end?.ms ?? null),
    trialPeriod: dated
      ? { startMs: start?.ms ?? null, endMs: end?.ms ?? null, start: start?.text ?? null, end: end?.text ?? null }
      : null,
  };
}

function chartRange(points: readonly ChartPoint[], startMs: number | null, endMs: number | null): ChartData['range'] {
  const first = startMs ?? points[0]?.ms;
  const last = endMs ?? points[points.length - 1]?.ms;
  return first === undefined || last === undefined || points.length === 0
    ? null
    : { startMs: first, endMs: Math.max(first, last) };
}
