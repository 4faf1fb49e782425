import { UserError } from '../errors/user-error.js';
import { AGE_MAX, COST_MAX, DURATION_MONTHS_MAX, HOSPITAL_DAYS_MAX, type Sex, type Side } from './cohort-patient.js';
import { type DermatomeRange, parseDermatomeRange } from './dermatome-range.js';
import { type Visit, parseVisit, visitOrder } from './follow-up-visit.js';
import type { ComplicationCategory, OutcomeTables, ProcedureKind, Severity, TrialVerdict } from './registry-schema.js';

/**
 * What the outcomes registry holds, as values (patients, procedures, follow-ups, complications), the
 * checks every way in shares, and the mapping from stored rows. Storage itself: outcome-registry.ts.
 */
export class RegistryError extends UserError {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length ? `${message}\n  ${problems.join('\n  ')}` : message, 'input');
    this.name = 'RegistryError';
  }
}

export interface PatientFields {
  sex: Sex;
  age: number;
  location: DermatomeRange;
  side: Side;
  durationMonths: number;
  hospitalDays: number | null;
  cost: number | null;
  currency: string | null;
  priceYear: number | null;
}
export interface RegistryPatient extends PatientFields {
  id: string;
  createdAt: string;
}
export interface Procedure {
  id: number;
  patientId: string;
  kind: ProcedureKind;
  date: string | null;
  verdict: TrialVerdict | null;
  reasons: string[];
}
export interface FollowUp {
  id: number;
  patientId: string;
  visit: Visit;
  date: string | null;
  nrs: number | null;
  pdi: number | null;
  pdiDomains: number[] | null;
}
export interface Complication {
  id: number;
  patientId: string;
  procedureId: number | null;
  date: string | null;
  category: ComplicationCategory;
  severity: Severity;
  description: string;
}

/** A real calendar date written YYYY-MM-DD. */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

export function checkDate(date: string | null, what: string): void {
  if (date !== null && !isCalendarDate(date))
    throw new RegistryError(`${what} date '${date}' is not a calendar date YYYY-MM-DD`);
}

/** Range checks shared by every way a patient gets in (the SQL CHECKs are the last line). */
export function patientFieldProblems(f: Partial<PatientFields>): string[] {
  const out: string[] = [];
  const within = (v: number | null | undefined, max: number, what: string, integer = false) => {
    if (v === null || v === undefined) return;
    if (!Number.isFinite(v) || v < 0 || v > max || (integer && !Number.isInteger(v)))
      out.push(`${what} ${v} is outside 0–${max}${integer ? ' (whole number)' : ''}`);
  };
  within(f.age, AGE_MAX, 'age', true);
  within(f.durationMonths, DURATION_MONTHS_MAX, 'pain duration (months)');
  within(f.hospitalDays, HOSPITAL_DAYS_MAX, 'hospital stay (days)');
  within(f.cost, COST_MAX, 'cost');
  if (f.currency !== undefined && f.currency !== null && !/^[A-Z]{3}$/.test(f.currency))
    out.push(`currency '${f.currency}' is not an ISO 4217 code such as CNY`);
  if (
    f.priceYear !== undefined &&
    f.priceYear !== null &&
    !(Number.isInteger(f.priceYear) && f.priceYear >= 1900 && f.priceYear <= 2100)
  )
    out.push(`price year ${f.priceYear} is outside 1900–2100`);
  return out;
}

type PatientRow = OutcomeTables['outcome_patients'];
type Stored<T extends keyof OutcomeTables> = Omit<OutcomeTables[T], 'id'> & { id: number };

export function toPatient(r: PatientRow): RegistryPatient {
  const loc = parseDermatomeRange(r.location);
  if (!loc.ok) throw new RegistryError(`stored location '${r.location}' of patient ${r.id} is unreadable`);
  return {
    id: r.id,
    sex: r.sex,
    age: r.age,
    location: loc.range,
    side: r.side,
    durationMonths: r.duration_months,
    hospitalDays: r.hospital_days,
    cost: r.cost,
    currency: r.currency,
    priceYear: r.price_year,
    createdAt: r.created_at,
  };
}

export function toProcedure(r: Stored<'outcome_procedures'>): Procedure {
  return {
    id: r.id,
    patientId: r.patient_id,
    kind: r.kind,
    date: r.date,
    verdict: r.verdict,
    reasons: JSON.parse(r.reasons) as string[],
  };
}

