import type { Kysely } from 'kysely';
import type { Db } from '../store/database.js';
import { applyStoreMigrations } from '../store/dialect-migrations.js';
import { type SqlStore, type StoreOptions, borrowed, openSqlStore, writeTransaction } from '../store/sql-store.js';
import type { CsvProblem } from './diary-csv.js';
import { DIARY_STEPS, type DiaryTables, type EntrySource } from './diary-schema.js';
import { DiaryStoreError, isSecondNrs, secondNrs } from './diary-store-error.js';
import type { DiaryEntry } from './entry.js';
import { type Instant, instantFromDate, parseInstant } from './instant.js';
import { patientIdProblem } from './patient-id.js';
import { type EntryRow, type Patient, type StoredEntry, entryRow, toEntry } from './stored-entry.js';

export { DIARY_MIGRATIONS, ENTRY_SOURCES, type EntrySource } from './diary-schema.js';
export { DiaryStoreError } from './diary-store-error.js';
export type { Patient, StoredEntry } from './stored-entry.js';

type Q = Kysely<DiaryTables>;

/**
 * The diary's storage shell, one implementation for the SQLite file and for PostgreSQL (Kysely).
 * Entries are append-only (the database refuses UPDATE and DELETE); a correction is a new row that
 * supersedes the old one with a reason, so the history stays readable. A second NRS at the same
 * instant for the same patient is refused, in the end by a unique index. Every write is one
 * transaction: when a method resolves, the entry is committed (SQLite: WAL, synchronous=FULL).
 */
export class DiaryStore {
  private readonly now: () => Date;
  private readonly q: Q;

  constructor(
    readonly store: SqlStore,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.q = store.db as Q;
  }

  /** Opens the store the options select (SQLite file, or PostgreSQL with a database URL) and migrates it. */
  static async open(options: StoreOptions & { now?: () => Date } = {}): Promise<DiaryStore> {
    return DiaryStore.on(await openSqlStore(options), options);
  }

  /** The diary on an already open store (shared with other components). */
  static async on(store: SqlStore, options: { now?: () => Date } = {}): Promise<DiaryStore> {
    try {
      await applyStoreMigrations(store, 'diary', DIARY_STEPS);
    } catch (err) {
      await store.close();
      throw err;
    }
    return new DiaryStore(store, options);
  }

  /** The diary on a store another component owns (the registry's): closing the diary leaves it open. */
  static beside(store: SqlStore, options: { now?: () => Date } = {}): Promise<DiaryStore> {
    return DiaryStore.on(borrowed(store), options);
  }

  /** The better-sqlite3 handle behind a SQLite store (pragmas, tests); there is none on PostgreSQL. */
  get db(): Db {
    if (!this.store.sqlite) throw new Error('this diary is on PostgreSQL: there is no SQLite handle');
    return this.store.sqlite;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  async getPatient(id: string, q: Q = this.q): Promise<Patient | undefined> {
    const row = await q.selectFrom('diary_patients').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      createdAt: row.created_at,
      trialStart: row.trial_start ? parseInstant(row.trial_start) : null,
      trialEnd: row.trial_end ? parseInstant(row.trial_end) : null,
    };
  }

  async listPatients(): Promise<string[]> {
    return (await this.q.selectFrom('diary_patients').select('id').orderBy('id').execute()).map((r) => r.id);
  }

  /** Sets the trial's start and/or end (an omitted one is kept). */
  setTrial(patientId: string, trial: { start?: Instant | null; end?: Instant | null }): Promise<Patient> {
    return this.write(patientId, async (q) => {
      await this.ensurePatient(q, patientId);
      const p = (await this.getPatient(patientId, q))!;
      const start = trial.start === undefined ? p.trialStart : trial.start;
      const end = trial.end === undefined ? p.trialEnd : trial.end;
      if (start && end && end.ms < start.ms)
        throw new DiaryStoreError(`trial end ${end.text} is before trial start ${start.text}`);
      await q
        .updateTable('diary_patients')
        .set({ trial_start: start?.text ?? null, trial_end: end?.text ?? null })
        .where('id', '=', patientId)
        .execute();
      return (await this.getPatient(patientId, q))!;
    });
  }

  /** Appends one entry; resolves once committed. `source` says who typed it (CLI, bedside screen, phone). */
  add(patientId: string, entry: DiaryEntry, source: 'add' | 'bedside' | 'web' = 'add'): Promise<StoredEntry> {
    return this.write(patientId, (q) => this.addIn(q, patientId, entry, source));
  }

  /** `add` inside a transaction the caller holds (see `write`). */
  addIn(q: Q, patientId: string, entry: DiaryEntry, source: 'add' | 'bedside' | 'web'): Promise<StoredEntry> {
    return this.insert(q, patientId, entry, source, null, null);
  }

  /** Runs `fn` in one write transaction serialised per patient (other components extend a diary write). */
  write<T>(patientId: string, fn: (q: Q) => Promise<T>): Promise<T> {
    return writeTransaction(this.store, `diary:${patientId}`, fn);
  }

