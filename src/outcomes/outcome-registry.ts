/**
 * The outcomes registry's storage shell: demographics, procedures with dates, follow-up visits,
 * complications and economics per pseudonymous patient, in the shared store — the SQLite file, or
 * PostgreSQL with a database URL (one Kysely implementation for both). Every write is one
 * transaction; the pathway's order is enforced (an implant needs a passed trial, an explant an
 * implant) so the registry cannot hold a history the paper's pathway does not allow.
 */
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { patientIdProblem } from '../diary/patient-id.js';
import { applyStoreMigrations } from '../store/dialect-migrations.js';
import { type SqlStore, type StoreOptions, openSqlStore, writeTransaction } from '../store/sql-store.js';
import {
  type Complication,
  type FollowUp,
  type PatientFields,
  type Procedure,
  type RegistryPatient,
  RegistryError,
  byVisitOrder,
  checkedComplication,
  checkedProcedure,
  checkedVisit,
  patientFieldProblems,
  groupBy,
  patientColumns,
  toComplication,
  toFollowUp,
  toPatient,
  toProcedure,
} from './registry-records.js';
import {
  OUTCOME_COMPONENT,
  OUTCOME_STEPS,
  type ComplicationCategory,
  type OutcomeTables,
  type ProcedureKind,
  type Severity,
  type TrialVerdict,
} from './registry-schema.js';

export * from './registry-records.js';

type Q = Kysely<OutcomeTables>;

/** Undated rows last, then by date, then in the order they were recorded (the same on both databases). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const datedOrder = <QB extends SelectQueryBuilder<any, any, any>>(qb: QB): QB =>
  qb
    .orderBy(sql`date IS NULL`)
    .orderBy(sql`date`)
    .orderBy(sql`id`) as QB;

/** Registry writes from several stations run one at a time (PostgreSQL advisory lock; SQLite: BEGIN IMMEDIATE). */
const REGISTRY_LOCK = 'scs-companion outcomes registry';

/**
 * The registry on one store. Methods return promises; inside `transaction(fn)` every call on the
 * registry handed to `fn` runs in that one transaction.
 */
export class OutcomeRegistry {
  private constructor(
    readonly store: SqlStore,
    private readonly q: Q,
    private readonly now: () => Date,
    private readonly inTransaction: boolean,
  ) {}

  /** Opens the store the options select (SQLite file, or PostgreSQL with a database URL) and migrates it. */
  static async open(options: StoreOptions & { now?: () => Date } = {}): Promise<OutcomeRegistry> {
    return OutcomeRegistry.on(await openSqlStore(options), options);
  }

