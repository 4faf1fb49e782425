import {
  DEFAULT_QUANTILE_METHOD,
  QUANTILE_METHOD_DESCRIPTION,
  mean,
  sampleSd,
  summarize,
  type QuantileMethod,
  type Summary,
} from './descriptive-statistics.js';
import { cohensDz, pairedTTestPower } from './paired-effect.js';
import {
  GROUPS,
  GROUP_DESCRIPTION,
  inGroup,
  type CohortPatient,
  type GroupName,
  type Scores,
} from './cohort-patient.js';
import { meetsReduction, reliefPercent } from './relief.js';
import { DERMATOMES } from './dermatome-range.js';

export interface Proportion {
  count: number;
  /** Patients with the values needed to decide. */
  n: number;
  percent: number | null;
}

export interface ScoreSummaries {
  baseline: Summary;
  post: Summary;
  final: Summary;
}

export interface CostSummary extends Summary {
  currency: string;
  priceYears: number[];
}

export interface GroupReport {
  description: string;
  n: number;
  patients: string[];
  nrs: ScoreSummaries;
  pdi: ScoreSummaries;
  /** Per patient, in the order of `patients`; null where a score is missing. */
  reliefPercent: { post: (number | null)[]; final: (number | null)[] };
  responders30AtFinal: Proportion;
  responders50AtFinal: Proportion;
  hospitalDays: Summary | null;
  /** One entry per currency; null when no patient of the group has a cost. */
  cost: CostSummary[] | null;
}

export interface PatientRelief {
  patient: string;
  groups: GroupName[];
  nrsBaseline: number | null;
  reliefPostPercent: number | null;
  reliefFinalPercent: number | null;
  meets30AtFinal: boolean | null;
  meets50AtFinal: boolean | null;
}

export interface PairedEffect {
  measure: string;
  /** Pairs with both baseline and final NRS. */
  n: number;
  meanDifference: number | null;
  sdDifference: number | null;
  dz: number | null;
  alpha: number;
  tails: 2;
  df: number | null;
  tCritical: number | null;
  ncp: number | null;
  power: number | null;
  method: string;
  /** Why dz or power is null. */
  note?: string;
}

/**
 * The paper's descriptive Results, computed from cohort records (pure). Every figure the paper
 * prints has a place here; `--json` prints this object as is.
 */
export interface CohortReport {
  n: number;
  quantileMethod: string;
  sex: Record<'M' | 'F' | 'X', number>;
  age: Summary;
  durationMonths: Summary;
  dermatomes: Summary & {
    singleLevel: number;
    multiLevel: number;
    levelCounts: Record<string, number>;
    mostCommonLevels: string[];
  };
  side: Record<'L' | 'R' | 'B', number>;
  baseline: { nrs: Summary & { counts: Record<string, number> }; pdi: Summary };
  pathway: {
    scsTrial: number;
    scsImplant: number;
    scsTrialFailed: number;
    trialFailedConservative: number;
    drez: number;
    drezAfterFailedTrial: number;
    primaryDrez: number;
  };
  groups: Record<GroupName, GroupReport>;
  relief: PatientRelief[];
  responders30AtFinal: Proportion;
  responders50AtFinal: Proportion;
  effect: PairedEffect;
}

const ALPHA = 0.05;

function proportion(flags: readonly (boolean | null)[]): Proportion {
  const known = flags.filter((f): f is boolean => f !== null);
  const count = known.filter(Boolean).length;
  return { count, n: known.length, percent: known.length ? (100 * count) / known.length : null };
}

function scoreSummaries(
  patients: readonly CohortPatient[],
  pick: (p: CohortPatient) => Scores,
  method: QuantileMethod,
): ScoreSummaries {
  return {
    baseline: summarize(
      patients.map((p) => pick(p).baseline),
      method,
    ),
    post: summarize(
      patients.map((p) => pick(p).post),
      method,
    ),
    final: summarize(
      patients.map((p) => pick(p).final),
      method,
    ),
  };
}

function countBy<K extends string>(keys: readonly K[], values: readonly string[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const v of values) if (v in out) out[v as K]++;
  return out;
}

function groupReport(group: GroupName, all: readonly CohortPatient[], method: QuantileMethod): GroupReport {
  const ps = all.filter((p) => inGroup(p, group));
  const days = ps.map((p) => p.hospitalDays).filter((d): d is number => d !== null);
  const currencies = [...new Set(ps.filter((p) => p.cost !== null).map((p) => p.currency!))].sort();
  return {
    description: GROUP_DESCRIPTION[group],
    n: ps.length,
    patients: ps.map((p) => p.patient),
    nrs: scoreSummaries(ps, (p) => p.nrs, method),
    pdi: scoreSummaries(ps, (p) => p.pdi, method),
    reliefPercent: {
      post: ps.map((p) => reliefPercent(p.nrs.baseline, p.nrs.post)),
      final: ps.map((p) => reliefPercent(p.nrs.baseline, p.nrs.final)),
    },
    responders30AtFinal: proportion(ps.map((p) => meetsReduction(p.nrs.baseline, p.nrs.final, 30))),
    responders50AtFinal: proportion(ps.map((p) => meetsReduction(p.nrs.baseline, p.nrs.final, 50))),
    hospitalDays: days.length ? summarize(days, method) : null,
    cost: currencies.length
      ? currencies.map((currency) => {
          const withCost = ps.filter((p) => p.cost !== null && p.currency === currency);
          const priceYears = [
            ...new Set(withCost.map((p) => p.priceYear).filter((y): y is number => y !== null)),
          ].sort();
          return {
            currency,
            priceYears,
            ...summarize(
              withCost.map((p) => p.cost),
              method,
            ),
          };
        })
      : null,
  };
}

