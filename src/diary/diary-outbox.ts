import type { Db } from '../store/database.js';
import { applyMigrations } from '../store/database.js';
import { DiaryStoreError, type StoredEntry } from './diary-store.js';
import type { DiaryEntry } from './entry.js';
import { parseInstant } from './instant.js';
import { uuidV7 } from './uuid-v7.js';
import type { WebDiaryStore } from './web/web-diary-store.js';

export const OUTBOX_MIGRATIONS: readonly string[] = [
  `CREATE TABLE diary_outbox (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     client_uuid TEXT NOT NULL UNIQUE,
     patient_id TEXT NOT NULL,
     entry TEXT NOT NULL,
     queued_at TEXT NOT NULL
   ) STRICT;`,
];

interface Queued {
  uuid: string;
  patientId: string;
  entry: DiaryEntry;
}

const toJson = (e: DiaryEntry) => JSON.stringify({ ...e, at: e.at.text, recordedAt: e.recordedAt?.text ?? null });
function fromJson(text: string): DiaryEntry {
  const o = JSON.parse(text) as Omit<DiaryEntry, 'at' | 'recordedAt'> & { at: string; recordedAt: string | null };
  return { ...o, at: parseInstant(o.at), recordedAt: o.recordedAt ? parseInstant(o.recordedAt) : null };
}

export interface FlushResult {
  sent: { uuid: string; entry: StoredEntry }[];
  /** Entries the server refused by its rules (e.g. a second NRS at one instant): dropped, with why. */
  refused: { uuid: string; reason: string }[];
  /** Still waiting (the server is unreachable). */
  waiting: number;
}

/**
 * The station's outbox for a diary kept on a server: every entry typed at the bedside is first
 * written to the station's own SQLite file (durable at once, whatever the network does), then sent
 * with its UUIDv7 key; the server stores a key once (diary_web_entries), so an entry whose answer was
 * lost is sent again and still stored exactly once. While the server is unreachable entries wait here
 * and the bedside keeps working: a station never depends on the database to program or stop.
 */
export class DiaryOutbox {
  constructor(
    private readonly local: Db,
    /** Connects to the server (called again after a failure). */
    private readonly connect: () => Promise<WebDiaryStore>,
  ) {
    applyMigrations(local, 'diary-outbox', OUTBOX_MIGRATIONS);
  }

  private remote: Promise<WebDiaryStore> | undefined;

  /** Keeps the entry on this station (committed when this returns) and returns its key. */
  enqueue(patientId: string, entry: DiaryEntry): string {
    const uuid = uuidV7();
    this.local
      .prepare('INSERT INTO diary_outbox (client_uuid, patient_id, entry, queued_at) VALUES (?, ?, ?, ?)')
      .run(uuid, patientId, toJson(entry), new Date().toISOString());
    return uuid;
  }

  waiting(): number {
    return (this.local.prepare('SELECT count(*) AS n FROM diary_outbox').get() as { n: number }).n;
  }

  private queued(): Queued[] {
    const rows = this.local.prepare('SELECT client_uuid, patient_id, entry FROM diary_outbox ORDER BY seq').all() as {
      client_uuid: string;
      patient_id: string;
      entry: string;
    }[];
    return rows.map((r) => ({ uuid: r.client_uuid, patientId: r.patient_id, entry: fromJson(r.entry) }));
  }

  private done(uuid: string): void {
    this.local.prepare('DELETE FROM diary_outbox WHERE client_uuid = ?').run(uuid);
  }

  /** The server, connecting on first use and again after a failed attempt. */
  server(): Promise<WebDiaryStore> {
    this.remote ??= this.connect().catch((err: unknown) => {
      this.remote = undefined;
      throw err;
    });
    return this.remote;
  }

  /** Sends what waits, oldest first; stops at the first failure to reach the server. */
  async flush(): Promise<FlushResult> {
    const result: FlushResult = { sent: [], refused: [], waiting: 0 };
    for (const q of this.queued()) {
      try {
        const { entry } = await (await this.server()).addOnce(q.patientId, q.uuid, q.entry, 'bedside');
        result.sent.push({ uuid: q.uuid, entry });
        this.done(q.uuid);
      } catch (err) {
        if (err instanceof DiaryStoreError) {
          result.refused.push({ uuid: q.uuid, reason: err.message });
          this.done(q.uuid);
          continue;
        }
        break; // unreachable (or failing): keep it and everything after it for the next try
      }
    }
    result.waiting = this.waiting();
    return result;
  }

  async close(): Promise<void> {
    const remote = this.remote;
    this.remote = undefined;
    await (await remote?.catch(() => undefined))?.diary.close();
  }
}
