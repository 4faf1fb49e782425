/**
 * Per-test-file databases on the run's throwaway PostgreSQL server (see test/setup/postgres-server.ts):
 * each call makes a fresh, empty database with a unique name and returns its URL.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export function pgAdminUrl(): string {
  const error = inject('pgStartError');
  if (error) throw new Error(`the test PostgreSQL server did not start: ${error}`);
  return inject('pgAdminUrl');
}

/** URL of database `name` on the same server as `adminUrl`. */
export function withDatabase(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates a fresh empty database (name prefixed `t_`) and returns its superuser URL. */
export async function freshDatabase(label = 'db'): Promise<string> {
  const admin = pgAdminUrl();
  const name = `t_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  return withDatabase(admin, name);
}

/** Runs `text` on `url` over its own connection (test set-up and checks, outside the store). */
export async function pgQuery<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}
