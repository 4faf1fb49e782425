import type { StoreOptions } from '../store/sql-store.js';
import type { CommandIo } from './command.js';

/**
 * The flags that choose the store, shared by every command that opens it (db, diary, patient,
 * followup, cohort, diary invite/serve): `--database-url` (PostgreSQL; wins over $SCS_DATABASE_URL),
 * else `--data-dir`'s SQLite file. One place, so every command reads them the same way.
 */
export const STORE_FLAGS = {
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
} as const;

/** Help text for the two flags, indented as the commands' option lists are. */
export const STORE_FLAGS_HELP = `--data-dir DIR (default $SCS_DATA_DIR, else $XDG_DATA_HOME/scs-companion or
~/.local/share/scs-companion); --database-url postgres://... (default $SCS_DATABASE_URL) puts the store
on PostgreSQL (see 'scs db --help')`;

/** The store options the parsed flags select; `mustExist` for commands that only read. */
export function storeOptions(values: Record<string, unknown>, io: CommandIo, mustExist = false): StoreOptions {
  return {
    dataDir: values['data-dir'] as string | undefined,
    databaseUrl: values['database-url'] as string | undefined,
    env: io.env,
    ...(mustExist ? { mustExist } : {}),
  };
}
