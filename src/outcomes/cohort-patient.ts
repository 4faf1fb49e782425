import type { DermatomeRange } from './dermatome-range.js';

/** `Y` done, `N` not done (e.g. trialled but not implanted), null not applicable / not done. */
export type YesNo = 'Y' | 'N' | null;

export const SEXES = ['M', 'F', 'X'] as const;
export type Sex = (typeof SEXES)[number];

/** Left, right, bilateral. */
export const SIDES = ['L', 'R', 'B'] as const;
export type Side = (typeof SIDES)[number];

export const NRS_MAX = 10;
export const PDI_MAX = 70;
/** Plausibility limits shared by the CSV reader and the registry. */
export const AGE_MAX = 120;
export const DURATION_MONTHS_MAX = 1200;
export const HOSPITAL_DAYS_MAX = 3650;
export const COST_MAX = 1e12;

export interface Scores {
  baseline: number | null;
  post: number | null;
  final: number | null;
}

/**
 * One patient of a cohort as the paper's Table 1 records them, plus the optional economics the
 * Results report per group. Scores: NRS 0–10, PDI 0–70, at baseline, post-operative and final
 * follow-up; post and final may be missing (not yet followed up), never imputed.
 */
export interface CohortPatient {
  /** Pseudonymous id: the same id the diary and the registry use. */
  patient: string;
  sex: Sex;
  age: number;
  location: DermatomeRange;
  side: Side;
  durationMonths: number;
  scsTrial: YesNo;
  scsImplant: YesNo;
  drez: YesNo;
  nrs: Scores;
  pdi: Scores;
  hospitalDays: number | null;
  cost: number | null;
  /** ISO 4217 code, required with a cost. */
  currency: string | null;
  /** Price level year of the cost (the paper: CNY at 2023 prices). */
  priceYear: number | null;
}

export const GROUPS = ['scs-implant', 'scs-trial-failed', 'drez'] as const;
export type GroupName = (typeof GROUPS)[number];

export const GROUP_DESCRIPTION: Record<GroupName, string> = {
  'scs-implant': 'SCS implanted',
  'scs-trial-failed': 'SCS trialled, not implanted',
  drez: 'DREZ lesioning (whatever came before)',
};

/** Groups overlap: a failed trial followed by DREZ (the paper's patient 8) is in both. */
export function inGroup(p: CohortPatient, group: GroupName): boolean {
  switch (group) {
    case 'scs-implant':
      return p.scsImplant === 'Y';
    case 'scs-trial-failed':
      return p.scsTrial === 'Y' && p.scsImplant !== 'Y';
    case 'drez':
      return p.drez === 'Y';
  }
}
