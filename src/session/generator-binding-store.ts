/**
 * H13: which generator (serial number) and protocol version each patient's session is bound to, in
 * the shared store (the SQLite file, or PostgreSQL with a database URL). Append-only (the database
 * refuses UPDATE and DELETE): the first binding and every explicit re-bind add a row, and the newest
 * row is the binding in force, so the history stays readable.
 */
import type { Kysely } from 'kysely';
import { UsageError } from '../errors/user-error.js';
import { patientIdProblem } from '../diary/patient-id.js';
import { applyStoreMigrations } from '../store/dialect-migrations.js';
import { type SqlStore, type StoreOptions, openSqlStore, writeTransaction } from '../store/sql-store.js';
import {
  GENERATOR_BINDING_COMPONENT,
  GENERATOR_BINDING_STEPS,
  type GeneratorBindingTables,
} from './generator-binding-schema.js';
import { type RebindDecision, decideRebind } from './rebind-decision.js';
import type { Binding } from './session-context.js';

export { GENERATOR_BINDING_MIGRATIONS } from './generator-binding-schema.js';

export interface StoredBinding extends Binding {
  patientId: string;
  /** ISO time the binding was made. */
  boundAt: string;
  /** 'first' for a patient's first generator, 'rebind' for an explicit re-bind. */
  reason: 'first' | 'rebind';
}

type Q = Kysely<GeneratorBindingTables>;
type Row = Omit<GeneratorBindingTables['generator_bindings'], 'id'>;

const fromRow = (r: Row): StoredBinding => ({
  patientId: r.patient_id,
  serial: r.serial,
  proto: r.proto,
  boundAt: r.bound_at,
  reason: r.reason,
});

function checkedPatient(patientId: string): string {
  const problem = patientIdProblem(patientId);
  if (problem) throw new UsageError(problem);
  return patientId;
}

export class GeneratorBindingStore {
  private readonly now: () => Date;
  private readonly q: Q;

  private constructor(
    readonly store: SqlStore,
    options: { now?: () => Date },
  ) {
    this.now = options.now ?? (() => new Date());
    this.q = store.db as Q;
  }

  /** Opens the store the options select (SQLite file, or PostgreSQL with a database URL) and migrates it. */
  static async open(options: StoreOptions & { now?: () => Date } = {}): Promise<GeneratorBindingStore> {
    return GeneratorBindingStore.on(await openSqlStore(options), options);
  }

  /** The bindings on an already open store; closing them closes the store. */
  static async on(store: SqlStore, options: { now?: () => Date } = {}): Promise<GeneratorBindingStore> {
    try {
      await applyStoreMigrations(store, GENERATOR_BINDING_COMPONENT, GENERATOR_BINDING_STEPS);
    } catch (err) {
      await store.close();
      throw err;
    }
    return new GeneratorBindingStore(store, options);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /** The binding in force for this patient (the newest row), or null before the first one. */
  async current(patientId: string, q: Q = this.q): Promise<StoredBinding | null> {
    const row = await q
      .selectFrom('generator_bindings')
      .selectAll()
      .where('patient_id', '=', checkedPatient(patientId))
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  /** Every binding this patient has had, oldest first. */
  async history(patientId: string): Promise<StoredBinding[]> {
    const rows = await this.q
      .selectFrom('generator_bindings')
      .selectAll()
      .where('patient_id', '=', checkedPatient(patientId))
      .orderBy('id')
      .execute();
    return rows.map(fromRow);
  }

  /**
   * Appends `binding` unless it is already the one in force; returns the binding in force. One
   * transaction serialised per patient, so two stations cannot both write a 'first' binding.
   */
  record(patientId: string, binding: Binding): Promise<StoredBinding> {
    return writeTransaction(this.store, `generator-binding ${checkedPatient(patientId)}`, async (trx) => {
      const current = await this.current(patientId, trx as Q);
      if (current && current.serial === binding.serial && current.proto === binding.proto) return current;
      return this.append(trx as Q, patientId, binding, current);
    });
  }

  /** Appends `binding` as the patient's first or as a re-bind of `current`. */
  private async append(
    trx: Q,
    patientId: string,
    binding: Binding,
    current: StoredBinding | null,
  ): Promise<StoredBinding> {
    const row: Row = {
      patient_id: patientId,
      serial: binding.serial,
      proto: binding.proto,
      bound_at: this.now().toISOString(),
      reason: current ? 'rebind' : 'first',
    };
    await trx.insertInto('generator_bindings').values(row).execute();
    return fromRow(row);
  }

  /**
   * A binding made on a station that held `base` when it made it (e.g. while the server was away):
   * appended only when `base` is still the binding in force; a conflict leaves the store as it is.
   * Returns the decision and the binding in force afterwards.
   */
  recordOver(
    patientId: string,
    base: Binding | null,
    binding: Binding,
  ): Promise<{ decision: RebindDecision; current: StoredBinding | null }> {
    return writeTransaction(this.store, `generator-binding ${checkedPatient(patientId)}`, async (trx) => {
      const current = await this.current(patientId, trx as Q);
      const decision = decideRebind(base, binding, current);
      if (decision !== 'store') return { decision, current };
      return { decision, current: await this.append(trx as Q, patientId, binding, current) };
    });
  }
}
