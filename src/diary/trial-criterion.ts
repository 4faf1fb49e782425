import { type ActivityResult, evaluateActivity, round2 } from './activity-criterion.js';
import { type DataQuality, assessDataQuality, describeDataQuality } from './data-quality.js';
import type { DiaryEntry } from './entry.js';
import { type Fraction, fraction, fractionText, meanOf, toNumber } from './fraction.js';
import type { Instant } from './instant.js';
import { type NrsPoint, type PainResult, evaluatePain, groupByInstant } from './pain-runs.js';
import { type OutsideEntry, describeTrialDates, splitByTrial } from './trial-boundaries.js';

export type Verdict = 'pass' | 'fail' | 'insufficient';

export interface CriterionOptions {
  /** Baseline NRS given explicitly (e.g. the clinic NRS) instead of the baseline-phase mean. */
  baseline?: Fraction | undefined;
  /** Required reduction in percent (default 30). */
  percent?: Fraction | undefined;
  sustainHours?: number | undefined;
  maxGapHours?: number | undefined;
  pdiMinImprovement?: Fraction | undefined;
  /** Entries recorded more than this long after the time they describe are flagged (default 24 h, ours). */
  lateHours?: number | undefined;
  trialStart?: Instant | null | undefined;
  trialEnd?: Instant | null | undefined;
}

export const DEFAULTS = {
  percent: 30,
  sustainHours: 48,
  maxGapHours: 24,
  pdiMinImprovement: 1,
  lateHours: 24,
} as const;

export interface TrialEvaluation {
  verdict: Verdict;
  criterion: {
    percent: number;
    sustainHours: number;
    maxGapHours: number;
    pdiMinImprovement: number;
    lateHours: number;
  };
  baseline: { nrs: number | null; exact: string | null; entries: number; source: 'diary' | 'option' | 'none' };
  trialNrs: { entries: number; spanHours: number; duplicateInstants: string[] };
  pain: PainSummary;
  pain50: PainSummary;
  activity: Omit<ActivityResult, 'reason'>;
  dataQuality: Omit<DataQuality, 'trial'>;
  trial: DataQuality['trial'];
  /** The trial dates as set (null when not set). */
  trialDates: { start: string | null; end: string | null };
  /** Entries the trial dates leave out of the verdict. */
  outsideTrial: OutsideEntry[];
  reasons: string[];
  /**
   * The reasons that decided the verdict, for a one-glance view (the bedside diary screen): why this
   * verdict (the verdict sentence without its "Verdict …:" lead), the criterion lines it rests on, then
   * the data-quality lines (trial dates, duplicates, late entries, missing days). Every line is in `reasons`.
   */
  decisiveReasons: string[];
}

export type PainSummary = Omit<PainResult, 'runs'> & {
  runs: { start: string; end: string; entries: number; hours: number }[];
};

/**
 * The trial decision (pure, exact): ≥ 30 % NRS reduction from baseline sustained ≥ 48 h, with improved
 * daily activity (docs/CLINICAL-RULES.md). Reasons are always given; the same pain test at 50 % is reported too.
 *
 * Verdict, in this order:
 *  - insufficient: no baseline NRS, or B = 0 (nothing to reduce);
 *  - fail: activity not met;
 *  - pass: pain met and activity met;
 *  - insufficient: pain met but activity not assessed;
 *  - fail: pain not met while the trial-phase NRS entries span ≥ the sustain time;
 *  - insufficient: pain not met and the trial-phase NRS entries span less than that.
 * Entries outside the trial dates (trial-boundaries.ts) take no part; they are listed in the reasons.
 */
