import { parseCommandLine } from '../shared/parse-command-line.js';
import fs from 'node:fs';
import { readTextFile } from '../outcomes/read-text-file.js';
import type { Command, CommandIo } from './command.js';
import { withRegistry } from './registry-opener.js';
import { STORE_FLAGS } from './store-flags.js';
import { UserError, UsageError } from '../errors/user-error.js';
import { didYouMean } from '../shared/did-you-mean.js';
import { describeCohortProblems, formatCohortCsv, parseCohortCsv } from '../outcomes/cohort-csv.js';
import { cohortFromRegistry, importCohort } from '../outcomes/registry-cohort.js';
import type { CohortPatient } from '../outcomes/cohort-patient.js';
import { cohortReport } from '../outcomes/cohort-report.js';
import { formatCohortReport, formatComparison } from '../outcomes/cohort-report-text.js';
import { comparePublished, parsePublishedFigures, PublishedFileError } from '../outcomes/published-comparison.js';
import type { QuantileMethod } from '../outcomes/descriptive-statistics.js';
import {
  SITE_HELP,
  exportDeidentified,
  importSiteFiles,
  looksLikeSiteExport,
  reportBySite,
} from './cohort-site-commands.js';

const HELP = `Usage: scs cohort report [--file COHORT.csv] [--json] [--compare-published FILE] [--quantiles hf6|hf7]
       scs cohort report --by-site [--json] [--quantiles hf6|hf7] [--database-url URL]
       scs cohort import FILE [--json]
       scs cohort import SITE-A.json SITE-B.json ... [--json] [--database-url URL]
       scs cohort export [--out FILE]
       scs cohort export --deidentified --out SITE.json

report: from --file, or without it from the outcomes registry in the store ('scs patient',
'scs followup'; the final follow-up is the visit marked final, else the latest month visit).

Prints the paper's descriptive statistics for a cohort: n; age, pain duration and dermatome count
(mean ± sample SD, range, median and IQR); sex and side counts; baseline NRS and PDI; for each group
(scs-implant, scs-trial-failed, drez) NRS and PDI at baseline, post-operative and final follow-up;
relief % per patient; how many meet ≥30% (and ≥50%) at final follow-up; the paired effect of
baseline vs final NRS (Cohen's dz and the post hoc power of a two-tailed paired t-test at α 0.05,
computed as G*Power does); hospital stay and cost per group when the data has them.

import: puts every patient of a cohort CSV into the registry (demographics, the trial with its
verdict, implant, DREZ, and baseline/post-op/final visits) in one transaction: a problem in any row,
or a patient already in the registry, stores nothing. export: the registry as a cohort CSV.

COHORT.csv has one row per patient and the header
  patient,sex,age,location,side,duration_months,scs_trial,scs_implant,drez,
  nrs_baseline,nrs_post,nrs_final,pdi_baseline,pdi_post,pdi_final
(+ optional hospital_days,cost,currency,price_year). sex M/F/X; side L/R/B; location a dermatome
range such as T9, T7–9 or T8-T12; scs_trial, scs_implant, drez: Y, N or empty (not done).

Options:
  --file FILE                 the cohort CSV to report on
  --json                      print one JSON document (nested: {"n":..,"age":{"mean":..,"sd":..},..,
                              "groups":{"scs-implant":{"n":..,"nrs":{"baseline":{"mean":..}}}},..,
                              "effect":{"dz":..,"power":..}})
  --compare-published FILE    print each published figure (JSON or CSV: key,published,where[,note])
                              next to the recomputed one and flag the ones that differ
  --quantiles hf6|hf7         quantile definition for medians and IQRs: hf6 (default; SPSS, which the
                              paper used) or hf7 (R's and numpy's default)
  --out FILE                  (export) write to FILE instead of stdout
  --data-dir DIR              the store (default $SCS_DATA_DIR, else $XDG_DATA_HOME/scs-companion
                              or ~/.local/share/scs-companion)
  --database-url URL          the store on PostgreSQL (default $SCS_DATABASE_URL; 'scs db --help')
  --help                      show this help
${SITE_HELP}`;

/** Reads and validates a cohort CSV; any problem → UserError listing every problem, nothing used. */
export function readCohortFile(file: string): CohortPatient[] {
  const result = parseCohortCsv(readTextFile(file, 'cohort file'));
  if (!result.ok) {
    const lines = describeCohortProblems(file, result.problems);
    throw new UserError(
      `${file} has ${lines.length} problem${lines.length === 1 ? '' : 's'}; nothing was read:\n  ${lines.join('\n  ')}\nFix the rows and run again.`,
    );
  }
  return result.patients;
}

