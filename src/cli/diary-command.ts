/** `scs diary add|import|export|show|correct|trial|evaluate`: the trial diary and the 48 h ≥ 30 % criterion. */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { UserError, UsageError } from '../errors/user-error.js';
import { didYouMean } from '../shared/did-you-mean.js';
import { parseProblem } from '../shared/parse-problem.js';
import type { Command, CommandIo } from './command.js';
import { criterionOptions, entryFromFlags, instantFlag, pdiText, readDiaryFile } from '../diary/diary-cli-options.js';
import { formatProblems, writeDiaryCsv } from '../diary/diary-csv.js';
import { DiaryStore, DiaryStoreError } from '../diary/diary-store.js';
import { describeEntry as describe, entryJson, humanEvaluation } from '../diary/diary-text.js';
import { instantFromDate } from '../diary/instant.js';
import { patientIdProblem } from '../diary/patient-id.js';
import { type TrialDates, describeOutsideReason, outsideTrial, splitByTrial } from '../diary/trial-boundaries.js';
import { type TrialEvaluation, evaluateTrial } from '../diary/trial-criterion.js';
import { databaseExists } from '../store/database.js';
import { resolveDatabaseUrl } from '../store/database-url.js';
import { WEB_HELP, inviteCommand, serveCommand } from './diary-web-command.js';

const HELP = `Usage: scs diary SUBCOMMAND [OPTIONS]

Subcommands:
  add       --patient ID [--at TIME] [--phase baseline|trial] [--nrs 0-10] [--pdi 0-70 | --pdi-domains a,b,c,d,e,f,g]
            [--activity improved|not-improved] [--note TEXT] [--outside-trial]
                                                                   append one entry (prints its id once stored)
  import    --patient ID FILE.csv [--outside-trial]                append every row of a diary CSV, or none
  export    --patient ID [--out FILE] [--with-recorded]            write the entries in force as CSV
  show      [--patient ID] [--history] [--json]                    list patients, or a patient's entries
  correct   --patient ID --id N --reason TEXT [--void | entry options]   supersede an entry (never deletes)
  trial     --patient ID [--start TIME] [--end TIME]               set the trial's start and end
  evaluate  (--patient ID | --file DIARY.csv) [--baseline N] [--percent 30] [--sustain-hours 48]
            [--max-gap 24] [--pdi-min-improvement 1] [--late-hours 24] [--json]

TIME is ISO 8601 with a UTC offset, e.g. 2024-03-31T08:00+02:00 (--at defaults to now).
CSV header: timestamp,phase,nrs,pdi,activity,note (any order; optional column: recorded).
Store options: --data-dir DIR (default $SCS_DATA_DIR, else $XDG_DATA_HOME/scs-companion or
~/.local/share/scs-companion); --database-url postgres://... (default $SCS_DATABASE_URL) puts the
diary on PostgreSQL instead. evaluate exits 0 whenever it ran, whatever the verdict.
Once the trial dates are set, a trial-phase entry outside them (or a baseline-phase entry at or after
the start) takes no part in the verdict: add and import refuse it unless --outside-trial is given.
Exit codes: 0 done; 1 bad input (a value that is wrong, a refused entry or file, no database);
2 a usage mistake (unknown subcommand or option, a required option missing, options that exclude
each other). Commands that only read never create the data directory.
${WEB_HELP}`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  'data-dir': { type: 'string' },
  'database-url': { type: 'string' },
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

/** Which options each subcommand accepts (besides --help). */
const ALLOWED: Record<string, readonly string[]> = {
  add: [
    'data-dir',
    'database-url',
    'patient',
    'at',
    'phase',
    'nrs',
    'pdi',
    'pdi-domains',
    'activity',
    'note',
    'json',
    'outside-trial',
  ],
  import: ['data-dir', 'database-url', 'patient', 'file', 'json', 'outside-trial'],
  export: ['data-dir', 'database-url', 'patient', 'out', 'with-recorded'],
  show: ['data-dir', 'database-url', 'patient', 'history', 'json'],
  correct: [
    'data-dir',
    'database-url',
    'patient',
    'id',
    'reason',
    'void',
    'at',
    'phase',
    'nrs',
    'pdi',
    'pdi-domains',
    'activity',
    'note',
    'json',
  ],
  trial: ['data-dir', 'database-url', 'patient', 'start', 'end', 'json'],
  evaluate: [
    'data-dir',
    'database-url',
    'patient',
    'file',
    'json',
    'baseline',
    'percent',
    'sustain-hours',
    'max-gap',
    'pdi-min-improvement',
    'late-hours',
  ],
};

