/**
 * A store target as one command-line word for child processes (writers, killers): a data directory
 * for the SQLite file, or a postgres:// URL. Kept free of vitest so the writers can be bundled.
 */
import type { StoreOptions } from '../../src/store/sql-store.js';

export function targetArg(t: StoreOptions): string {
  return t.databaseUrl ?? t.dataDir!;
}

export function fromArg(arg: string): StoreOptions {
  return arg.startsWith('postgres') ? { databaseUrl: arg, env: {} } : { dataDir: arg, env: {} };
}
