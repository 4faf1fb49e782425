import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { DatabaseFileError, applyMigrations } from './database.js';
import { SCHEMA_LOCK } from './pg-marker.js';
import type { SqlStore } from './sql-store.js';
import { transactionOn } from './write-transaction.js';

export interface MigrationStep {
  sqlite: string;
  postgres: string;
}

/**
 * The PostgreSQL trigger function behind append-only tables: it refuses the change with the message
 * given as the trigger's argument. Every step that uses it creates it again (CREATE OR REPLACE), so
 * components may migrate in any order.
 */
export const PG_REFUSE_CHANGE = `CREATE OR REPLACE FUNCTION scs_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$;`;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * One migration list for both databases: each step is written for SQLite and for PostgreSQL side by
 * side, so the two schemas cannot drift apart (same step count = same schema version). On SQLite the
 * steps go through database.ts's applyMigrations unchanged (the recorded SHA-256 of existing files
 * stays valid); on PostgreSQL they run in one transaction under the schema advisory lock, with the
 * same rules: a changed recorded step, or more recorded steps than known, is refused.
 */
export async function applyStoreMigrations(
  store: SqlStore,
  component: string,
  steps: readonly MigrationStep[],
): Promise<void> {
  if (store.kind === 'sqlite') {
    applyMigrations(
      store.sqlite!,
      component,
      steps.map((s) => s.sqlite),
    );
    return;
  }
  await transactionOn(store.db, 'postgres', SCHEMA_LOCK, async (conn) => {
    const { rows: done } = await sql<{
      step: number;
      sql_sha256: string;
    }>`SELECT step, sql_sha256 FROM schema_migrations WHERE component = ${component} ORDER BY step`.execute(conn);
    if (done.length > steps.length) {
      throw new DatabaseFileError(
        `the database has ${done.length} '${component}' migrations but this scs-companion knows ${steps.length}; upgrade scs-companion.`,
      );
    }
    done.forEach((row, i) => {
      if (row.step !== i || row.sql_sha256 !== sha256(steps[i]!.postgres)) {
        throw new Error(
          `migration ${component}#${i} differs from the one applied to this database; add a new step instead of editing it`,
        );
      }
    });
    for (let i = done.length; i < steps.length; i++) {
      await sql.raw(steps[i]!.postgres).execute(conn);
      await sql`INSERT INTO schema_migrations (component, step, sql_sha256, applied_at) VALUES (${component}, ${i}, ${sha256(steps[i]!.postgres)}, ${new Date().toISOString()})`.execute(
        conn,
      );
    }
  });
}

/** Applied steps per component (the schema version `scs db status` shows). */
export async function schemaVersions(store: SqlStore): Promise<Record<string, number>> {
  const { rows } = await sql<{
    component: string;
    n: number;
  }>`SELECT component, count(*) AS n FROM schema_migrations GROUP BY component ORDER BY component`.execute(store.db);
  return Object.fromEntries(rows.map((r) => [r.component, Number(r.n)]));
}