export function evaluateTrial(
  all: readonly (DiaryEntry & { id?: number })[],
  options: CriterionOptions = {},
): TrialEvaluation {
  const percent = options.percent ?? fraction(DEFAULTS.percent);
  const sustainHours = options.sustainHours ?? DEFAULTS.sustainHours;
  const maxGapHours = options.maxGapHours ?? DEFAULTS.maxGapHours;
  const pdiMin = options.pdiMinImprovement ?? fraction(DEFAULTS.pdiMinImprovement);
  const lateHours = options.lateHours ?? DEFAULTS.lateHours;
  checkOptions(percent, sustainHours, maxGapHours, lateHours, options.baseline);
  const sustainMs = Math.round(sustainHours * 3_600_000);
  const maxGapMs = Math.round(maxGapHours * 3_600_000);

  const dates = { start: options.trialStart ?? null, end: options.trialEnd ?? null };
  const { inside: entries, outside } = splitByTrial(all, dates);
  const reasons: string[] = [];
  const quality: string[] = [];
  const baselineNrs = entries.filter((e) => e.phase === 'baseline' && e.nrs !== null).map((e) => e.nrs!);
  let B: Fraction | null = null;
  let source: TrialEvaluation['baseline']['source'] = 'none';
  if (options.baseline) {
    B = options.baseline;
    source = 'option';
    reasons.push(
      `Baseline NRS ${fmt(B)} given explicitly${baselineNrs.length ? ` (the ${baselineNrs.length} baseline-phase NRS entries were not used)` : ''}.`,
    );
  } else if (baselineNrs.length > 0) {
    B = meanOf(baselineNrs);
    source = 'diary';
    reasons.push(`Baseline NRS ${fmt(B)} = mean of ${baselineNrs.length} baseline-phase NRS entries.`);
  } else {
    reasons.push('No baseline: no baseline-phase NRS entries and no --baseline given.');
  }

  // The baseline line (or the B = 0 one below) decides an "insufficient: no baseline" verdict.
  let baselineReason = reasons[0]!;

  const points: NrsPoint[] = entries
    .filter((e) => e.phase === 'trial' && e.nrs !== null)
    .map((e) => ({ ms: e.at.ms, text: e.at.text, nrs: e.nrs! }));
  const groups = groupByInstant(points);
  const duplicateInstants = groups.filter((g) => g.length > 1).map((g) => g[0]!.text);
  const spanMs = groups.length ? groups[groups.length - 1]![0]!.ms - groups[0]![0]!.ms : 0;
  if (duplicateInstants.length) {
    const line = `${duplicateInstants.length} instant(s) have more than one trial NRS (${duplicateInstants.slice(0, 5).join(', ')}); the worst value at each counts.`;
    reasons.push(line);
    quality.push(line);
  }

  const zero = fraction(0);
  const pain = B && B.num > 0n ? evaluatePain(points, B, percent, sustainMs, maxGapMs, groups) : emptyPain(percent);
  const pain50 =
    B && B.num > 0n ? evaluatePain(points, B, fraction(50), sustainMs, maxGapMs, groups) : emptyPain(fraction(50));
  if (B && B.num === 0n) {
    baselineReason = 'Baseline NRS is 0: there is no pain to reduce, so the pain criterion cannot be assessed.';
    reasons.push(baselineReason);
  }
  const painReason = B && B.num > 0n ? describePain(pain, B, points.length, spanMs, sustainHours, maxGapHours) : '';
  if (B && B.num > 0n) {
    reasons.push(painReason);
    reasons.push(describePain(pain50, B, points.length, spanMs, sustainHours, maxGapHours));
  }

  const activityFull = evaluateActivity(entries, pdiMin);
  const { reason: activityReason, ...activity } = activityFull;
  reasons.push(activityReason);

  const spanOk = spanMs >= sustainMs;
  let verdict: Verdict;
  let why: string;
  let decidedBy: string[];
  if (!B || B.num === zero.num) {
    [verdict, why, decidedBy] = ['insufficient', 'the criterion needs a baseline NRS above 0.', [baselineReason]];
  } else if (activity.met === false) {
    [verdict, why, decidedBy] = ['fail', 'daily activity did not improve.', [activityReason]];
  } else if (pain.met && activity.met === true) {
    why = `≥${pain.percent}% NRS reduction sustained ≥${sustainHours} h with improved activity.`;
    [verdict, decidedBy] = ['pass', [painReason, activityReason]];
  } else if (pain.met) {
    why = 'the pain criterion is met but activity was not assessed; record a PDI or an activity attestation.';
    [verdict, decidedBy] = ['insufficient', [painReason, activityReason]];
  } else if (spanOk) {
    why = `trial NRS entries span ${hours(spanMs)} h (≥${sustainHours} h) without a qualifying run.`;
    [verdict, decidedBy] = ['fail', [painReason]];
  } else {
    why = `trial NRS entries span only ${hours(spanMs)} h, less than ${sustainHours} h.`;
    [verdict, decidedBy] = ['insufficient', [painReason]];
  }
  reasons.push(`Verdict ${verdict}: ${why}`);

  const assessed = assessDataQuality(entries, Math.round(lateHours * 3_600_000), options.trialStart, options.trialEnd);
  const qualityLines = [...describeTrialDates(dates, outside), ...describeDataQuality(assessed, lateHours)];
  reasons.push(...qualityLines);
  const { trial, ...dataQuality } = assessed;

  return {
    verdict,
    criterion: {
      percent: toNumber(percent),
      sustainHours,
      maxGapHours,
      pdiMinImprovement: toNumber(pdiMin),
      lateHours,
    },
    baseline: { nrs: B ? toNumber(B) : null, exact: B ? fractionText(B) : null, entries: baselineNrs.length, source },
    trialNrs: { entries: points.length, spanHours: spanMs / 3_600_000, duplicateInstants },
    pain: summarize(pain),
    pain50: summarize(pain50),
    activity,
    dataQuality,
    trial,
    trialDates: { start: dates.start?.text ?? null, end: dates.end?.text ?? null },
    outsideTrial: outside,
    reasons,
    decisiveReasons: [why, ...decidedBy, ...quality, ...qualityLines],
  };
}