  /** The registry on an already open store; closing the registry closes the store. */
  static async on(store: SqlStore, options: { now?: () => Date } = {}): Promise<OutcomeRegistry> {
    try {
      await applyStoreMigrations(store, OUTCOME_COMPONENT, OUTCOME_STEPS);
    } catch (err) {
      await store.close();
      throw err;
    }
    return new OutcomeRegistry(store, store.db as Q, options.now ?? (() => new Date()), false);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /** This store's site namespace (made once, by a migration); `scs patient export --site` overrides it. */
  async siteId(): Promise<string> {
    const row = await this.q.selectFrom('outcome_site').select('id').executeTakeFirstOrThrow();
    return row.id;
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** Runs `fn` in one write transaction; nested calls join the outer one. */
  transaction<T>(fn: (registry: OutcomeRegistry) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return writeTransaction(this.store, REGISTRY_LOCK, (trx) =>
      fn(new OutcomeRegistry(this.store, trx as Q, this.now, true)),
    );
  }

  async addPatient(id: string, f: PatientFields): Promise<RegistryPatient> {
    const idProblem = patientIdProblem(id);
    if (idProblem) throw new RegistryError(idProblem);
    const problems = patientFieldProblems(f);
    if (f.cost !== null && f.currency === null) problems.push('a cost needs its currency (--currency CNY)');
    if (problems.length) throw new RegistryError(`patient ${id} was not added:`, problems);
    return this.transaction(async (r) => {
      if (await r.getPatient(id))
        throw new RegistryError(
          `patient ${id} is already in the registry; change fields with 'scs patient update --patient ${id}'`,
        );
      await r.q
        .insertInto('outcome_patients')
        .values({ id, ...patientColumns(f), created_at: r.stamp() })
        .execute();
      return (await r.getPatient(id))!;
    });
  }

  async updatePatient(id: string, changes: Partial<PatientFields>): Promise<RegistryPatient> {
    const problems = patientFieldProblems(changes);
    if (problems.length) throw new RegistryError(`patient ${id} was not changed:`, problems);
    return this.transaction(async (r) => {
      const merged = { ...(await r.requirePatient(id)), ...changes };
      if (merged.cost !== null && merged.currency === null)
        throw new RegistryError('a cost needs its currency (--currency CNY)');
      await r.q.updateTable('outcome_patients').set(patientColumns(merged)).where('id', '=', id).execute();
      return (await r.getPatient(id))!;
    });
  }

  async getPatient(id: string): Promise<RegistryPatient | undefined> {
    const row = await this.q.selectFrom('outcome_patients').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toPatient(row) : undefined;
  }

  async requirePatient(id: string): Promise<RegistryPatient> {
    const p = await this.getPatient(id);
    if (!p)
      throw new RegistryError(
        `patient ${id} is not in the registry; add them with 'scs patient add --patient ${id} ...' or 'scs cohort import FILE'`,
      );
    return p;
  }

  async listPatients(): Promise<RegistryPatient[]> {
    const rows = await this.q.selectFrom('outcome_patients').selectAll().execute();
    // Natural order, so 2 comes before 10.
    return rows.map(toPatient).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  async addProcedure(
    patientId: string,
    p: { kind: ProcedureKind; date: string | null; verdict?: TrialVerdict | null; reasons?: string[] },
  ): Promise<Procedure> {
    const { verdict, reasons } = checkedProcedure(p);
    return this.transaction(async (r) => {
      await r.requirePatient(patientId);
      const before = await r.procedures(patientId);
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
      const { id } = await r.q
        .insertInto('outcome_procedures')
        .values({
          patient_id: patientId,
          kind: p.kind,
          date: p.date,
          verdict,
          reasons: JSON.stringify(reasons),
          recorded_at: r.stamp(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return (await r.procedures(patientId)).find((q) => q.id === Number(id))!;
    });
  }

  async procedures(patientId: string): Promise<Procedure[]> {
    return (await this.procedureRows(patientId)).map(toProcedure);
  }

  /** Every patient's procedures in one query (cohort reads: no query per patient), ordered as procedures(). */
  async proceduresByPatient(): Promise<Map<string, Procedure[]>> {
    return groupBy((await this.procedureRows()).map(toProcedure));
  }

  private procedureRows(patientId?: string) {
    return this.q
      .selectFrom('outcome_procedures')
      .selectAll()
      .$if(patientId !== undefined, (qb) => qb.where('patient_id', '=', patientId!))
      .$call(datedOrder)
      .execute();
  }

  /** Every patient's follow-up visits in one query, each patient's in the pathway's order. */
  async followUpsByPatient(): Promise<Map<string, FollowUp[]>> {
    const rows = await this.q.selectFrom('outcome_followups').selectAll().execute();
    const out = groupBy(rows.map(toFollowUp));
    for (const visits of out.values()) visits.sort(byVisitOrder);
    return out;
  }

  async addFollowUp(
    patientId: string,
    f: { visit: string; date: string | null; nrs: number | null; pdi: number | null; pdiDomains?: number[] | null },
  ): Promise<FollowUp> {
    const visit = checkedVisit(f);
    return this.transaction(async (r) => {
      await r.requirePatient(patientId);
      const existing = (await r.followUps(patientId)).find((x) => x.visit.label === visit.label);
      if (existing)
        throw new RegistryError(
          `patient ${patientId} already has a ${visit.label} visit (follow-up ${existing.id}); each visit is recorded once`,
        );
      const { id } = await r.q
        .insertInto('outcome_followups')
        .values({
          patient_id: patientId,
          visit: visit.label,
          date: f.date,
          nrs: f.nrs,
          pdi: f.pdi,
          pdi_domains: f.pdiDomains ? JSON.stringify(f.pdiDomains) : null,
          recorded_at: r.stamp(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return (await r.followUps(patientId)).find((x) => x.id === Number(id))!;
    });
  }

  async followUps(patientId: string): Promise<FollowUp[]> {
    const rows = await this.q.selectFrom('outcome_followups').selectAll().where('patient_id', '=', patientId).execute();
    return rows.map(toFollowUp).sort(byVisitOrder);
  }

  async addComplication(
    patientId: string,
    c: {
      category: ComplicationCategory;
      severity: Severity;
      description: string;
      date: string | null;
      procedureId: number | null;
    },
  ): Promise<Complication> {
    const description = checkedComplication(c);
    return this.transaction(async (r) => {
      await r.requirePatient(patientId);
      if (c.procedureId !== null && !(await r.procedures(patientId)).some((p) => p.id === c.procedureId)) {
        throw new RegistryError(
          `patient ${patientId} has no procedure ${c.procedureId}; see 'scs patient show --patient ${patientId}'`,
        );
      }
      const { id } = await r.q
        .insertInto('outcome_complications')
        .values({
          patient_id: patientId,
          procedure_id: c.procedureId,
          date: c.date,
          category: c.category,
          severity: c.severity,
          description,
          recorded_at: r.stamp(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return (await r.complications(patientId)).find((x) => x.id === Number(id))!;
    });
  }

  async complications(patientId: string): Promise<Complication[]> {
    const rows = await this.q
      .selectFrom('outcome_complications')
      .selectAll()
      .where('patient_id', '=', patientId)
      .$call(datedOrder)
      .execute();
    return rows.map(toComplication);
  }
}
