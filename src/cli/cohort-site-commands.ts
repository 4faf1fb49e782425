import fs from 'node:fs';
import { UserError, UsageError } from '../errors/user-error.js';
import type { CommandIo } from './command.js';
import { storeOptions } from './store-flags.js';
import { OutcomeRegistry } from '../outcomes/outcome-registry.js';
import { cohortFromRegistry } from '../outcomes/registry-cohort.js';
import { readTextFile } from '../outcomes/read-text-file.js';
import { type SiteCohortFile, parseSiteCohortFile, siteCohortFile } from '../outcomes/site-cohort-file.js';
import { SiteCohortStore } from '../outcomes/site-cohort-store.js';
import { bySiteReport, formatBySiteReport } from '../outcomes/by-site-report.js';
import type { QuantileMethod } from '../outcomes/descriptive-statistics.js';
import { type StoreOptions, openSqlStore } from '../store/sql-store.js';

/**
 * The multicentre side of `scs cohort`: `export --deidentified` (what a coordinating centre may
 * receive from this site), `import SITE.json …` (site exports merged idempotently into this store),
 * `report --by-site` (each site and the pooled figures). Imported records live in their own table
 * (site-cohort-schema.ts says why), on the SQLite file or on PostgreSQL (--database-url).
 */
export const SITE_HELP = `
Several centres (see README "Several stations, several centres"):
  scs cohort export --deidentified --out SITE.json
      what a coordinating centre may receive: one Table 1 record per patient under an id qualified
      by this store's site (scs db init --site NAME), e.g. site-a/P-017; no dates, no free text
      (reasons, descriptions, notes), no diary, no generator serials; ages above 89 written as 90
  scs cohort import SITE-A.json SITE-B.json ...
      merges site exports into this store (the coordinating centre's): the same file twice changes
      nothing, a later export of a site replaces its older records, the same pseudonym at two sites
      stays two patients; a file of a foreign or newer format is refused and nothing is imported
  scs cohort report --by-site [--json] [--quantiles hf6|hf7]
      each imported site's figures, then all sites pooled (--json: {"sites": {SITE: report},
      "pooled": report})
  --database-url URL          the store on PostgreSQL (wins over $SCS_DATABASE_URL), for every
                              subcommand
`;

type Values = Record<string, string | boolean | undefined>;

async function withSiteCohorts<T>(options: StoreOptions, fn: (s: SiteCohortStore) => Promise<T>): Promise<T> {
  const store = await openSqlStore(options);
  try {
    return await fn(await SiteCohortStore.on(store));
  } finally {
    await store.close();
  }
}

function writePrivate(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.chmodSync(file, 0o600); // `mode` only applies to a new file: an old world-readable one is tightened too
}

/** `scs cohort export --deidentified --out FILE`: this site's registry, de-identified. */
export async function exportDeidentified(values: Values, io: CommandIo, now = new Date()): Promise<number> {
  if (typeof values.out !== 'string' || values.out === '')
    throw new UsageError(
      'scs cohort export --deidentified needs --out FILE (the file to send to the coordinating centre).',
    );
  const registry = await OutcomeRegistry.open(storeOptions(values, io, true));
  let doc: SiteCohortFile;
  try {
    doc = siteCohortFile(await registry.siteId(), await cohortFromRegistry(registry), now);
  } finally {
    await registry.close();
  }
  if (doc.patients.length === 0)
    throw new UserError(
      "the registry has no patients to export; add them with 'scs patient add' or 'scs cohort import FILE'.",
    );
  writePrivate(values.out, JSON.stringify(doc, null, 2) + '\n');
  io.stdout.write(`Wrote ${doc.patients.length} de-identified patients of site ${doc.site} to ${values.out}.\n`);
  return 0;
}

/** True when the file is a site export (JSON), not a cohort CSV (whose first cell is `patient`). */
export function looksLikeSiteExport(text: string): boolean {
  return text.trimStart().startsWith('{');
}

/** `scs cohort import A.json B.json …`: every file validated before the store is opened, then one transaction. */
export async function importSiteFiles(files: readonly string[], values: Values, io: CommandIo): Promise<number> {
  const parsed = files.map((name) => {
    const r = parseSiteCohortFile(readTextFile(name, 'site export'));
    if (!r.ok) throw new UserError(`${name} ${r.problem}`);
    return { name, file: r.file };
  });
  const results = await withSiteCohorts(storeOptions(values, io, false), (s) => s.import(parsed));
  if (values.json) io.stdout.write(JSON.stringify({ imported: results }) + '\n');
  else
    for (const r of results)
      io.stdout.write(`${r.file}: site ${r.site}: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged.\n`);
  return 0;
}

/** `scs cohort report --by-site`: the imported sites, each and pooled. */
export async function reportBySite(values: Values, io: CommandIo, method: QuantileMethod): Promise<number> {
  for (const flag of ['file', 'compare-published', 'out'] as const)
    if (values[flag] !== undefined)
      throw new UsageError(`--by-site reports on the imported site exports; it does not take --${flag}.`);
  const bySite = await withSiteCohorts(storeOptions(values, io, true), (s) => s.bySite());
  if (bySite.size === 0)
    throw new UserError(
      "no site exports have been imported into this store; run 'scs cohort import SITE-A.json SITE-B.json ...' first.",
    );
  const report = bySiteReport(bySite, method);
  io.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : formatBySiteReport(report));
  return 0;
}