const OPTIONS = {
  file: { type: 'string' },
  json: { type: 'boolean' },
  'compare-published': { type: 'string' },
  quantiles: { type: 'string' },
  out: { type: 'string' },
  ...STORE_FLAGS,
  deidentified: { type: 'boolean' },
  'by-site': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: string[]) {
  return parseCommandLine(argv, { allowPositionals: true, options: OPTIONS }, 'scs cohort');
}

async function report(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (positionals.length)
    throw new UsageError(`unexpected argument '${positionals[0]}'; give the cohort file as --file FILE.`);
  const quantiles = values.quantiles ?? 'hf6';
  if (quantiles !== 'hf6' && quantiles !== 'hf7')
    throw new UsageError(`--quantiles must be hf6 or hf7, not '${quantiles}'.`);
  if (values['by-site']) return reportBySite(values, io, quantiles);
  if (values.out !== undefined) throw new UsageError('--out belongs to scs cohort export.');
  if (values.deidentified) throw new UsageError('--deidentified belongs to scs cohort export.');
  const patients =
    values.file !== undefined ? readCohortFile(values.file) : await withRegistry(values, io, true, cohortFromRegistry);
  if (patients.length === 0)
    throw new UserError(
      "the registry has no patients yet; add them with 'scs patient add' or 'scs cohort import FILE', or report on a file with --file.",
    );
  const source = values.file ?? 'the outcomes registry';
  const result = cohortReport(patients, quantiles as QuantileMethod);

  let comparison;
  if (values['compare-published'] !== undefined) {
    const file = values['compare-published'];
    try {
      comparison = comparePublished(parsePublishedFigures(readTextFile(file, 'published-figures file'), file), result);
    } catch (e) {
      if (e instanceof PublishedFileError) throw new UserError(`${e.message}.`);
      throw e;
    }
  }

  if (values.json) {
    const doc = comparison
      ? {
          ...result,
          comparison: {
            match: comparison.filter((c) => c.status === 'match').length,
            differs: comparison.filter((c) => c.status === 'differs').length,
            notInData: comparison.filter((c) => c.status === 'not-in-data').length,
            figures: comparison,
          },
        }
      : result;
    io.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return 0;
  }
  io.stdout.write(formatCohortReport(result, source));
  if (comparison) io.stdout.write('\n' + formatComparison(comparison));
  return 0;
}

async function importFile(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  for (const flag of ['compare-published', 'quantiles', 'out', 'deidentified', 'by-site'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`scs cohort import does not take --${flag}.`);
  }
  const files = values.file !== undefined ? [values.file, ...positionals] : positionals;
  if (files.length === 0) throw new UsageError('give a cohort CSV or site exports: scs cohort import FILE ...');
  // Site exports (JSON) go into the multicentre table; a cohort CSV into the registry, alone.
  if (files.length > 1 || looksLikeSiteExport(readTextFile(files[0]!, 'cohort file')))
    return importSiteFiles(files, values, io);
  const file = files[0]!;
  // Validated completely before the store is even opened: a bad file never creates a database.
  const patients = readCohortFile(file);
  const count = await withRegistry(values, io, false, (r) => importCohort(r, patients, file));
  io.stdout.write(
    values.json
      ? JSON.stringify({ imported: count, patients: patients.map((p) => p.patient) }) + '\n'
      : `Imported ${count} patients from ${file}.\n`,
  );
  return 0;
}

async function exportCsv(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (
    positionals.length ||
    values.file ||
    values.json ||
    values['compare-published'] ||
    values.quantiles ||
    values['by-site']
  ) {
    throw new UsageError(
      'scs cohort export takes only --out FILE, --deidentified, --data-dir DIR and --database-url URL.',
    );
  }
  if (values.deidentified) return exportDeidentified(values, io);
  const csv = formatCohortCsv(await withRegistry(values, io, true, cohortFromRegistry));
  if (values.out) {
    fs.writeFileSync(values.out, csv, { mode: 0o600 });
    fs.chmodSync(values.out, 0o600); // `mode` only applies to a new file: an old world-readable one is tightened too
    io.stdout.write(`Wrote the cohort to ${values.out}.\n`);
  } else io.stdout.write(csv);
  return 0;
}

const SUBCOMMANDS: Record<string, (argv: string[], io: CommandIo) => Promise<number>> = {
  report,
  import: importFile,
  export: exportCsv,
};

/** `scs cohort report|import|export`: the paper's descriptive Results from a cohort CSV or the store. */
const command: Command = {
  summary: "cohort report (the paper's Results from a cohort CSV or the registry), import, export",
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout.write(HELP);
      return sub === undefined ? 2 : 0;
    }
    const handler = SUBCOMMANDS[sub];
    if (!handler)
      throw new UsageError(
        `unknown subcommand 'cohort ${sub}'; use: ${Object.keys(SUBCOMMANDS).join(', ')}.${didYouMean(sub, Object.keys(SUBCOMMANDS))} Run 'scs cohort --help'.`,
      );
    return handler(rest, io);
  },
};

export default command;
