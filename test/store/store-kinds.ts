/**
 * The store contract tests run once per database: the SQLite file in a temporary data directory and
 * a fresh database on the run's throwaway PostgreSQL server (test/pg). `target(kind)` gives the
 * options that select it; `cleanup()` removes the temporary directories.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StoreKind, StoreOptions } from '../../src/store/sql-store.js';
import { freshDatabase } from '../pg/pg-database.js';

export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

const dirs: string[] = [];

/** Options selecting a new, empty store of this kind (no $SCS_DATABASE_URL leaks in from the caller). */
export async function target(kind: StoreKind): Promise<StoreOptions & { env: NodeJS.ProcessEnv }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-store-'));
  dirs.push(dataDir);
  if (kind === 'sqlite') return { dataDir, env: {} };
  return { dataDir, databaseUrl: await freshDatabase('store'), env: {} };
}

export { fromArg, targetArg } from './store-arg.js';

export function cleanup(): void {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}
