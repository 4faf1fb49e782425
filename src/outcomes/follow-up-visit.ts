/**
 * Follow-up visits on the paper's schedule: baseline, post-operative, 1, 3, 6, 12 and 24 months,
 * then yearly (36m, 48m, …). `final` marks a final follow-up whose month was not recorded (a cohort
 * imported from a published table); when present it is the final visit.
 */

export type VisitKind = 'baseline' | 'post-op' | 'month' | 'final';

export interface Visit {
  label: string;
  kind: VisitKind;
  /** Months after surgery for month visits, else null. */
  months: number | null;
}

const EARLY_MONTHS = [1, 3, 6, 12, 24];

export const VISIT_HELP = 'baseline, post-op, 1m, 3m, 6m, 12m, 24m, then yearly (36m, 48m, …), or final';

export type VisitParse = { ok: true; visit: Visit } | { ok: false; reason: string };

export function parseVisit(input: string): VisitParse {
  const text = input.trim().toLowerCase();
  if (text === 'baseline') return { ok: true, visit: { label: 'baseline', kind: 'baseline', months: null } };
  if (text === 'post-op' || text === 'postop' || text === 'post')
    return { ok: true, visit: { label: 'post-op', kind: 'post-op', months: null } };
  if (text === 'final') return { ok: true, visit: { label: 'final', kind: 'final', months: null } };
  const m = /^(\d{1,3})\s*(?:m|mo|months?)$/.exec(text);
  if (m) {
    const months = Number(m[1]);
    if (EARLY_MONTHS.includes(months) || (months > 24 && months % 12 === 0)) {
      return { ok: true, visit: { label: `${months}m`, kind: 'month', months } };
    }
    return { ok: false, reason: `${months} months is not on the follow-up schedule (${VISIT_HELP})` };
  }
  return { ok: false, reason: `'${input}' is not a follow-up visit; use ${VISIT_HELP}` };
}

/** Sort key: baseline, post-op, month visits by month, final last. */
export function visitOrder(v: Visit): number {
  switch (v.kind) {
    case 'baseline':
      return -2;
    case 'post-op':
      return -1;
    case 'month':
      return v.months!;
    case 'final':
      return Number.MAX_SAFE_INTEGER;
  }
}

/** The final follow-up among visits: `final` if recorded, else the latest month visit; null if none. */
export function finalVisit<T extends { visit: Visit }>(visits: readonly T[]): T | null {
  const later = visits.filter((v) => v.visit.kind === 'final' || v.visit.kind === 'month');
  if (later.length === 0) return null;
  return later.reduce((a, b) => (visitOrder(b.visit) > visitOrder(a.visit) ? b : a));
}