export function toFollowUp(r: Stored<'outcome_followups'>): FollowUp {
  const v = parseVisit(r.visit);
  if (!v.ok) throw new RegistryError(`stored visit '${r.visit}' is unreadable`);
  return {
    id: r.id,
    patientId: r.patient_id,
    visit: v.visit,
    date: r.date,
    nrs: r.nrs,
    pdi: r.pdi,
    pdiDomains: r.pdi_domains ? (JSON.parse(r.pdi_domains) as number[]) : null,
  };
}

/** Visits in the pathway's order (baseline, post-op, months, final), not the order they were typed in. */
export const byVisitOrder = (a: FollowUp, b: FollowUp) => visitOrder(a.visit) - visitOrder(b.visit);

export function toComplication(r: Stored<'outcome_complications'>): Complication {
  return {
    id: r.id,
    patientId: r.patient_id,
    procedureId: r.procedure_id,
    date: r.date,
    category: r.category,
    severity: r.severity,
    description: r.description,
  };
}

/** A procedure's own rules (before the pathway is checked against the stored history). */
export function checkedProcedure(p: {
  kind: ProcedureKind;
  date: string | null;
  verdict?: TrialVerdict | null;
  reasons?: string[];
}): { verdict: TrialVerdict | null; reasons: string[] } {
  checkDate(p.date, p.kind);
  const reasons = (p.reasons ?? []).map((r) => r.trim()).filter(Boolean);
  const verdict = p.verdict ?? null;
  if (p.kind === 'scs-trial' && verdict === null)
    throw new RegistryError(
      'an SCS trial needs its verdict (--verdict pass|fail) and the reasons for it (--reason TEXT)',
    );
  if (p.kind === 'scs-trial' && reasons.length === 0)
    throw new RegistryError('an SCS trial verdict needs at least one reason (--reason TEXT)');
  if (p.kind !== 'scs-trial' && verdict !== null)
    throw new RegistryError(`only an SCS trial has a verdict, not ${p.kind}`);
  if (p.kind === 'explant' && reasons.length === 0)
    throw new RegistryError('an explant needs its reason (--reason TEXT, e.g. "loss of efficacy")');
  return { verdict, reasons };
}

/** A follow-up's own rules; returns its visit on the schedule. */
export function checkedVisit(f: { visit: string; date: string | null; nrs: number | null; pdi: number | null }): Visit {
  const visit = parseVisit(f.visit);
  if (!visit.ok) throw new RegistryError(visit.reason);
  checkDate(f.date, 'visit');
  if (f.nrs === null && f.pdi === null)
    throw new RegistryError('a follow-up needs an NRS (--nrs 0–10) or a PDI (--pdi 0–70), or both');
  if (f.nrs !== null && !(Number.isInteger(f.nrs) && f.nrs >= 0 && f.nrs <= 10))
    throw new RegistryError(`NRS ${f.nrs} is not a whole number 0–10`);
  if (f.pdi !== null && !(Number.isInteger(f.pdi) && f.pdi >= 0 && f.pdi <= 70))
    throw new RegistryError(`PDI ${f.pdi} is not a whole number 0–70`);
  return visit.visit;
}

/** A complication's own rules; returns the trimmed description. */
export function checkedComplication(c: { date: string | null; description: string }): string {
  checkDate(c.date, 'complication');
  const description = c.description.trim();
  if (description === '' || description.length > 2000)
    throw new RegistryError('a complication needs a description of 1–2000 characters (--description TEXT)');
  return description;
}

/** Items by patient id, each list in the order given. */
export function groupBy<T extends { patientId: string }>(items: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.patientId);
    if (list) list.push(item);
    else out.set(item.patientId, [item]);
  }
  return out;
}

/** A patient's fields as the table's columns (written once for insert and update). */
export function patientColumns(f: PatientFields) {
  return {
    sex: f.sex,
    age: f.age,
    location: f.location.text,
    dermatome_count: f.location.count,
    side: f.side,
    duration_months: f.durationMonths,
    hospital_days: f.hospitalDays,
    cost: f.cost,
    currency: f.currency,
    price_year: f.priceYear,
  };
}
