import { parseCommandLine } from '../shared/parse-command-line.js';
import { WEB_HELP } from './diary-web-command.js';
import { STORE_FLAGS } from './store-flags.js';

/** `scs diary --help`: every subcommand's flags and the rules a user meets (trial boundary, exit codes). */
export const DIARY_HELP = `Usage: scs diary SUBCOMMAND [OPTIONS]

Subcommands:
  add       --patient ID [--at TIME] [--phase baseline|trial] [--nrs 0-10] [--pdi 0-70 | --pdi-domains a,b,c,d,e,f,g]
            [--activity improved|not-improved] [--note TEXT] [--outside-trial]
                                                                   append one entry (prints its id once stored)
  import    --patient ID FILE.csv [--outside-trial]                append every row of a diary CSV, or none
  export    --patient ID [--out FILE] [--with-recorded]            write the entries in force as CSV
  show      [--patient ID] [--history] [--json]                    list patients, or a patient's entries
  correct   --patient ID --id N --reason TEXT [--void | entry options] [--outside-trial]
                                                                   supersede an entry (never deletes)
  trial     --patient ID [--start TIME] [--end TIME]               set the trial's start and end
  evaluate  (--patient ID | --file DIARY.csv) [--baseline N] [--percent 30] [--sustain-hours 48]
            [--max-gap 24] [--pdi-min-improvement 1] [--late-hours 24] [--json]

TIME is ISO 8601 with a UTC offset, e.g. 2024-03-31T08:00+02:00 (--at defaults to now).
CSV header: timestamp,phase,nrs,pdi,activity,note (any order; optional column: recorded).
Store options: --data-dir DIR (default $SCS_DATA_DIR, else $XDG_DATA_HOME/scs-companion or
~/.local/share/scs-companion); --database-url postgres://... (default $SCS_DATABASE_URL) puts the
diary on PostgreSQL instead. evaluate exits 0 whenever it ran, whatever the verdict.
Once the trial dates are set, a trial-phase entry outside them (or a baseline-phase entry at or after
the start) takes no part in the verdict: add, import and a correct that moves an entry there refuse
it unless --outside-trial is given.
Exit codes: 0 done; 1 bad input (a value that is wrong, a refused entry or file, no database);
2 a usage mistake (unknown subcommand or option, a required option missing, options that exclude
each other). Commands that only read never create the data directory.
${WEB_HELP}`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  ...STORE_FLAGS,
  patient: { type: 'string' },
  file: { type: 'string' },
  out: { type: 'string' },
  at: { type: 'string' },
  phase: { type: 'string' },
  nrs: { type: 'string' },
  pdi: { type: 'string' },
  'pdi-domains': { type: 'string' },
  activity: { type: 'string' },
  note: { type: 'string' },
  id: { type: 'string' },
  reason: { type: 'string' },
  void: { type: 'boolean' },
  history: { type: 'boolean' },
  'with-recorded': { type: 'boolean' },
  start: { type: 'string' },
  end: { type: 'string' },
  baseline: { type: 'string' },
  percent: { type: 'string' },
  'sustain-hours': { type: 'string' },
  'max-gap': { type: 'string' },
  'pdi-min-improvement': { type: 'string' },
  'late-hours': { type: 'string' },
  'outside-trial': { type: 'boolean' },
} as const;

const STORE = ['data-dir', 'database-url'];
const ENTRY = ['at', 'phase', 'nrs', 'pdi', 'pdi-domains', 'activity', 'note'];
const CRITERION = ['baseline', 'percent', 'sustain-hours', 'max-gap', 'pdi-min-improvement', 'late-hours'];

/** Which options each subcommand accepts (besides --help). */
export const DIARY_ALLOWED: Record<string, readonly string[]> = {
  add: [...STORE, 'patient', ...ENTRY, 'json', 'outside-trial'],
  import: [...STORE, 'patient', 'file', 'json', 'outside-trial'],
  export: [...STORE, 'patient', 'out', 'with-recorded'],
  show: [...STORE, 'patient', 'history', 'json'],
  correct: [...STORE, 'patient', 'id', 'reason', 'void', ...ENTRY, 'json', 'outside-trial'],
  trial: [...STORE, 'patient', 'start', 'end', 'json'],
  evaluate: [...STORE, 'patient', 'file', 'json', ...CRITERION],
};

/** The entry options, which `correct --void` refuses (a withdrawal takes no new values). */
export const ENTRY_FLAGS: readonly string[] = ENTRY;

export type DiaryValues = ReturnType<typeof parseDiaryFlags>['values'];

/** Parses a diary subcommand's flags; a parse problem is a usage mistake (exit 2) with a suggestion. */
export function parseDiaryFlags(argv: string[]) {
  return parseCommandLine(argv, { options: OPTIONS, allowPositionals: true }, 'scs diary');
}
