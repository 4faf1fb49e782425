import { OutcomeRegistry } from '../outcomes/outcome-registry.js';
import type { CommandIo } from './command.js';
import { storeOptions } from './store-flags.js';

/**
 * How `scs patient`, `scs followup` and `scs cohort` open the outcomes registry: only when a
 * subcommand first needs it (so a typo in the flags never creates a database), on the store the
 * flags select (--database-url / $SCS_DATABASE_URL, else --data-dir's SQLite file), closed once.
 */
export interface RegistryOpener {
  /** The registry, opened on first call. */
  open(): Promise<OutcomeRegistry>;
  /** Closes it if it was opened. */
  close(): Promise<void>;
}

export function registryOpener(values: Record<string, unknown>, io: CommandIo, mustExist: boolean): RegistryOpener {
  let registry: Promise<OutcomeRegistry> | undefined;
  return {
    open: () => (registry ??= OutcomeRegistry.open(storeOptions(values, io, mustExist))),
    async close() {
      // An open that failed has nothing to close (and its error was already thrown to the caller).
      const opened = await registry?.catch(() => undefined);
      await opened?.close();
    },
  };
}

/** Runs `fn` on the registry and closes it whatever happens. */
export async function withRegistry<T>(
  values: Record<string, unknown>,
  io: CommandIo,
  mustExist: boolean,
  fn: (registry: OutcomeRegistry) => Promise<T>,
): Promise<T> {
  const opener = registryOpener(values, io, mustExist);
  try {
    return await fn(await opener.open());
  } finally {
    await opener.close();
  }
}
