/**
 * The outcomes registry's storage shell: demographics, procedures with dates, follow-up visits,
 * complications and economics per pseudonymous patient, in the shared SQLite store. Every write is
 * one transaction; the pathway's order is enforced (an implant needs a passed trial, an explant an
 * implant) so the registry cannot hold a history the paper's pathway does not allow.
 */
import { UserError } from '../errors/user-error.js';
import { patientIdProblem } from '../diary/patient-id.js';
import { type Db, type OpenDatabaseOptions, applyMigrations, openDatabase } from '../store/database.js';
import { AGE_MAX, COST_MAX, DURATION_MONTHS_MAX, HOSPITAL_DAYS_MAX, type Sex, type Side } from './cohort-patient.js';
import { type DermatomeRange, parseDermatomeRange } from './dermatome-range.js';
import { type Visit, parseVisit, visitOrder } from './follow-up-visit.js';
import {
  OUTCOME_COMPONENT,
  OUTCOME_MIGRATIONS,
  type ComplicationCategory,
  type ProcedureKind,
  type Severity,
  type TrialVerdict,
} from './registry-schema.js';

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

function checkDate(date: string | null, what: string): void {
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

interface PatientRow {
  id: string;
  sex: Sex;
  age: number;
  location: string;
  side: Side;
  duration_months: number;
  hospital_days: number | null;
  cost: number | null;
  currency: string | null;
  price_year: number | null;
  created_at: string;
}

function toPatient(r: PatientRow): RegistryPatient {
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

export class OutcomeRegistry {
  private readonly now: () => Date;

  constructor(
    readonly db: Db,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    applyMigrations(db, OUTCOME_COMPONENT, OUTCOME_MIGRATIONS);
  }

  static open(options: OpenDatabaseOptions & { now?: () => Date } = {}): OutcomeRegistry {
    return new OutcomeRegistry(openDatabase(options), options);
  }

  close(): void {
    this.db.close();
  }

  /** This store's site namespace (made once, by a migration); `scs patient export --site` overrides it. */
  siteId(): string {
    return (this.db.prepare('SELECT id FROM outcome_site LIMIT 1').get() as { id: string }).id;
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** Runs `fn` in one IMMEDIATE transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  addPatient(id: string, f: PatientFields): RegistryPatient {
    const idProblem = patientIdProblem(id);
    if (idProblem) throw new RegistryError(idProblem);
    const problems = patientFieldProblems(f);
    if (f.cost !== null && f.currency === null) problems.push('a cost needs its currency (--currency CNY)');
    if (problems.length) throw new RegistryError(`patient ${id} was not added:`, problems);
    return this.transaction(() => {
      if (this.getPatient(id))
        throw new RegistryError(
          `patient ${id} is already in the registry; change fields with 'scs patient update --patient ${id}'`,
        );
      this.db
        .prepare(
          `INSERT INTO outcome_patients (id, sex, age, location, dermatome_count, side, duration_months, hospital_days, cost, currency, price_year, created_at)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          f.sex,
          f.age,
          f.location.text,
          f.location.count,
          f.side,
          f.durationMonths,
          f.hospitalDays,
          f.cost,
          f.currency,
          f.priceYear,
          this.stamp(),
        );
      return this.getPatient(id)!;
    });
  }

  updatePatient(id: string, changes: Partial<PatientFields>): RegistryPatient {
    const problems = patientFieldProblems(changes);
    if (problems.length) throw new RegistryError(`patient ${id} was not changed:`, problems);
    return this.transaction(() => {
      const merged = { ...this.requirePatient(id), ...changes };
      if (merged.cost !== null && merged.currency === null)
        throw new RegistryError('a cost needs its currency (--currency CNY)');
      this.db
        .prepare(
          `UPDATE outcome_patients SET sex = ?, age = ?, location = ?, dermatome_count = ?, side = ?, duration_months = ?,
                  hospital_days = ?, cost = ?, currency = ?, price_year = ? WHERE id = ?`,
        )
        .run(
          merged.sex,
          merged.age,
          merged.location.text,
          merged.location.count,
          merged.side,
          merged.durationMonths,
          merged.hospitalDays,
          merged.cost,
          merged.currency,
          merged.priceYear,
          id,
        );
      return this.getPatient(id)!;
    });
  }

  getPatient(id: string): RegistryPatient | undefined {
    const row = this.db.prepare('SELECT * FROM outcome_patients WHERE id = ?').get(id) as PatientRow | undefined;
    return row ? toPatient(row) : undefined;
  }

  requirePatient(id: string): RegistryPatient {
    const p = this.getPatient(id);
    if (!p)
      throw new RegistryError(
        `patient ${id} is not in the registry; add them with 'scs patient add --patient ${id} ...' or 'scs cohort import FILE'`,
      );
    return p;
  }

  listPatients(): RegistryPatient[] {
    const rows = this.db.prepare('SELECT * FROM outcome_patients').all() as PatientRow[];
    // Natural order, so 2 comes before 10.
    return rows.map(toPatient).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  addProcedure(
    patientId: string,
    p: { kind: ProcedureKind; date: string | null; verdict?: TrialVerdict | null; reasons?: string[] },
  ): Procedure {
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
    return this.transaction(() => {
      this.requirePatient(patientId);
      const before = this.procedures(patientId);
      const after = (q: Procedure) => p.date === null || q.date === null || q.date <= p.date!;
      if (p.kind === 'ipg-implant' && !before.some((q) => q.kind === 'scs-trial' && q.verdict === 'pass' && after(q))) {
        throw new RegistryError(
          `patient ${patientId} has no passed SCS trial${p.date ? ` on or before ${p.date}` : ''}; an IPG implant follows a passed trial (record it with --kind scs-trial --verdict pass)`,
        );
      }
      if (p.kind === 'explant' && !before.some((q) => q.kind === 'ipg-implant' && after(q))) {
        throw new RegistryError(
          `patient ${patientId} has no IPG implant${p.date ? ` on or before ${p.date}` : ''} to explant`,
        );
      }
      const info = this.db
        .prepare(
          'INSERT INTO outcome_procedures (patient_id, kind, date, verdict, reasons, recorded_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(patientId, p.kind, p.date, verdict, JSON.stringify(reasons), this.stamp());
      return this.procedures(patientId).find((q) => q.id === Number(info.lastInsertRowid))!;
    });
  }

  procedures(patientId: string): Procedure[] {
    const rows = this.db
      .prepare('SELECT * FROM outcome_procedures WHERE patient_id = ? ORDER BY date IS NULL, date, id')
      .all(patientId) as {
      id: number;
      patient_id: string;
      kind: ProcedureKind;
      date: string | null;
      verdict: TrialVerdict | null;
      reasons: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      patientId: r.patient_id,
      kind: r.kind,
      date: r.date,
      verdict: r.verdict,
      reasons: JSON.parse(r.reasons) as string[],
    }));
  }

  addFollowUp(
    patientId: string,
    f: { visit: string; date: string | null; nrs: number | null; pdi: number | null; pdiDomains?: number[] | null },
  ): FollowUp {
    const visit = parseVisit(f.visit);
    if (!visit.ok) throw new RegistryError(visit.reason);
    checkDate(f.date, 'visit');
    if (f.nrs === null && f.pdi === null)
      throw new RegistryError('a follow-up needs an NRS (--nrs 0–10) or a PDI (--pdi 0–70), or both');
    if (f.nrs !== null && !(Number.isInteger(f.nrs) && f.nrs >= 0 && f.nrs <= 10))
      throw new RegistryError(`NRS ${f.nrs} is not a whole number 0–10`);
    if (f.pdi !== null && !(Number.isInteger(f.pdi) && f.pdi >= 0 && f.pdi <= 70))
      throw new RegistryError(`PDI ${f.pdi} is not a whole number 0–70`);
    return this.transaction(() => {
      this.requirePatient(patientId);
      const existing = this.followUps(patientId).find((x) => x.visit.label === visit.visit.label);
      if (existing)
        throw new RegistryError(
          `patient ${patientId} already has a ${visit.visit.label} visit (follow-up ${existing.id}); each visit is recorded once`,
        );
      const info = this.db
        .prepare(
          'INSERT INTO outcome_followups (patient_id, visit, date, nrs, pdi, pdi_domains, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          patientId,
          visit.visit.label,
          f.date,
          f.nrs,
          f.pdi,
          f.pdiDomains ? JSON.stringify(f.pdiDomains) : null,
          this.stamp(),
        );
      return this.followUps(patientId).find((x) => x.id === Number(info.lastInsertRowid))!;
    });
  }

  followUps(patientId: string): FollowUp[] {
    const rows = this.db.prepare('SELECT * FROM outcome_followups WHERE patient_id = ?').all(patientId) as {
      id: number;
      patient_id: string;
      visit: string;
      date: string | null;
      nrs: number | null;
      pdi: number | null;
      pdi_domains: string | null;
    }[];
    return rows
      .map((r) => {
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
      })
      .sort((a, b) => visitOrder(a.visit) - visitOrder(b.visit));
  }

  addComplication(
    patientId: string,
    c: {
      category: ComplicationCategory;
      severity: Severity;
      description: string;
      date: string | null;
      procedureId: number | null;
    },
  ): Complication {
    checkDate(c.date, 'complication');
    const description = c.description.trim();
    if (description === '' || description.length > 2000)
      throw new RegistryError('a complication needs a description of 1–2000 characters (--description TEXT)');
    return this.transaction(() => {
      this.requirePatient(patientId);
      if (c.procedureId !== null && !this.procedures(patientId).some((p) => p.id === c.procedureId)) {
        throw new RegistryError(
          `patient ${patientId} has no procedure ${c.procedureId}; see 'scs patient show --patient ${patientId}'`,
        );
      }
      const info = this.db
        .prepare(
          'INSERT INTO outcome_complications (patient_id, procedure_id, date, category, severity, description, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(patientId, c.procedureId, c.date, c.category, c.severity, description, this.stamp());
      return this.complications(patientId).find((x) => x.id === Number(info.lastInsertRowid))!;
    });
  }

  complications(patientId: string): Complication[] {
    const rows = this.db
      .prepare('SELECT * FROM outcome_complications WHERE patient_id = ? ORDER BY date IS NULL, date, id')
      .all(patientId) as {
      id: number;
      patient_id: string;
      procedure_id: number | null;
      date: string | null;
      category: ComplicationCategory;
      severity: Severity;
      description: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      patientId: r.patient_id,
      procedureId: r.procedure_id,
      date: r.date,
      category: r.category,
      severity: r.severity,
      description: r.description,
    }));
  }
}
