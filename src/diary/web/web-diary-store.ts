import type { Kysely } from 'kysely';
import { applyStoreMigrations, type MigrationStep } from '../../store/dialect-migrations.js';
import type { DiaryEntry } from '../entry.js';
import { DiaryStore, DiaryStoreError, type StoredEntry } from '../diary-store.js';

export const WEB_DIARY_STEPS: readonly MigrationStep[] = [
  {
    sqlite: `CREATE TABLE diary_invites (
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
    postgres: `CREATE TABLE diary_invites (
     token_sha256 TEXT PRIMARY KEY,
     patient_id TEXT NOT NULL REFERENCES diary_patients(id),
     lang TEXT NOT NULL CHECK (lang IN ('en', 'zh-CN')),
     created_ms BIGINT NOT NULL,
     expires_ms BIGINT NOT NULL,
     used_ms BIGINT,
     revoked_ms BIGINT
   );
   CREATE INDEX diary_invites_patient ON diary_invites (patient_id);
   CREATE TABLE diary_web_sessions (
     session_sha256 TEXT PRIMARY KEY,
     token_sha256 TEXT NOT NULL REFERENCES diary_invites(token_sha256),
     created_ms BIGINT NOT NULL
   );
   CREATE TABLE diary_web_entries (
     client_uuid TEXT PRIMARY KEY,
     patient_id TEXT NOT NULL,
     entry_id BIGINT NOT NULL UNIQUE
   );`,
  },
];

interface WebTables {
  diary_invites: InviteRow & { token_sha256: string };
  diary_web_sessions: { session_sha256: string; token_sha256: string; created_ms: number };
  diary_web_entries: { client_uuid: string; patient_id: string; entry_id: number };
}
type Q = Kysely<WebTables>;

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

/**
 * Storage of the patient web diary: invites (only the token's SHA-256 is kept), the sessions they were
 * exchanged for, and which phone-made UUID became which diary entry, so a retried send is stored
 * exactly once. All the web diary's SQL lives here (Kysely, so it runs on the SQLite file and on
 * PostgreSQL alike); the entries themselves go through DiaryStore with source 'web', under the
 * diary's own rules, inside the same transaction.
 */
export class WebDiaryStore {
  private constructor(readonly diary: DiaryStore) {}

  /** The web diary's tables beside an open diary (migrated on either database). */
  static async on(diary: DiaryStore): Promise<WebDiaryStore> {
    await applyStoreMigrations(diary.store, 'diary-web', WEB_DIARY_STEPS);
    return new WebDiaryStore(diary);
  }

  private get db(): Q {
    return this.diary.store.db as Q;
  }

  /** Stores a new invite for the patient and revokes every earlier one (inviting again ends the old link). */
  createInvite(
    patientId: string,
    tokenSha256: string,
    lang: InviteLang,
    expiresMs: number,
    nowMs: number,
  ): Promise<void> {
    return this.diary.write(patientId, async (trx) => {
      const q = trx as unknown as Q;
      if (!(await this.diary.getPatient(patientId, trx)))
        throw new DiaryStoreError(
          `no diary for patient ${patientId}; set the trial first with 'scs diary trial --patient ${patientId} --start TIME --end TIME'`,
        );
      await this.revokeInvites(patientId, nowMs, q);
      await q
        .insertInto('diary_invites')
        .values({
          token_sha256: tokenSha256,
          patient_id: patientId,
          lang,
          created_ms: nowMs,
          expires_ms: expiresMs,
          used_ms: null,
          revoked_ms: null,
        })
        .execute();
    });
  }

  /** Ends every open invite of the patient (and the sessions made from them); returns how many. */
  async revokeInvites(patientId: string, nowMs: number, q: Q = this.db): Promise<number> {
    const result = await q
      .updateTable('diary_invites')
      .set({ revoked_ms: nowMs })
      .where('patient_id', '=', patientId)
      .where('revoked_ms', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async invite(tokenSha256: string, q: Q = this.db): Promise<Invite | undefined> {
    const row = await q
      .selectFrom('diary_invites')
      .selectAll()
      .where('token_sha256', '=', tokenSha256)
      .executeTakeFirst();
    return row ? toInvite(row) : undefined;
  }

  /**
   * Exchanges a one-time link for a session: the first visit marks the invite used and stores the
   * session's hash; any later visit with the same link gets 'used'.
   */
  enrol(tokenSha256: string, sessionSha256: string, nowMs: number): Promise<{ status: AccessStatus; invite?: Invite }> {
    return this.diary.write(`invite:${tokenSha256}`, async (trx) => {
      const q = trx as unknown as Q;
      const invite = await this.invite(tokenSha256, q);
      const status = statusOf(invite, nowMs);
      if (status !== 'ok') return invite ? { status, invite } : { status };
      if (invite!.usedMs !== null) return { status: 'used' as const, invite };
      await q.updateTable('diary_invites').set({ used_ms: nowMs }).where('token_sha256', '=', tokenSha256).execute();
      await q
        .insertInto('diary_web_sessions')
        .values({ session_sha256: sessionSha256, token_sha256: tokenSha256, created_ms: nowMs })
        .execute();
      return { status: 'ok' as const, invite };
    });
  }

  /** The invite behind a session cookie, and whether it still opens the diary. */
  async session(sessionSha256: string, nowMs: number): Promise<{ status: AccessStatus; invite?: Invite }> {
    const row = await this.db
      .selectFrom('diary_web_sessions as s')
      .innerJoin('diary_invites as i', 'i.token_sha256', 's.token_sha256')
      .selectAll('i')
      .where('s.session_sha256', '=', sessionSha256)
      .executeTakeFirst();
    const invite = row ? toInvite(row) : undefined;
    return invite ? { status: statusOf(invite, nowMs), invite } : { status: 'unknown' };
  }

  /**
   * Stores an entry made on the phone (or sent from a station's outbox, source 'bedside'), once: a UUID already stored for this patient returns the entry
   * stored the first time (`duplicate`); the same UUID from another patient is refused.
   */
  addOnce(
    patientId: string,
    clientUuid: string,
    entry: DiaryEntry,
    source: 'web' | 'bedside' = 'web',
  ): Promise<{ entry: StoredEntry; duplicate: boolean }> {
    return this.diary.write(patientId, async (trx) => {
      const q = trx as unknown as Q;
      const seen = await q
        .selectFrom('diary_web_entries')
        .select(['patient_id', 'entry_id'])
        .where('client_uuid', '=', clientUuid)
        .executeTakeFirst();
      if (seen) {
        if (seen.patient_id !== patientId) throw new DiaryStoreError('this entry id belongs to another diary');
        return { entry: (await this.diary.byId(patientId, Number(seen.entry_id), trx))!, duplicate: true };
      }
      const stored = await this.diary.addIn(trx, patientId, entry, source);
      await q
        .insertInto('diary_web_entries')
        .values({ client_uuid: clientUuid, patient_id: patientId, entry_id: stored.id })
        .execute();
      return { entry: stored, duplicate: false };
    });
  }

  /** The UUIDs of the patient's phone entries, by entry id (to show the phone what arrived). */
  async clientUuids(patientId: string): Promise<Map<number, string>> {
    const rows = await this.db
      .selectFrom('diary_web_entries')
      .select(['client_uuid', 'entry_id'])
      .where('patient_id', '=', patientId)
      .execute();
    return new Map(rows.map((r) => [Number(r.entry_id), r.client_uuid]));
  }
}
