import type { DiaryEntry } from './entry.js';
import type { Instant } from './instant.js';

/** Hours of a local day the trial must cover before that day is expected to have an entry (ours: half a day). */
export const EXPECTED_DAY_HOURS = 12;
const DAY_MS = 86_400_000;

/** Recorded more than this before the time described counts as "recorded before it happened" (clock skew allowance, ours). */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Missing-day reporting stops after this many days (a mistyped year must not loop for ever). */
const MAX_DAYS_SCANNED = 400;

export interface TimingFlag {
  at: string;
  recordedAt: string;
  /** recordedAt − at, in hours (negative: recorded before the time described). */
  delayHours: number;
}

/**
 * How far the diary can be trusted (H16), pure: entries written down long after the time they describe
 * (or before it), days of the trial with no entry (reported, never filled in), and the trial's length.
 *
 * Missing days: a local day (midnight to midnight at the trial start's UTC offset) is expected to have
 * an entry only when the trial covers at least EXPECTED_DAY_HOURS of it, so a trial that ends at 08:00
 * does not report its last morning as a missing day, and one that starts at 20:00 not its first evening.
 */
export interface DataQuality {
  late: TimingFlag[];
  recordedBefore: TimingFlag[];
  /** Entries whose recorded time is unknown (lateness not checked). */
  unknownRecordedTime: number;
  /** Local dates (YYYY-MM-DD) the trial covers for ≥ EXPECTED_DAY_HOURS with no trial-phase entry. */
  missingDays: string[];
  trial: { start: string; end: string; days: number } | null;
}

export function assessDataQuality(
  entries: readonly DiaryEntry[],
  lateMs: number,
  trialStart?: Instant | null,
  trialEnd?: Instant | null,
): DataQuality {
  const late: TimingFlag[] = [];
  const recordedBefore: TimingFlag[] = [];
  let unknownRecordedTime = 0;
  const sorted = [...entries].sort((a, b) => a.at.ms - b.at.ms);
  for (const e of sorted) {
    if (!e.recordedAt) {
      unknownRecordedTime++;
      continue;
    }
    const delay = e.recordedAt.ms - e.at.ms;
    // Build a flag only for the few entries that get one (a 10^6-entry diary would allocate 10^6).
    if (delay <= lateMs && delay >= -FUTURE_TOLERANCE_MS) continue;
    const flag = { at: e.at.text, recordedAt: e.recordedAt.text, delayHours: delay / 3_600_000 };
    if (delay > lateMs) late.push(flag);
    else recordedBefore.push(flag);
  }

  const trialEntries = sorted.filter((e) => e.phase === 'trial');
  const first = trialStart ?? trialEntries[0]?.at;
  const last = trialEnd ?? trialEntries[trialEntries.length - 1]?.at;
  const trial =
    first && last && last.ms >= first.ms
      ? { start: first.text, end: last.text, days: (last.ms - first.ms) / 86_400_000 }
      : null;

  const missingDays: string[] = [];
  if (first && last && last.ms >= first.ms) {
    const seen = new Set(trialEntries.map((e) => e.at.localDate));
    for (const day of expectedDays(first, last)) if (!seen.has(day)) missingDays.push(day);
  }
  return { late, recordedBefore, unknownRecordedTime, missingDays, trial };
}

/** The local dates (at `first`'s offset) that the span first..last covers for at least EXPECTED_DAY_HOURS. */
export function expectedDays(first: Instant, last: Instant): string[] {
  const offsetMs = first.offsetMinutes * 60_000;
  const [y, m, d] = first.localDate.split('-').map(Number) as [number, number, number];
  const days: string[] = [];
  let dayStart = Date.UTC(y, m - 1, d) - offsetMs;
  for (let i = 0; i < MAX_DAYS_SCANNED && dayStart <= last.ms; i++, dayStart += DAY_MS) {
    const covered = Math.min(last.ms, dayStart + DAY_MS) - Math.max(first.ms, dayStart);
    if (covered >= EXPECTED_DAY_HOURS * 3_600_000) days.push(new Date(dayStart + offsetMs).toISOString().slice(0, 10));
  }
  return days;
}

/** Human sentences for the evaluation's reasons. */
export function describeDataQuality(q: DataQuality, lateHours: number): string[] {
  const out: string[] = [];
  const list = (flags: TimingFlag[]) =>
    flags
      .slice(0, 5)
      .map((f) => `${f.at} recorded ${f.recordedAt}`)
      .join('; ') + (flags.length > 5 ? `; and ${flags.length - 5} more` : '');
  if (q.late.length > 0) {
    out.push(
      `Late entries: ${q.late.length} recorded more than ${lateHours} h after the time they describe (${list(q.late)}); they are counted but less trustworthy.`,
    );
  }
  if (q.recordedBefore.length > 0) {
    out.push(
      `${q.recordedBefore.length} entries were recorded before the time they describe (${list(q.recordedBefore)}); check the clock or the entry.`,
    );
  }
  if (q.unknownRecordedTime > 0) {
    out.push(`${q.unknownRecordedTime} entries have no recorded time, so their lateness was not checked.`);
  }
  if (q.missingDays.length > 0) {
    out.push(
      `No trial entries on ${q.missingDays.length} day(s): ${q.missingDays.join(', ')}; missing days are reported, never filled in.`,
    );
  }
  if (q.trial && q.trial.days < 5)
    out.push(`Warning: the trial lasted ${q.trial.days.toFixed(1)} days, shorter than 5 days.`);
  if (q.trial && q.trial.days > 14)
    out.push(`Warning: the trial lasted ${q.trial.days.toFixed(1)} days, longer than 14 days.`);
  return out;
}
