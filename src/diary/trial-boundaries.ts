import type { DiaryEntry, Phase } from './entry.js';
import type { Instant } from './instant.js';

export interface TrialDates {
  start?: Instant | null | undefined;
  end?: Instant | null | undefined;
}

export type OutsideReason = 'before-trial-start' | 'after-trial-end' | 'baseline-after-trial-start';

/** An entry left out of the verdict: its id (null when it has none, e.g. from a file), time and why. */
export interface OutsideEntry {
  id: number | null;
  at: string;
  phase: Phase;
  why: OutsideReason;
}

/**
 * Which diary entries belong to the trial (pure). Once the trial dates are set, a trial-phase entry
 * before the start or after the end, and a baseline-phase entry at or after the start, take no part
 * in the verdict: they are kept in the diary, listed in the reasons, and left out of the arithmetic.
 * Without trial dates every entry counts by its phase (and the evaluation says the dates are missing).
 *
 * Why `e` takes no part in the verdict under `dates`, or null when it does.
 */
export function outsideTrial(e: Pick<DiaryEntry, 'at' | 'phase'>, dates: TrialDates): OutsideReason | null {
  const { start, end } = dates;
  if (e.phase === 'baseline') return start && e.at.ms >= start.ms ? 'baseline-after-trial-start' : null;
  if (start && e.at.ms < start.ms) return 'before-trial-start';
  if (end && e.at.ms > end.ms) return 'after-trial-end';
  return null;
}

/** The entries that count, and the ones left out (in time order). */
export function splitByTrial<T extends DiaryEntry & { id?: number }>(
  entries: readonly T[],
  dates: TrialDates,
): { inside: T[]; outside: OutsideEntry[] } {
  const inside: T[] = [];
  const outside: OutsideEntry[] = [];
  for (const e of entries) {
    const why = outsideTrial(e, dates);
    if (why === null) inside.push(e);
    else outside.push({ id: e.id ?? null, at: e.at.text, phase: e.phase, why });
  }
  outside.sort((a, b) => (a.at < b.at ? -1 : 1));
  return { inside, outside };
}

const WHY: Record<OutsideReason, string> = {
  'before-trial-start': 'trial-phase entry before the trial start',
  'after-trial-end': 'trial-phase entry after the trial end',
  'baseline-after-trial-start': 'baseline-phase entry at or after the trial start',
};

export function describeOutsideReason(why: OutsideReason): string {
  return WHY[why];
}

const MAX_LISTED = 20;

/** Reason sentences: what the trial dates are, and every entry they leave out (by id and time). */
export function describeTrialDates(dates: TrialDates, outside: readonly OutsideEntry[]): string[] {
  const out: string[] = [];
  if (!dates.start && !dates.end) {
    out.push(
      "Trial dates are not set: every entry counts by its phase. Set them with 'scs diary trial --start TIME --end TIME'.",
    );
  } else if (!dates.start || !dates.end) {
    out.push(
      `Trial ${dates.start ? 'end' : 'start'} is not set (trial ${dates.start?.text ?? '?'} to ${dates.end?.text ?? '?'}); entries are checked against the date that is set.`,
    );
  }
  if (outside.length > 0) {
    const listed = outside
      .slice(0, MAX_LISTED)
      .map((o) => `${o.id === null ? '' : `#${o.id} `}${o.at} (${WHY[o.why]})`)
      .join('; ');
    const more = outside.length > MAX_LISTED ? `; and ${outside.length - MAX_LISTED} more` : '';
    out.push(
      `${outside.length} entr${outside.length === 1 ? 'y lies' : 'ies lie'} outside the trial ${dates.start?.text ?? '…'} to ${dates.end?.text ?? '…'} and took no part in the verdict: ${listed}${more}.`,
    );
  }
  return out;
}

/**
 * The entries a verdict recorded on `date` (YYYY-MM-DD, the procedure's day) may rest on: those whose
 * local date is on or before it. The later ones are returned too, to be named in the reasons.
 */
export function entriesUpTo<T extends DiaryEntry>(entries: readonly T[], date: string): { kept: T[]; later: T[] } {
  const kept: T[] = [];
  const later: T[] = [];
  for (const e of entries) (e.at.localDate <= date ? kept : later).push(e);
  return { kept, later };
}

/** The reason naming entries left out because they come after the procedure date. */
export function describeLaterEntries(later: readonly (DiaryEntry & { id?: number })[], date: string): string | null {
  if (later.length === 0) return null;
  const listed = later
    .slice(0, MAX_LISTED)
    .map((e) => `${e.id === undefined ? '' : `#${e.id} `}${e.at.text}`)
    .join('; ');
  const more = later.length > MAX_LISTED ? `; and ${later.length - MAX_LISTED} more` : '';
  return `${later.length} diary entr${later.length === 1 ? 'y is' : 'ies are'} dated after the procedure (${date}) and took no part in this verdict: ${listed}${more}.`;
}
