import os from 'node:os';
import path from 'node:path';

export const DATA_DIR_ENV = 'SCS_DATA_DIR';

export interface DataDirOptions {
  /** From `--data-dir`; wins over everything else. */
  dataDir?: string | undefined;
  /** Environment to read SCS_DATA_DIR / XDG_DATA_HOME / HOME from (default process.env). */
  env?: NodeJS.ProcessEnv | undefined;
}

/**
 * The data directory: `--data-dir` > $SCS_DATA_DIR > $XDG_DATA_HOME/scs-companion >
 * ~/.local/share/scs-companion. Its own module so that finding the directory (the bedside UI's audit
 * log) does not load better-sqlite3, a native addon, before the first frame.
 */
export function resolveDataDir(options: DataDirOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.dataDir !== undefined && options.dataDir !== '') return path.resolve(options.dataDir);
  const fromEnv = env[DATA_DIR_ENV];
  if (fromEnv) return path.resolve(fromEnv);
  const xdg = env.XDG_DATA_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'scs-companion');
  const home = env.HOME || os.homedir();
  return path.join(home, '.local', 'share', 'scs-companion');
}
