/**
 * The diary's storage shell on the shared SQLite file. Entries are append-only (triggers refuse
 * UPDATE and DELETE); a correction is a new row that supersedes the old one with a reason, so the
 * history stays readable. A second NRS at the same instant for the same patient is refused.
 * Every write is one transaction: when a method returns, the entry is on disk (WAL, synchronous=FULL).
 */
import { UserError } from '../errors/user-error.js';
import { type Db, type OpenDatabaseOptions, applyMigrations, openDatabase } from '../store/database.js';
import type { CsvProblem } from './diary-csv.js';
import type { Activity, DiaryEntry, Phase } from './entry.js';
import { type Instant, instantFromDate, parseInstant } from './instant.js';
import { patientIdProblem } from './patient-id.js';

export const DIARY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE diary_patients (
     id TEXT PRIMARY KEY,
     created_at TEXT NOT NULL,
     trial_start TEXT,
     trial_end TEXT
   ) STRICT;
   CREATE TABLE diary_entries (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     patient_id TEXT NOT NULL REFERENCES diary_patients(id),
     at TEXT NOT NULL,
     at_ms INTEGER NOT NULL,
     recorded_at TEXT NOT NULL,
     recorded_ms INTEGER NOT NULL,
     phase TEXT NOT NULL CHECK (phase IN ('baseline', 'trial')),
     nrs INTEGER CHECK (nrs BETWEEN 0 AND 10),
     pdi INTEGER CHECK (pdi BETWEEN 0 AND 70),
     pdi_domains TEXT,
     activity TEXT CHECK (activity IN ('improved', 'not-improved')),
     note TEXT,
     source TEXT NOT NULL CHECK (source IN ('add', 'import', 'correction')),
     supersedes INTEGER UNIQUE REFERENCES diary_entries(id),
     correction_reason TEXT,
     voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
     CHECK (voided = 1 OR nrs IS NOT NULL OR pdi IS NOT NULL OR activity IS NOT NULL),
     CHECK ((supersedes IS NULL) = (correction_reason IS NULL))
   ) STRICT;
   CREATE INDEX diary_entries_patient ON diary_entries (patient_id, at_ms);
   CREATE TRIGGER diary_entries_no_update BEFORE UPDATE ON diary_entries
     BEGIN SELECT RAISE(ABORT, 'diary entries are append-only: correct them instead'); END;
   CREATE TRIGGER diary_entries_no_delete BEFORE DELETE ON diary_entries
     BEGIN SELECT RAISE(ABORT, 'diary entries are append-only: correct them instead'); END;`,
  // Issue 16: entries say where they came from: the patient's phone ('web') and the bedside screen
  // ('bedside') join 'add' (CLI), 'import' and 'correction'. SQLite cannot alter a CHECK, so the table
  // is rebuilt with every row copied as is (DROP TABLE fires no DELETE trigger).
  `CREATE TABLE diary_entries_v2 (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     patient_id TEXT NOT NULL REFERENCES diary_patients(id),
     at TEXT NOT NULL,
     at_ms INTEGER NOT NULL,
     recorded_at TEXT NOT NULL,
     recorded_ms INTEGER NOT NULL,
     phase TEXT NOT NULL CHECK (phase IN ('baseline', 'trial')),
     nrs INTEGER CHECK (nrs BETWEEN 0 AND 10),
     pdi INTEGER CHECK (pdi BETWEEN 0 AND 70),
     pdi_domains TEXT,
     activity TEXT CHECK (activity IN ('improved', 'not-improved')),
     note TEXT,
     source TEXT NOT NULL CHECK (source IN ('add', 'import', 'correction', 'web', 'bedside')),
     supersedes INTEGER UNIQUE REFERENCES diary_entries_v2(id),
     correction_reason TEXT,
     voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
     CHECK (voided = 1 OR nrs IS NOT NULL OR pdi IS NOT NULL OR activity IS NOT NULL),
     CHECK ((supersedes IS NULL) = (correction_reason IS NULL))
   ) STRICT;
   INSERT INTO diary_entries_v2 SELECT id, patient_id, at, at_ms, recorded_at, recorded_ms, phase, nrs, pdi, pdi_domains,
     activity, note, source, supersedes, correction_reason, voided FROM diary_entries ORDER BY id;
   DROP TABLE diary_entries;
   ALTER TABLE diary_entries_v2 RENAME TO diary_entries;
   CREATE INDEX diary_entries_patient ON diary_entries (patient_id, at_ms);
   CREATE TRIGGER diary_entries_no_update BEFORE UPDATE ON diary_entries
     BEGIN SELECT RAISE(ABORT, 'diary entries are append-only: correct them instead'); END;
   CREATE TRIGGER diary_entries_no_delete BEFORE DELETE ON diary_entries
     BEGIN SELECT RAISE(ABORT, 'diary entries are append-only: correct them instead'); END;`,
];

/** Where an entry came from: CLI `add`, CSV `import`, a `correction`, the patient's phone, the bedside screen. */
export const ENTRY_SOURCES = ['add', 'import', 'correction', 'web', 'bedside'] as const;
export type EntrySource = (typeof ENTRY_SOURCES)[number];

export interface StoredEntry extends DiaryEntry {
  id: number;
  patientId: string;
  recordedAt: Instant;
  source: EntrySource;
  supersedes: number | null;
  correctionReason: string | null;
  voided: boolean;
  /** Id of the entry that replaced this one (history only). */
  supersededBy: number | null;
}

export interface Patient {
  id: string;
  createdAt: string;
  trialStart: Instant | null;
  trialEnd: Instant | null;
}

/** A rejected write; `problems` carries line numbers for imports. */
export class DiaryStoreError extends UserError {
  constructor(
    message: string,
    readonly problems: CsvProblem[] = [],
  ) {
    super(message, 'input');
    this.name = 'DiaryStoreError';
  }
}

interface Row {
  id: number;
  patient_id: string;
  at: string;
  recorded_at: string;
  phase: Phase;
  nrs: number | null;
  pdi: number | null;
  pdi_domains: string | null;
  activity: Activity | null;
  note: string | null;
  source: StoredEntry['source'];
  supersedes: number | null;
  correction_reason: string | null;
  voided: number;
  superseded_by: number | null;
}

const SELECT = `SELECT e.*, (SELECT s.id FROM diary_entries s WHERE s.supersedes = e.id) AS superseded_by
  FROM diary_entries e WHERE e.patient_id = ?`;

export class DiaryStore {
  private readonly now: () => Date;

  constructor(
    readonly db: Db,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    applyMigrations(db, 'diary', DIARY_MIGRATIONS);
  }

  static open(options: OpenDatabaseOptions & { now?: () => Date } = {}): DiaryStore {
    return new DiaryStore(openDatabase(options), options);
  }

  close(): void {
    this.db.close();
  }

  getPatient(id: string): Patient | undefined {
    const row = this.db.prepare('SELECT * FROM diary_patients WHERE id = ?').get(id) as
      | { id: string; created_at: string; trial_start: string | null; trial_end: string | null }
      | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      createdAt: row.created_at,
      trialStart: row.trial_start ? parseInstant(row.trial_start) : null,
      trialEnd: row.trial_end ? parseInstant(row.trial_end) : null,
    };
  }

  listPatients(): string[] {
    return (this.db.prepare('SELECT id FROM diary_patients ORDER BY id').all() as { id: string }[]).map((r) => r.id);
  }

  /** Sets the trial's start and/or end (an omitted one is kept). */
  setTrial(patientId: string, trial: { start?: Instant | null; end?: Instant | null }): Patient {
    return this.db
      .transaction(() => {
        this.ensurePatient(patientId);
        const p = this.getPatient(patientId)!;
        const start = trial.start === undefined ? p.trialStart : trial.start;
        const end = trial.end === undefined ? p.trialEnd : trial.end;
        if (start && end && end.ms < start.ms) throw new DiaryStoreError(`trial end ${end.text} is before trial start ${start.text}`);
        this.db.prepare('UPDATE diary_patients SET trial_start = ?, trial_end = ? WHERE id = ?').run(start?.text ?? null, end?.text ?? null, patientId);
        return this.getPatient(patientId)!;
      })
      .immediate();
  }

  /** Appends one entry; returns once committed. `source` says who typed it (CLI, bedside screen, phone). */
  add(patientId: string, entry: DiaryEntry, source: 'add' | 'bedside' | 'web' = 'add'): StoredEntry {
    return this.db.transaction(() => this.insert(patientId, entry, source, null, null)).immediate();
  }

  /** Appends all rows or none: any duplicate is reported with its line and nothing is stored. */
  importRows(patientId: string, rows: readonly { line: number; entry: DiaryEntry }[]): StoredEntry[] {
    return this.db
      .transaction(() => {
        this.ensurePatient(patientId);
        const problems: CsvProblem[] = [];
        const inBatch = new Map<number, number>();
        for (const { line, entry } of rows) {
          if (entry.nrs === null) continue;
          const dup = this.currentNrsAt(patientId, entry.at.ms);
          const earlier = inBatch.get(entry.at.ms);
          if (dup) problems.push({ line, column: 'timestamp', message: `patient ${patientId} already has an NRS at ${dup.at} (entry ${dup.id})` });
          else if (earlier !== undefined) problems.push({ line, column: 'timestamp', message: `a second NRS at the same instant as line ${earlier}` });
          else inBatch.set(entry.at.ms, line);
        }
        if (problems.length) throw new DiaryStoreError(`${problems.length} duplicate entries; nothing was imported`, problems);
        return rows.map(({ entry }) => this.insert(patientId, entry, 'import', null, null));
      })
      .immediate();
  }

  /** Supersedes entry `id` with `replacement` (or voids it when null), keeping the old row. */
  correct(patientId: string, id: number, replacement: DiaryEntry | null, reason: string): StoredEntry {
    if (reason.trim() === '') throw new DiaryStoreError('a correction needs a reason (--reason TEXT)');
    return this.db
      .transaction(() => {
        const old = this.byId(patientId, id);
        if (!old) throw new DiaryStoreError(`patient ${patientId} has no diary entry ${id}; see 'scs diary show --patient ${patientId} --history'`);
        if (old.supersededBy !== null) {
          throw new DiaryStoreError(`entry ${id} was already corrected by entry ${old.supersededBy}; correct that one instead`);
        }
        if (old.voided) throw new DiaryStoreError(`entry ${id} is a withdrawal and cannot be corrected`);
        const next: DiaryEntry = replacement ?? { ...old, nrs: null, pdi: null, pdiDomains: null, activity: null };
        return this.insert(patientId, next, 'correction', id, reason.trim(), replacement === null);
      })
      .immediate();
  }

  /** The entries in force (not superseded, not withdrawals), in time order. */
  current(patientId: string): StoredEntry[] {
    return this.history(patientId).filter((e) => e.supersededBy === null && !e.voided);
  }

  /** Every row ever written for the patient, in time described, then id order. */
  history(patientId: string): StoredEntry[] {
    const rows = this.db.prepare(`${SELECT} ORDER BY e.at_ms, e.id`).all(patientId) as Row[];
    return rows.map(toEntry);
  }

  byId(patientId: string, id: number): StoredEntry | undefined {
    const row = this.db.prepare(`${SELECT} AND e.id = ?`).get(patientId, id) as Row | undefined;
    return row ? toEntry(row) : undefined;
  }

  private ensurePatient(patientId: string): void {
    const problem = patientIdProblem(patientId);
    if (problem) throw new DiaryStoreError(problem);
    this.db.prepare('INSERT OR IGNORE INTO diary_patients (id, created_at) VALUES (?, ?)').run(patientId, instantFromDate(this.now()).text);
  }

  private currentNrsAt(patientId: string, ms: number, except?: number): { id: number; at: string } | undefined {
    return this.db
      .prepare(
        `SELECT e.id, e.at FROM diary_entries e WHERE e.patient_id = ? AND e.at_ms = ? AND e.nrs IS NOT NULL AND e.voided = 0
           AND e.id IS NOT ? AND NOT EXISTS (SELECT 1 FROM diary_entries s WHERE s.supersedes = e.id) LIMIT 1`,
      )
      .get(patientId, ms, except ?? null) as { id: number; at: string } | undefined;
  }

  private insert(
    patientId: string,
    entry: DiaryEntry,
    source: StoredEntry['source'],
    supersedes: number | null,
    reason: string | null,
    voided = false,
  ): StoredEntry {
    this.ensurePatient(patientId);
    if (entry.nrs !== null && !voided) {
      const dup = this.currentNrsAt(patientId, entry.at.ms, supersedes ?? undefined);
      if (dup) throw new DiaryStoreError(`patient ${patientId} already has an NRS at ${dup.at} (entry ${dup.id}); correct that entry instead of adding a second one`);
    }
    const recordedAt = entry.recordedAt && source === 'import' ? entry.recordedAt : instantFromDate(this.now());
    const info = this.db
      .prepare(
        `INSERT INTO diary_entries (patient_id, at, at_ms, recorded_at, recorded_ms, phase, nrs, pdi, pdi_domains, activity, note,
           source, supersedes, correction_reason, voided) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        patientId,
        entry.at.text,
        entry.at.ms,
        recordedAt.text,
        recordedAt.ms,
        entry.phase,
        entry.nrs,
        entry.pdi,
        entry.pdiDomains ? JSON.stringify(entry.pdiDomains) : null,
        entry.activity,
        entry.note,
        source,
        supersedes,
        reason,
        voided ? 1 : 0,
      );
    return this.byId(patientId, Number(info.lastInsertRowid))!;
  }
}

function toEntry(r: Row): StoredEntry {
  return {
    id: r.id,
    patientId: r.patient_id,
    at: parseInstant(r.at),
    recordedAt: parseInstant(r.recorded_at),
    phase: r.phase,
    nrs: r.nrs,
    pdi: r.pdi,
    pdiDomains: r.pdi_domains ? (JSON.parse(r.pdi_domains) as number[]) : null,
    activity: r.activity,
    note: r.note,
    source: r.source,
    supersedes: r.supersedes,
    correctionReason: r.correction_reason,
    voided: r.voided === 1,
    supersededBy: r.superseded_by,
  };
}
