import { UsageError } from '../errors/user-error.js';

export const DATABASE_URL_ENV = 'SCS_DATABASE_URL';

/**
 * Which store a command uses: `--database-url` wins over $SCS_DATABASE_URL; neither means the SQLite
 * file in the data directory. A URL is shown to people only redacted (no password, no user), so
 * credentials never reach output, logs or the audit log.
 */
export function resolveDatabaseUrl(options: {
  databaseUrl?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}): string | undefined {
  const url =
    options.databaseUrl !== undefined && options.databaseUrl !== ''
      ? options.databaseUrl
      : (options.env ?? process.env)[DATABASE_URL_ENV];
  if (url === undefined || url === '') return undefined;
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new UsageError(
      `the database URL must start with postgres:// or postgresql:// (got '${redactDatabaseUrl(url)}'); leave ${DATABASE_URL_ENV} unset for the SQLite file`,
    );
  }
  return url;
}

/** The URL without user, password or query parameters other than host and sslmode. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    const kept = new URLSearchParams();
    for (const key of ['host', 'sslmode']) {
      const v = u.searchParams.get(key);
      if (v !== null) kept.set(key, v);
    }
    const query = kept.toString();
    return `${u.protocol}//${u.host}${u.pathname}${query ? `?${query}` : ''}`;
  } catch {
    return '(unreadable database URL)';
  }
}

/** Replaces the URL (and its password alone) wherever it appears in a message from the driver. */
export function scrubSecrets(message: string, url: string): string {
  let out = message.split(url).join(redactDatabaseUrl(url));
  try {
    const { password } = new URL(url);
    if (password) out = out.split(decodeURIComponent(password)).join('***').split(password).join('***');
  } catch {
    // unreadable URL: nothing more to scrub
  }
  return out;
}
