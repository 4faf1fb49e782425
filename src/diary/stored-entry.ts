import type { Insertable } from 'kysely';
import type { DiaryTables, EntrySource } from './diary-schema.js';
import type { DiaryEntry } from './entry.js';
import { type Instant, parseInstant } from './instant.js';

/** A diary entry as the store holds it: who typed it, when, and what corrected it (the row, read back). */
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

/** A patient's diary header: when it was created and the trial dates, once set. */
export interface Patient {
  id: string;
  createdAt: string;
  trialStart: Instant | null;
  trialEnd: Instant | null;
}

/** A `diary_entries` row with the id of the row that supersedes it (a subquery), as selected. */
export type EntryRow = DiaryTables['diary_entries'] & { id: number; superseded_by: number | null };

/** The row as an entry (ids as numbers: PostgreSQL returns BIGINT as text). */
export function toEntry(r: EntryRow): StoredEntry {
  return {
    id: Number(r.id),
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
    supersedes: r.supersedes === null ? null : Number(r.supersedes),
    correctionReason: r.correction_reason,
    voided: Number(r.voided) === 1,
    supersededBy: r.superseded_by === null ? null : Number(r.superseded_by),
  };
}

/** The row of a new entry (`nrsKey` decided by the store: it keeps one current NRS per instant). */
export function entryRow(
  patientId: string,
  entry: DiaryEntry,
  recordedAt: Instant,
  write: {
    source: EntrySource;
    supersedes: number | null;
    reason: string | null;
    voided: boolean;
    nrsKey: string | null;
  },
): Insertable<DiaryTables['diary_entries']> {
  return {
    patient_id: patientId,
    at: entry.at.text,
    at_ms: entry.at.ms,
    recorded_at: recordedAt.text,
    recorded_ms: recordedAt.ms,
    phase: entry.phase,
    nrs: entry.nrs,
    pdi: entry.pdi,
    pdi_domains: entry.pdiDomains ? JSON.stringify(entry.pdiDomains) : null,
    activity: entry.activity,
    note: entry.note,
    source: write.source,
    supersedes: write.supersedes,
    correction_reason: write.reason,
    voided: write.voided ? 1 : 0,
    nrs_key: write.nrsKey,
  };
}
