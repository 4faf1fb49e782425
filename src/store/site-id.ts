import { sql } from 'kysely';
import { UserError } from '../errors/user-error.js';
import { type SqlStore, tableExists } from './sql-store.js';

export const SITE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const RANDOM_SITE = /^site-[0-9a-f]{16}$/;

export function siteNameProblem(name: string): string | null {
  return SITE_NAME.test(name)
    ? null
    : `site '${name.slice(0, 80)}' is not a site name: use 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit`;
}

const table = (store: SqlStore) => (store.kind === 'sqlite' ? sql`outcome_site` : sql`scs_store`);
const column = (store: SqlStore) => (store.kind === 'sqlite' ? sql`id` : sql`site_id`);

/**
 * Each store's site id (multicentre): the namespace exported identifiers carry, so two clinics'
 * "P-001" never become one patient. A new store gets a random `site-<16 hex>`; `scs db init --site
 * NAME` names it once. A named site never changes: identifiers already exported carry it.
 * SQLite keeps it in the registry's `outcome_site` table (issue 14), PostgreSQL in `scs_store`.
 *
 * The site id, or null when the store has none yet (a SQLite file without the registry's tables).
 */
export async function readSiteId(store: SqlStore): Promise<string | null> {
  if (store.kind === 'sqlite' && !(await tableExists(store, 'outcome_site'))) return null;
  const { rows } = await sql<{ id: string }>`SELECT ${column(store)} AS id FROM ${table(store)} LIMIT 1`.execute(
    store.db,
  );
  return rows[0]?.id ?? null;
}

/** Names the site; the same name again is fine, renaming a named site is refused. */
export async function nameSite(store: SqlStore, name: string): Promise<void> {
  const problem = siteNameProblem(name);
  if (problem) throw new UserError(problem);
  const current = await readSiteId(store);
  if (current === name) return;
  if (current !== null && !RANDOM_SITE.test(current)) {
    throw new UserError(
      `this store is already site '${current}'; a site is named once, because identifiers exported from it carry the name`,
    );
  }
  await sql`UPDATE ${table(store)} SET ${column(store)} = ${name}`.execute(store.db);
}