  /** Appends all rows or none: any duplicate is reported with its line and nothing is stored. */
  importRows(patientId: string, rows: readonly { line: number; entry: DiaryEntry }[]): Promise<StoredEntry[]> {
    return this.write(patientId, async (q) => {
      await this.ensurePatient(q, patientId);
      const problems: CsvProblem[] = [];
      const inBatch = new Map<number, number>();
      for (const { line, entry } of rows) {
        if (entry.nrs === null) continue;
        const dup = await this.currentNrsAt(q, patientId, entry.at.ms);
        const earlier = inBatch.get(entry.at.ms);
        if (dup)
          problems.push({
            line,
            column: 'timestamp',
            message: `patient ${patientId} already has an NRS at ${dup.at} (entry ${dup.id})`,
          });
        else if (earlier !== undefined)
          problems.push({ line, column: 'timestamp', message: `a second NRS at the same instant as line ${earlier}` });
        else inBatch.set(entry.at.ms, line);
      }
      if (problems.length)
        throw new DiaryStoreError(`${problems.length} duplicate entries; nothing was imported`, problems);
      const stored: StoredEntry[] = [];
      for (const { entry } of rows) stored.push(await this.insert(q, patientId, entry, 'import', null, null));
      return stored;
    });
  }

  /** Supersedes entry `id` with `replacement` (or voids it when null), keeping the old row. */
  async correct(patientId: string, id: number, replacement: DiaryEntry | null, reason: string): Promise<StoredEntry> {
    if (reason.trim() === '') throw new DiaryStoreError('a correction needs a reason (--reason TEXT)');
    return this.write(patientId, async (q) => {
      const old = await this.byId(patientId, id, q);
      if (!old)
        throw new DiaryStoreError(
          `patient ${patientId} has no diary entry ${id}; see 'scs diary show --patient ${patientId} --history'`,
        );
      if (old.supersededBy !== null) {
        throw new DiaryStoreError(
          `entry ${id} was already corrected by entry ${old.supersededBy}; correct that one instead`,
        );
      }
      if (old.voided) throw new DiaryStoreError(`entry ${id} is a withdrawal and cannot be corrected`);
      const next: DiaryEntry = replacement ?? { ...old, nrs: null, pdi: null, pdiDomains: null, activity: null };
      return this.insert(q, patientId, next, 'correction', id, reason.trim(), replacement === null);
    });
  }

  /** The entries in force (not superseded, not withdrawals), in time order. */
  async current(patientId: string): Promise<StoredEntry[]> {
    return (await this.history(patientId)).filter((e) => e.supersededBy === null && !e.voided);
  }

  /** Every row ever written for the patient, in time described, then id order. */
  async history(patientId: string, q: Q = this.q): Promise<StoredEntry[]> {
    const rows = await this.select(q, patientId).orderBy('e.at_ms').orderBy('e.id').execute();
    return rows.map((r) => toEntry(r as EntryRow));
  }

  async byId(patientId: string, id: number, q: Q = this.q): Promise<StoredEntry | undefined> {
    const row = await this.select(q, patientId).where('e.id', '=', id).executeTakeFirst();
    return row ? toEntry(row as EntryRow) : undefined;
  }

  private select(q: Q, patientId: string) {
    return q
      .selectFrom('diary_entries as e')
      .selectAll('e')
      .select((eb) =>
        eb.selectFrom('diary_entries as s').select('s.id').whereRef('s.supersedes', '=', 'e.id').as('superseded_by'),
      )
      .where('e.patient_id', '=', patientId);
  }

  private async ensurePatient(q: Q, patientId: string): Promise<void> {
    const problem = patientIdProblem(patientId);
    if (problem) throw new DiaryStoreError(problem);
    await q
      .insertInto('diary_patients')
      .values({ id: patientId, created_at: instantFromDate(this.now()).text, trial_start: null, trial_end: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  /** NRS rows at this instant: the current one (if any) and how many were superseded (for nrs_key). */
  private async nrsAt(q: Q, patientId: string, ms: number) {
    const rows = (await this.select(q, patientId)
      .where('e.at_ms', '=', ms)
      .where('e.nrs', 'is not', null)
      .where('e.voided', '=', 0)
      .orderBy('e.id')
      .execute()) as EntryRow[];
    return {
      current: rows.filter((r) => r.superseded_by === null),
      superseded: rows.filter((r) => r.superseded_by !== null).length,
    };
  }

  private async currentNrsAt(
    q: Q,
    patientId: string,
    ms: number,
    except?: number,
  ): Promise<{ id: number; at: string } | undefined> {
    return (await this.nrsAt(q, patientId, ms)).current.find((r) => r.id !== except);
  }

  private async insert(
    q: Q,
    patientId: string,
    entry: DiaryEntry,
    source: EntrySource,
    supersedes: number | null,
    reason: string | null,
    voided = false,
  ): Promise<StoredEntry> {
    await this.ensurePatient(q, patientId);
    let nrsKey: string | null = null;
    if (entry.nrs !== null && !voided) {
      const here = await this.nrsAt(q, patientId, entry.at.ms);
      const dup = here.current.find((r) => r.id !== supersedes);
      if (dup) throw secondNrs(patientId, dup);
      nrsKey = supersedes !== null ? `c${supersedes}` : `w${here.superseded}`;
    }
    const recordedAt = entry.recordedAt && source === 'import' ? entry.recordedAt : instantFromDate(this.now());
    let id: number;
    try {
      ({ id } = await q
        .insertInto('diary_entries')
        .values(entryRow(patientId, entry, recordedAt, { source, supersedes, reason, voided, nrsKey }))
        .returning('id')
        .executeTakeFirstOrThrow());
    } catch (err) {
      // Another station stored an NRS at this instant between our check and our insert.
      if (isSecondNrs(err)) throw secondNrs(patientId, { at: entry.at.text, id: null });
      throw err;
    }
    return (await this.byId(patientId, Number(id), q))!;
  }
}