function checkOptions(percent: Fraction, sustain: number, maxGap: number, late: number, baseline?: Fraction): void {
  if (percent.num <= 0n || percent.num > 100n * percent.den)
    throw new RangeError('percent must be above 0 and at most 100');
  if (!Number.isFinite(sustain) || sustain < 0) throw new RangeError('sustain hours must be a number ≥ 0');
  if (!Number.isFinite(maxGap) || maxGap <= 0) throw new RangeError('max gap hours must be a number > 0');
  if (!Number.isFinite(late) || late < 0) throw new RangeError('late hours must be a number ≥ 0');
  if (baseline && (baseline.num < 0n || baseline.num > 10n * baseline.den))
    throw new RangeError('baseline NRS must be 0–10');
}

function emptyPain(percent: Fraction): PainResult {
  return {
    met: false,
    percent: toNumber(percent),
    responderMaxNrs: -1,
    bestRunHours: 0,
    window: null,
    longestRunHours: 0,
    respondingEntries: 0,
    runs: [],
  };
}

function summarize(p: PainResult): PainSummary {
  return {
    ...p,
    runs: p.runs.map((r) => ({
      start: r.start.text,
      end: r.end.text,
      entries: r.entries,
      hours: r.spanMs / 3_600_000,
    })),
  };
}

function describePain(
  p: PainResult,
  B: Fraction,
  count: number,
  spanMs: number,
  sustain: number,
  maxGap: number,
): string {
  const head = `Pain ≥${p.percent}%: ${p.met ? 'met' : 'not met'}`;
  const threshold =
    p.responderMaxNrs >= 0
      ? `NRS ≤ ${p.responderMaxNrs} responds (${100 - p.percent}% of ${fmt(B)} is ${round2(toNumber(B) * (1 - p.percent / 100))})`
      : 'no NRS value can respond';
  if (count === 0) return `${head}; no trial-phase NRS entries. ${threshold}.`;
  const window = p.window
    ? `; longest qualifying run ${round2(p.bestRunHours)} h from ${p.window.start} to ${p.window.end}`
    : '';
  return (
    `${head}; ${threshold}; ${p.respondingEntries} of ${count} trial NRS entries respond, spanning ${hours(spanMs)} h in all; ` +
    `longest responding run ${round2(p.longestRunHours)} h (needs ≥${sustain} h with gaps ≤${maxGap} h)${window}.`
  );
}

const hours = (ms: number) => round2(ms / 3_600_000);
const fmt = (f: Fraction) => (f.den === 1n ? String(f.num) : `${round2(toNumber(f))} (${fractionText(f)})`);
