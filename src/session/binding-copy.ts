import type { Db } from '../store/database.js';
import { applyMigrations } from '../store/database.js';
import type { Binding } from './session-context.js';

export const BINDING_COPY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE binding_copy (
     server TEXT NOT NULL,
     patient_id TEXT NOT NULL,
     serial TEXT NOT NULL,
     proto INTEGER NOT NULL,
     confirmed_at TEXT NOT NULL,
     PRIMARY KEY (server, patient_id)
   ) STRICT;
   CREATE TABLE binding_outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     server TEXT NOT NULL,
     patient_id TEXT NOT NULL,
     serial TEXT NOT NULL,
     proto INTEGER NOT NULL,
     base_serial TEXT,
     base_proto INTEGER,
     made_at TEXT NOT NULL
   ) STRICT;`,
];

/** A re-bind made on this station and not yet taken by the server. */
export interface QueuedRebind {
  seq: number;
  patientId: string;
  binding: Binding;
  /** The binding this station had before it (null: the patient's first). */
  base: Binding | null;
  madeAt: string;
}

/** What this station holds for one patient: its newest queued re-bind, else the server's last word. */
export interface LocalBinding {
  binding: Binding;
  /** When the server last confirmed the copy (ISO), or when the queued re-bind was made. */
  since: string;
  /** Re-binds of this patient waiting to be sent. */
  waiting: number;
}

interface OutboxRow {
  seq: number;
  patient_id: string;
  serial: string;
  proto: number;
  base_serial: string | null;
  base_proto: number | null;
  made_at: string;
}

const queuedOf = (r: OutboxRow): QueuedRebind => ({
  seq: r.seq,
  patientId: r.patient_id,
  binding: { serial: r.serial, proto: r.proto },
  base: r.base_serial === null || r.base_proto === null ? null : { serial: r.base_serial, proto: r.base_proto },
  madeAt: r.made_at,
});

/**
 * H13 while PostgreSQL is away: the station's own copy of every generator binding it has read from or
 * written to the server, kept in its SQLite file with the time the server last confirmed it, and the
 * re-binds made while the server could not be reached, waiting to be sent (oldest first), each with
 * the binding it replaced on this station (its base), so that sending can tell a re-bind from a
 * conflict (see rebind-decision.ts). Copies are kept per server (the URL without credentials): a copy
 * read from one server never stands in for another's.
 */
export class BindingCopy {
  constructor(
    private readonly local: Db,
    /** The server these copies come from (redacted URL). */
    private readonly server: string,
  ) {
    applyMigrations(local, 'binding-copy', BINDING_COPY_MIGRATIONS);
  }

  /** The server's word on this patient now: its binding (or none, which drops an older copy). */
  confirm(patientId: string, binding: Binding | null, at: Date): void {
    if (binding === null) {
      this.local.prepare('DELETE FROM binding_copy WHERE server = ? AND patient_id = ?').run(this.server, patientId);
      return;
    }
    this.local
      .prepare(
        `INSERT INTO binding_copy (server, patient_id, serial, proto, confirmed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (server, patient_id) DO UPDATE SET serial = excluded.serial, proto = excluded.proto,
           confirmed_at = excluded.confirmed_at`,
      )
      .run(this.server, patientId, binding.serial, binding.proto, at.toISOString());
  }

  /** Keeps a re-bind on this station (committed when this returns) until the server takes it. */
  queue(patientId: string, binding: Binding, base: Binding | null, at: Date): void {
    this.local
      .prepare(
        `INSERT INTO binding_outbox (server, patient_id, serial, proto, base_serial, base_proto, made_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.server,
        patientId,
        binding.serial,
        binding.proto,
        base?.serial ?? null,
        base?.proto ?? null,
        at.toISOString(),
      );
  }

  /** Every re-bind waiting for this server, oldest first. */
  queued(): QueuedRebind[] {
    const rows = this.local
      .prepare(
        'SELECT seq, patient_id, serial, proto, base_serial, base_proto, made_at FROM binding_outbox WHERE server = ? ORDER BY seq',
      )
      .all(this.server) as OutboxRow[];
    return rows.map(queuedOf);
  }

  /** The server has answered this re-bind (taken, or refused as a conflict). */
  done(seq: number): void {
    this.local.prepare('DELETE FROM binding_outbox WHERE seq = ?').run(seq);
  }

  /** What this station holds for the patient, or null when it never read or made a binding for them. */
  forPatient(patientId: string): LocalBinding | null {
    const queued = this.queued().filter((q) => q.patientId === patientId);
    const newest = queued.at(-1);
    if (newest) return { binding: newest.binding, since: newest.madeAt, waiting: queued.length };
    const row = this.local
      .prepare('SELECT serial, proto, confirmed_at FROM binding_copy WHERE server = ? AND patient_id = ?')
      .get(this.server, patientId) as { serial: string; proto: number; confirmed_at: string } | undefined;
    return row ? { binding: { serial: row.serial, proto: row.proto }, since: row.confirmed_at, waiting: 0 } : null;
  }
}