type Values = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${parseProblem(err, OPTIONS)}\nRun 'scs diary --help' for the options.`);
  }
}

const command: Command = {
  summary: 'trial diary: add, import, export, show, correct entries; evaluate the 48 h ≥30% criterion',
  async run(argv: string[], io: CommandIo): Promise<number> {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout.write(HELP);
      return sub === undefined ? 2 : 0;
    }
    // The web diary's subcommands parse their own flags (diary-web-command.ts).
    if (sub === 'invite') return inviteCommand(rest, io);
    if (sub === 'serve') return serveCommand(rest, io);
    const names = [...Object.keys(ALLOWED), 'invite', 'serve'];
    if (!ALLOWED[sub])
      throw new UsageError(
        `unknown diary subcommand '${sub}'; use one of ${names.join(', ')}.${didYouMean(sub, names)}`,
      );
    const { values, positionals } = parse(rest);
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    for (const [key, value] of Object.entries(values)) {
      if (value !== undefined && !ALLOWED[sub]!.includes(key))
        throw new UsageError(`scs diary ${sub} does not take --${key}; see 'scs diary --help'`);
    }
    if (sub === 'import' && positionals.length === 1 && !values.file) values.file = positionals[0];
    else if (positionals.length > 0)
      throw new UsageError(`unexpected argument '${positionals[0]}'; see 'scs diary --help'`);
    if (sub === 'evaluate') return evaluate(values, io);
    // Opened only once the input is known good, so bad input never even creates the database.
    let store: Promise<DiaryStore> | undefined;
    const open = () =>
      (store ??= DiaryStore.open({
        ...storeOptions(values, io),
        mustExist: !['add', 'import', 'trial'].includes(sub),
      }));
    try {
      return await SUBCOMMANDS[sub]!(open, values, io);
    } finally {
      await (await store?.catch(() => undefined))?.close();
    }
  },
};
export default command;

function patientOf(values: Values): string {
  const problem = patientIdProblem(values.patient);
  if (problem) throw values.patient === undefined ? new UsageError(problem) : new UserError(problem);
  return values.patient!;
}

/** Where the diary lives: --database-url / $SCS_DATABASE_URL (PostgreSQL), else --data-dir's SQLite file. */
function storeOptions(values: Values, io: CommandIo) {
  return { dataDir: values['data-dir'], databaseUrl: values['database-url'], env: io.env };
}

/** Whether a store already exists (PostgreSQL: always asked; SQLite: the file is there). Creates nothing. */
function storeExists(values: Values, io: CommandIo): boolean {
  return (
    resolveDatabaseUrl(storeOptions(values, io)) !== undefined ||
    databaseExists({ dataDir: values['data-dir'], env: io.env })
  );
}

async function knownPatient(store: DiaryStore, values: Values): Promise<string> {
  const id = patientOf(values);
  if (!(await store.getPatient(id)))
    throw new UserError(`no diary for patient ${id} in this data directory; 'scs diary show' lists patients`);
  return id;
}

function entryText(values: Values) {
  return {
    phase: values.phase,
    nrs: values.nrs,
    pdi: pdiText(values.pdi, values['pdi-domains']),
    activity: values.activity,
    note: values.note,
  };
}

const SUBCOMMANDS: Record<string, (open: () => Promise<DiaryStore>, values: Values, io: CommandIo) => Promise<number>> =
  {
    async add(open, values, io) {
      const patient = patientOf(values);
      const at = values.at ?? instantFromDate(new Date()).text;
      const text = { ...entryText(values), timestamp: at };
      if (text.phase === undefined) {
        entryFromFlags({ ...text, phase: 'trial' }); // report bad values before touching the store
        const start = storeExists(values, io) ? (await (await open()).getPatient(patient))?.trialStart : undefined;
        const atMs = instantFlag('--at', at)!.ms;
        if (!start)
          throw new UsageError(
            `--phase is required (baseline or trial) until the trial start is set with 'scs diary trial --patient ${patient} --start TIME'`,
          );
        text.phase = atMs >= start.ms ? 'trial' : 'baseline';
      }
      const entry = entryFromFlags(text);
      const p = storeExists(values, io) ? await (await open()).getPatient(patient) : undefined;
      const dates = { start: p?.trialStart ?? null, end: p?.trialEnd ?? null };
      const why = outsideTrial(entry, dates);
      if (why && !values['outside-trial']) {
        throw new UserError(
          `the entry at ${entry.at.text} is a ${describeOutsideReason(why)} (trial ${trialText(dates)}): it would take no part in the verdict. ` +
            'Check --at and --phase, or add --outside-trial to store it anyway.',
        );
      }
      const stored = await (await open()).add(patient, entry);
      if (why)
        io.stderr.write(
          `warning: entry ${stored.id} is a ${describeOutsideReason(why)} (trial ${trialText(dates)}); it is stored but takes no part in the verdict\n`,
        );
      io.stdout.write(
        values.json
          ? JSON.stringify(entryJson(stored)) + '\n'
          : `stored entry ${stored.id} for ${patient}: ${describe(stored)}\n`,
      );
      return 0;
    },
    async import(open, values, io) {
      const patient = patientOf(values);
      if (!values.file) throw new UsageError('give the diary CSV file: scs diary import --patient ID FILE.csv');
      const rows = readDiaryFile(values.file);
      const p = storeExists(values, io) ? await (await open()).getPatient(patient) : undefined;
      const dates = { start: p?.trialStart ?? null, end: p?.trialEnd ?? null };
      const outside = rows.flatMap(({ line, entry }) => {
        const why = outsideTrial(entry, dates);
        return why
          ? [
              {
                line,
                column: 'timestamp',
                message: `${entry.at.text} is a ${describeOutsideReason(why)} (trial ${trialText(dates)})`,
              },
            ]
          : [];
      });
      if (outside.length && !values['outside-trial']) {
        throw new UserError(
          `${values.file}: ${outside.length} row(s) lie outside the trial and would take no part in the verdict; nothing was imported. ` +
            `Fix them, or import with --outside-trial to store them anyway:\n${formatProblems(outside, values.file)}`,
        );
      }
      try {
        const stored = await (await open()).importRows(patient, rows);
        if (outside.length)
          io.stderr.write(
            `warning: ${outside.length} imported row(s) lie outside the trial ${trialText(dates)} and take no part in the verdict\n`,
          );
        io.stdout.write(
          values.json
            ? JSON.stringify({ patient, imported: stored.length, ids: stored.map((s) => s.id) }) + '\n'
            : `imported ${stored.length} entries for ${patient}\n`,
        );
        return 0;
      } catch (err) {
        if (err instanceof DiaryStoreError && err.problems.length) {
          throw new UserError(`${values.file}: ${err.message}:\n${formatProblems(err.problems, values.file)}`);
        }
        throw err;
      }
    },
    async export(open, values, io) {
      const store = await open();
      const patient = await knownPatient(store, values);
      const entries = await store.current(patient);
      const csv = writeDiaryCsv(entries, values['with-recorded']);
      if (values.out) {
        try {
          fs.writeFileSync(values.out, csv, { mode: 0o600, flag: 'wx' });
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EEXIST')
            throw new UserError(
              `${values.out} already exists; export never overwrites a file. Choose another --out or remove it first.`,
            );
          throw new UserError(
            `cannot write ${values.out}: ${code ?? (e as Error).message}. Check the directory exists and is writable.`,
          );
        }
        io.stderr.write(`wrote ${entries.length} entries to ${values.out}\n`);
      } else io.stdout.write(csv);
      return 0;
    },
    async show(open, values, io) {
      const store = await open();
      if (values.patient === undefined) {
        const patients = await store.listPatients();
        io.stdout.write(
          values.json
            ? JSON.stringify({ patients }) + '\n'
            : patients.length
              ? patients.join('\n') + '\n'
              : 'no patients yet\n',
        );
        return 0;
      }
      const patient = await knownPatient(store, values);
      const entries = values.history ? await store.history(patient) : await store.current(patient);
      const p = (await store.getPatient(patient))!;
      if (values.json) {
        io.stdout.write(
          JSON.stringify({
            patient,
            trial: { start: p.trialStart?.text ?? null, end: p.trialEnd?.text ?? null },
            entries: entries.map(entryJson),
          }) + '\n',
        );
        return 0;
      }
      io.stdout.write(
        `patient ${patient}; trial ${p.trialStart?.text ?? '(start not set)'} to ${p.trialEnd?.text ?? '(end not set)'}\n`,
      );
      for (const e of entries) io.stdout.write(`  #${e.id} [${e.source}] ${describe(e)}\n`);
      if (entries.length === 0) io.stdout.write('  (no entries)\n');
      return 0;
    },
    async correct(open, values, io) {
      const store = await open();
      const patient = await knownPatient(store, values);
      const id = Number(values.id);
      if (values.id === undefined)
        throw new UsageError(
          `--id N is required: the entry to correct; see 'scs diary show --patient ${patient} --history'`,
        );
      if (!/^\d+$/.test(values.id))
        throw new UserError(
          `--id '${values.id ?? ''}' must be an entry number; see 'scs diary show --patient ${patient} --history'`,
        );
      if (!values.reason?.trim()) throw new UsageError('a correction needs --reason TEXT (why the entry is corrected)');
      const old = await store.byId(patient, id);
      if (!old) throw new UserError(`patient ${patient} has no diary entry ${id}`);
      let replacement = null;
      if (!values.void) {
        const given = entryText(values);
        const keep = (v: string | undefined, old: string | undefined) =>
          v === undefined ? old : v === 'none' ? '' : v;
        replacement = entryFromFlags({
          timestamp: values.at ?? old.at.text,
          phase: given.phase ?? old.phase,
          nrs: keep(given.nrs, old.nrs?.toString()),
          pdi: keep(given.pdi, old.pdiDomains ? old.pdiDomains.join(';') : old.pdi?.toString()),
          activity: keep(given.activity, old.activity ?? undefined),
          note: keep(given.note, old.note ?? undefined),
        });
      } else if (
        ['at', 'phase', 'nrs', 'pdi', 'pdi-domains', 'activity', 'note'].some(
          (k) => values[k as keyof Values] !== undefined,
        )
      ) {
        throw new UsageError('--void withdraws the entry; it takes no new values');
      }
      const stored = await store.correct(patient, id, replacement, values.reason);
      io.stdout.write(
        values.json
          ? JSON.stringify(entryJson(stored)) + '\n'
          : `entry ${id} superseded by entry ${stored.id}: ${describe(stored)}\n`,
      );
      return 0;
    },
    async trial(open, values, io) {
      const patient = patientOf(values);
      if (values.start === undefined && values.end === undefined)
        throw new UsageError('give --start TIME and/or --end TIME');
      const trial = { start: instantFlag('--start', values.start), end: instantFlag('--end', values.end) };
      const store = await open();
      const p = await store.setTrial(patient, trial);
      const out = { patient, start: p.trialStart?.text ?? null, end: p.trialEnd?.text ?? null };
      const { outside } = splitByTrial(await store.current(patient), { start: p.trialStart, end: p.trialEnd });
      if (outside.length)
        io.stderr.write(
          `warning: ${outside.length} entr${outside.length === 1 ? 'y lies' : 'ies lie'} outside this trial and take no part in the verdict; 'scs diary evaluate' lists them\n`,
        );
      io.stdout.write(
        values.json
          ? JSON.stringify(out) + '\n'
          : `trial for ${patient}: ${out.start ?? '(start not set)'} to ${out.end ?? '(end not set)'}\n`,
      );
      return 0;
    },
  };

async function evaluate(values: Values, io: CommandIo): Promise<number> {
  if ((values.patient === undefined) === (values.file === undefined))
    throw new UsageError('give exactly one of --patient ID (the store) or --file DIARY.csv');
  const options = criterionOptions(values);
  let result: TrialEvaluation;
  if (values.file !== undefined) {
    if (values['data-dir'] !== undefined) throw new UsageError('--data-dir applies to --patient, not to --file');
    result = evaluateTrial(
      readDiaryFile(values.file).map((r) => r.entry),
      options,
    );
  } else {
    const store = await DiaryStore.open({ ...storeOptions(values, io), mustExist: true });
    try {
      const patient = await knownPatient(store, values);
      const p = (await store.getPatient(patient))!;
      result = evaluateTrial(await store.current(patient), {
        ...options,
        trialStart: p.trialStart,
        trialEnd: p.trialEnd,
      });
    } finally {
      await store.close();
    }
  }
  io.stdout.write(values.json ? JSON.stringify(result) + '\n' : humanEvaluation(result));
  return 0;
}

const trialText = (d: TrialDates) => `${d.start?.text ?? '(start not set)'} to ${d.end?.text ?? '(end not set)'}`;
