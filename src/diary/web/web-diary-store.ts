/**
 * Storage of the patient web diary: invites (only the token's SHA-256 is kept), the sessions they were
 * exchanged for, and which phone-made UUID became which diary entry, so a retried send is stored
 * exactly once. All the web diary's SQL lives here (one small module, in the store's migration style);
 * the entries themselves go through DiaryStore with source 'web', under the diary's own rules.
 */
import { applyMigrations } from '../../store/database.js';
import type { DiaryEntry } from '../entry.js';
import { DiaryStore, DiaryStoreError, type StoredEntry } from '../diary-store.js';

export const WEB_DIARY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE diary_invites (
     token_sha256 TEXT PRIMARY KEY,
     patient_id TEXT NOT NULL REFERENCES diary_patients(id),
     lang TEXT NOT NULL CHECK (lang IN ('en', 'zh-CN')),
     created_ms INTEGER NOT NULL,
     expires_ms INTEGER NOT NULL,
     used_ms INTEGER,
     revoked_ms INTEGER
   ) STRICT;
   CREATE INDEX diary_invites_patient ON diary_invites (patient_id);
   CREATE TABLE diary_web_sessions (
     session_sha256 TEXT PRIMARY KEY,
     token_sha256 TEXT NOT NULL REFERENCES diary_invites(token_sha256),
     created_ms INTEGER NOT NULL
   ) STRICT;
   -- No foreign key to diary_entries: that table may be rebuilt by later diary migrations.
   CREATE TABLE diary_web_entries (
     client_uuid TEXT PRIMARY KEY,
     patient_id TEXT NOT NULL,
     entry_id INTEGER NOT NULL UNIQUE
   ) STRICT;`,
];

export type InviteLang = 'en' | 'zh-CN';

export interface Invite {
  patientId: string;
  lang: InviteLang;
  createdMs: number;
  expiresMs: number;
  usedMs: number | null;
  revokedMs: number | null;
}

/** Why a link or session no longer opens the diary ('ok' when it does). */
export type AccessStatus = 'ok' | 'unknown' | 'revoked' | 'expired' | 'used';

interface InviteRow {
  patient_id: string;
  lang: InviteLang;
  created_ms: number;
  expires_ms: number;
  used_ms: number | null;
  revoked_ms: number | null;
}

const toInvite = (r: InviteRow): Invite => ({
  patientId: r.patient_id,
  lang: r.lang,
  createdMs: r.created_ms,
  expiresMs: r.expires_ms,
  usedMs: r.used_ms,
  revokedMs: r.revoked_ms,
});

function statusOf(invite: Invite | undefined, nowMs: number): AccessStatus {
  if (!invite) return 'unknown';
  if (invite.revokedMs !== null) return 'revoked';
  if (nowMs >= invite.expiresMs) return 'expired';
  return 'ok';
}

export class WebDiaryStore {
  constructor(readonly diary: DiaryStore) {
    applyMigrations(diary.db, 'diary-web', WEB_DIARY_MIGRATIONS);
  }

  private get db() {
    return this.diary.db;
  }

  /** Stores a new invite for the patient and revokes every earlier one (inviting again ends the old link). */
  createInvite(patientId: string, tokenSha256: string, lang: InviteLang, expiresMs: number, nowMs: number): void {
    this.db
      .transaction(() => {
        if (!this.diary.getPatient(patientId)) throw new DiaryStoreError(`no diary for patient ${patientId}; set the trial first with 'scs diary trial --patient ${patientId} --start TIME --end TIME'`);
        this.revokeInvites(patientId, nowMs);
        this.db
          .prepare('INSERT INTO diary_invites (token_sha256, patient_id, lang, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?)')
          .run(tokenSha256, patientId, lang, nowMs, expiresMs);
      })
      .immediate();
  }

  /** Ends every open invite of the patient (and the sessions made from them); returns how many. */
  revokeInvites(patientId: string, nowMs: number): number {
    return this.db.prepare('UPDATE diary_invites SET revoked_ms = ? WHERE patient_id = ? AND revoked_ms IS NULL').run(nowMs, patientId).changes;
  }

  invite(tokenSha256: string): Invite | undefined {
    const row = this.db.prepare('SELECT * FROM diary_invites WHERE token_sha256 = ?').get(tokenSha256) as InviteRow | undefined;
    return row ? toInvite(row) : undefined;
  }

  /**
   * Exchanges a one-time link for a session: the first visit marks the invite used and stores the
   * session's hash; any later visit with the same link gets 'used'.
   */
  enrol(tokenSha256: string, sessionSha256: string, nowMs: number): { status: AccessStatus; invite?: Invite } {
    return this.db
      .transaction(() => {
        const invite = this.invite(tokenSha256);
        const status = statusOf(invite, nowMs);
        if (status !== 'ok') return invite ? { status, invite } : { status };
        if (invite!.usedMs !== null) return { status: 'used' as const, invite };
        this.db.prepare('UPDATE diary_invites SET used_ms = ? WHERE token_sha256 = ?').run(nowMs, tokenSha256);
        this.db.prepare('INSERT INTO diary_web_sessions (session_sha256, token_sha256, created_ms) VALUES (?, ?, ?)').run(sessionSha256, tokenSha256, nowMs);
        return { status: 'ok' as const, invite };
      })
      .immediate();
  }

  /** The invite behind a session cookie, and whether it still opens the diary. */
  session(sessionSha256: string, nowMs: number): { status: AccessStatus; invite?: Invite } {
    const row = this.db
      .prepare('SELECT i.* FROM diary_web_sessions s JOIN diary_invites i ON i.token_sha256 = s.token_sha256 WHERE s.session_sha256 = ?')
      .get(sessionSha256) as InviteRow | undefined;
    const invite = row ? toInvite(row) : undefined;
    return invite ? { status: statusOf(invite, nowMs), invite } : { status: 'unknown' };
  }

  /**
   * Stores an entry made on the phone, once: a UUID already stored for this patient returns the entry
   * stored the first time (`duplicate`); the same UUID from another patient is refused.
   */
  addOnce(patientId: string, clientUuid: string, entry: DiaryEntry): { entry: StoredEntry; duplicate: boolean } {
    return this.db
      .transaction(() => {
        const seen = this.db.prepare('SELECT patient_id, entry_id FROM diary_web_entries WHERE client_uuid = ?').get(clientUuid) as
          | { patient_id: string; entry_id: number }
          | undefined;
        if (seen) {
          if (seen.patient_id !== patientId) throw new DiaryStoreError('this entry id belongs to another diary');
          return { entry: this.diary.byId(patientId, seen.entry_id)!, duplicate: true };
        }
        const stored = this.diary.add(patientId, entry, 'web');
        this.db.prepare('INSERT INTO diary_web_entries (client_uuid, patient_id, entry_id) VALUES (?, ?, ?)').run(clientUuid, patientId, stored.id);
        return { entry: stored, duplicate: false };
      })
      .immediate();
  }

  /** The UUIDs of the patient's phone entries, by entry id (to show the phone what arrived). */
  clientUuids(patientId: string): Map<number, string> {
    const rows = this.db.prepare('SELECT client_uuid, entry_id FROM diary_web_entries WHERE patient_id = ?').all(patientId) as { client_uuid: string; entry_id: number }[];
    return new Map(rows.map((r) => [r.entry_id, r.client_uuid]));
  }
}