function pairedEffect(patients: readonly CohortPatient[]): PairedEffect {
  const pairs = patients.filter((p) => p.nrs.baseline !== null && p.nrs.final !== null);
  const before = pairs.map((p) => p.nrs.baseline!);
  const after = pairs.map((p) => p.nrs.final!);
  const diffs = before.map((b, i) => b - after[i]!);
  const base: PairedEffect = {
    measure: 'NRS, baseline vs final follow-up (baseline − final)',
    n: pairs.length,
    meanDifference: mean(diffs),
    sdDifference: sampleSd(diffs),
    dz: null,
    alpha: ALPHA,
    tails: 2,
    df: null,
    tCritical: null,
    ncp: null,
    power: null,
    method:
      "Cohen's dz = mean(diff)/SD(diff); post hoc power of a two-tailed paired t-test as G*Power computes it: noncentral t, df = n − 1, δ = dz·√n",
  };
  if (pairs.length < 2) return { ...base, note: 'fewer than 2 patients have both baseline and final NRS' };
  if (base.sdDifference === 0) return { ...base, note: 'every paired difference is the same, so dz is undefined' };
  const dz = cohensDz(before, after);
  const power = pairedTTestPower(pairs.length, dz, ALPHA);
  return { ...base, dz, df: power.df, tCritical: power.tCritical, ncp: power.ncp, power: power.power };
}

export function cohortReport(
  patients: readonly CohortPatient[],
  method: QuantileMethod = DEFAULT_QUANTILE_METHOD,
): CohortReport {
  const levelCounts: Record<string, number> = {};
  for (const p of patients) for (const level of p.location.levels) levelCounts[level] = (levelCounts[level] ?? 0) + 1;
  const ordered = Object.fromEntries(DERMATOMES.filter((d) => levelCounts[d]).map((d) => [d, levelCounts[d]!]));
  const top = Math.max(0, ...Object.values(ordered));
  const nrsBaselines = patients.map((p) => p.nrs.baseline).filter((v): v is number => v !== null);
  const nrsCounts: Record<string, number> = {};
  for (const v of [...nrsBaselines].sort((a, b) => b - a)) nrsCounts[String(v)] = (nrsCounts[String(v)] ?? 0) + 1;
  const trialFailed = patients.filter((p) => inGroup(p, 'scs-trial-failed'));

  return {
    n: patients.length,
    quantileMethod: QUANTILE_METHOD_DESCRIPTION[method],
    sex: countBy(
      ['M', 'F', 'X'],
      patients.map((p) => p.sex),
    ),
    age: summarize(
      patients.map((p) => p.age),
      method,
    ),
    durationMonths: summarize(
      patients.map((p) => p.durationMonths),
      method,
    ),
    dermatomes: {
      ...summarize(
        patients.map((p) => p.location.count),
        method,
      ),
      singleLevel: patients.filter((p) => p.location.count === 1).length,
      multiLevel: patients.filter((p) => p.location.count > 1).length,
      levelCounts: ordered,
      mostCommonLevels: top > 0 ? Object.keys(ordered).filter((d) => ordered[d] === top) : [],
    },
    side: countBy(
      ['L', 'R', 'B'],
      patients.map((p) => p.side),
    ),
    baseline: {
      nrs: { ...summarize(nrsBaselines, method), counts: nrsCounts },
      pdi: summarize(
        patients.map((p) => p.pdi.baseline),
        method,
      ),
    },
    pathway: {
      scsTrial: patients.filter((p) => p.scsTrial === 'Y').length,
      scsImplant: patients.filter((p) => inGroup(p, 'scs-implant')).length,
      scsTrialFailed: trialFailed.length,
      trialFailedConservative: trialFailed.filter((p) => p.drez !== 'Y').length,
      drez: patients.filter((p) => inGroup(p, 'drez')).length,
      drezAfterFailedTrial: trialFailed.filter((p) => p.drez === 'Y').length,
      primaryDrez: patients.filter((p) => p.drez === 'Y' && p.scsTrial !== 'Y').length,
    },
    groups: Object.fromEntries(GROUPS.map((g) => [g, groupReport(g, patients, method)])) as Record<
      GroupName,
      GroupReport
    >,
    relief: patients.map((p) => ({
      patient: p.patient,
      groups: GROUPS.filter((g) => inGroup(p, g)),
      nrsBaseline: p.nrs.baseline,
      reliefPostPercent: reliefPercent(p.nrs.baseline, p.nrs.post),
      reliefFinalPercent: reliefPercent(p.nrs.baseline, p.nrs.final),
      meets30AtFinal: meetsReduction(p.nrs.baseline, p.nrs.final, 30),
      meets50AtFinal: meetsReduction(p.nrs.baseline, p.nrs.final, 50),
    })),
    responders30AtFinal: proportion(patients.map((p) => meetsReduction(p.nrs.baseline, p.nrs.final, 30))),
    responders50AtFinal: proportion(patients.map((p) => meetsReduction(p.nrs.baseline, p.nrs.final, 50))),
    effect: pairedEffect(patients),
  };
}
