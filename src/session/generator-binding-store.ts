/**
 * H13: which generator (serial number) and protocol version each patient's session is bound to, on
 * the shared SQLite file. Append-only (triggers refuse UPDATE and DELETE): the first binding and every
 * explicit re-bind add a row, and the newest row is the binding in force, so the history stays readable.
 */
import { UsageError } from '../errors/user-error.js';
import { patientIdProblem } from '../diary/patient-id.js';
import { type Db, type OpenDatabaseOptions, applyMigrations, openDatabase } from '../store/database.js';
import type { Binding } from './session-context.js';

export const GENERATOR_BINDING_MIGRATIONS: readonly string[] = [
  `CREATE TABLE generator_bindings (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     patient_id TEXT NOT NULL,
     serial TEXT NOT NULL,
     proto INTEGER NOT NULL,
     bound_at TEXT NOT NULL,
     reason TEXT NOT NULL CHECK (reason IN ('first', 'rebind'))
   ) STRICT;
   CREATE INDEX generator_bindings_patient ON generator_bindings (patient_id, id);
   CREATE TRIGGER generator_bindings_no_update BEFORE UPDATE ON generator_bindings
     BEGIN SELECT RAISE(ABORT, 'generator bindings are append-only: re-bind instead'); END;
   CREATE TRIGGER generator_bindings_no_delete BEFORE DELETE ON generator_bindings
     BEGIN SELECT RAISE(ABORT, 'generator bindings are append-only: re-bind instead'); END;`,
];

export interface StoredBinding extends Binding {
  patientId: string;
  /** ISO time the binding was made. */
  boundAt: string;
  /** 'first' for a patient's first generator, 'rebind' for an explicit re-bind. */
  reason: 'first' | 'rebind';
}

interface Row {
  patient_id: string;
  serial: string;
  proto: number;
  bound_at: string;
  reason: StoredBinding['reason'];
}

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

  constructor(
    readonly db: Db,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
    applyMigrations(db, 'generator-binding', GENERATOR_BINDING_MIGRATIONS);
  }

  static open(options: OpenDatabaseOptions & { now?: () => Date } = {}): GeneratorBindingStore {
    return new GeneratorBindingStore(openDatabase(options), options);
  }

  close(): void {
    this.db.close();
  }

  /** The binding in force for this patient (the newest row), or null before the first one. */
  current(patientId: string): StoredBinding | null {
    const row = this.db
      .prepare('SELECT * FROM generator_bindings WHERE patient_id = ? ORDER BY id DESC LIMIT 1')
      .get(checkedPatient(patientId)) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Every binding this patient has had, oldest first. */
  history(patientId: string): StoredBinding[] {
    const rows = this.db
      .prepare('SELECT * FROM generator_bindings WHERE patient_id = ? ORDER BY id')
      .all(checkedPatient(patientId)) as Row[];
    return rows.map(fromRow);
  }

  /** Appends `binding` unless it is already the one in force; returns the binding in force. */
  record(patientId: string, binding: Binding): StoredBinding {
    const write = this.db.transaction(() => {
      const current = this.current(patientId);
      if (current && current.serial === binding.serial && current.proto === binding.proto) return current;
      const row: Row = {
        patient_id: patientId,
        serial: binding.serial,
        proto: binding.proto,
        bound_at: this.now().toISOString(),
        reason: current ? 'rebind' : 'first',
      };
      this.db
        .prepare(
          'INSERT INTO generator_bindings (patient_id, serial, proto, bound_at, reason) VALUES (@patient_id, @serial, @proto, @bound_at, @reason)',
        )
        .run(row);
      return fromRow(row);
    });
    return write.immediate();
  }
}
