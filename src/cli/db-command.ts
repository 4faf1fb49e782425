import { UsageError } from '../errors/user-error.js';
import { readSubcommand } from './subcommand-flags.js';
import { DIARY_STEPS } from '../diary/diary-schema.js';
import { WEB_DIARY_STEPS } from '../diary/web/web-diary-store.js';
import { SITE_COHORT_COMPONENT, SITE_COHORT_STEPS } from '../outcomes/site-cohort-schema.js';
import { OUTCOME_COMPONENT, OUTCOME_STEPS } from '../outcomes/registry-schema.js';
import { GENERATOR_BINDING_COMPONENT, GENERATOR_BINDING_STEPS } from '../session/generator-binding-schema.js';
import { applyStoreMigrations, schemaVersions } from '../store/dialect-migrations.js';
import { nameSite, readSiteId } from '../store/site-id.js';
import { type SqlStore, openSqlStore } from '../store/sql-store.js';
import type { Options } from '../outcomes/registry-cli-flags.js';
import type { Command, CommandIo } from './command.js';
import { STORE_FLAGS, storeOptions } from './store-flags.js';

const HELP = `Usage: scs db migrate [--data-dir DIR | --database-url URL] [--json]
       scs db status  [--data-dir DIR | --database-url URL] [--json]
       scs db init --site NAME [--data-dir DIR | --database-url URL] [--json]

The store: the SQLite file in the data directory (default), or PostgreSQL when --database-url
postgres://... or $SCS_DATABASE_URL is given (--database-url wins). TLS: add ?sslmode=verify-full.
  migrate   create the store, or bring its schema up to this version of scs
  status    which store is in use, its schema version and site id (reads only; creates nothing)
  init      create the store and name its site (multicentre exports carry it; named once)
Credentials are never printed. Exit codes: 0 done; 1 bad input or a store that cannot be used; 2 usage.
`;

const FLAGS: Options = { ...STORE_FLAGS, json: { type: 'boolean' } };
const OPTIONS: Record<string, Options> = {
  migrate: FLAGS,
  status: FLAGS,
  init: { ...FLAGS, site: { type: 'string' } },
};

/** Every component's tables, on either database. */
async function migrateAll(store: SqlStore): Promise<void> {
  await applyStoreMigrations(store, 'diary', DIARY_STEPS);
  await applyStoreMigrations(store, 'diary-web', WEB_DIARY_STEPS);
  await applyStoreMigrations(store, SITE_COHORT_COMPONENT, SITE_COHORT_STEPS);
  await applyStoreMigrations(store, OUTCOME_COMPONENT, OUTCOME_STEPS);
  await applyStoreMigrations(store, GENERATOR_BINDING_COMPONENT, GENERATOR_BINDING_STEPS);
}

async function describeStore(store: SqlStore) {
  const versions = await schemaVersions(store);
  return { store: store.kind, location: store.location, schemaVersion: versions, siteId: await readSiteId(store) };
}

function print(io: CommandIo, json: boolean, verb: string, d: Awaited<ReturnType<typeof describeStore>>): void {
  if (json) {
    io.stdout.write(JSON.stringify(verb === 'status' ? d : { action: verb, ...d }) + '\n');
    return;
  }
  const versions =
    Object.entries(d.schemaVersion)
      .map(([c, n]) => `${c} ${n}`)
      .join(', ') || '(no tables yet)';
  io.stdout.write(
    `${verb === 'status' ? '' : `${verb === 'init' ? 'initialised' : 'migrated'}: `}store ${d.store === 'postgres' ? 'PostgreSQL' : 'SQLite'} at ${d.location}\n` +
      `schema version: ${versions}\nsite id: ${d.siteId ?? '(none yet: scs db init --site NAME)'}\n`,
  );
}

/**
 * `scs db migrate|status|init`: which store is in use (the SQLite file, or PostgreSQL with
 * --database-url / $SCS_DATABASE_URL), its schema version per component and its site id. Output
 * never carries credentials: a URL is shown without user and password.
 */
const command: Command = {
  summary: 'the store: migrate, status (which store, schema version, site id), init --site NAME',
  async run(argv, io) {
    const line = readSubcommand(argv, io, { command: 'db', help: HELP, options: OPTIONS });
    if ('exit' in line) return line.exit;
    const { sub, values } = line;
    const site = values.site as string | undefined;
    if (sub === 'init' && site === undefined)
      throw new UsageError('scs db init needs --site NAME (e.g. --site beijing-tiantan)');
    const store = await openSqlStore(storeOptions(values, io, sub === 'status'));
    try {
      if (sub !== 'status') await migrateAll(store);
      if (sub === 'init') await nameSite(store, site!);
      print(io, values.json === true, sub, await describeStore(store));
      return 0;
    } finally {
      await store.close();
    }
  },
};

export default command;
