import { UserError, UsageError } from '../errors/user-error.js';
import { entryFromFlags, instantFlag, readDiaryFile } from '../diary/diary-cli-options.js';
import { formatProblems } from '../diary/diary-csv.js';
import { DiaryStoreError } from '../diary/diary-store.js';
import { describeEntry as describe, entryJson } from '../diary/diary-text.js';
import type { DiaryEntry } from '../diary/entry.js';
import { instantFromDate } from '../diary/instant.js';
import { describeOutsideReason, outsideTrial, splitByTrial } from '../diary/trial-boundaries.js';
import {
  type DiarySubcommand,
  checkOutsideTrial,
  entryText,
  knownPatient,
  patientOf,
  storeExists,
  trialDatesOf,
  trialText,
} from './diary-context.js';
import { ENTRY_FLAGS } from './diary-flags.js';

/** `scs diary add`: one entry, its phase inferred from the trial start when not given. */
export const add: DiarySubcommand = async (open, values, io) => {
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
  const outside = checkOutsideTrial(entry, await trialDatesOf(open, values, io, patient), values);
  const stored = await (await open()).add(patient, entry);
  if (outside)
    io.stderr.write(`warning: entry ${stored.id} is ${outside}; it is stored but takes no part in the verdict\n`);
  io.stdout.write(
    values.json
      ? JSON.stringify(entryJson(stored)) + '\n'
      : `stored entry ${stored.id} for ${patient}: ${describe(stored)}\n`,
  );
  return 0;
};

/** `scs diary import`: every row of a diary CSV or none; rows outside the trial are listed by line. */
export const importCsv: DiarySubcommand = async (open, values, io) => {
  const patient = patientOf(values);
  if (!values.file) throw new UsageError('give the diary CSV file: scs diary import --patient ID FILE.csv');
  const rows = readDiaryFile(values.file);
  const dates = await trialDatesOf(open, values, io, patient);
  const outside = rows.flatMap(({ line, entry }) => {
    const why = outsideTrial(entry, dates);
    if (!why) return [];
    const message = `${entry.at.text} is a ${describeOutsideReason(why)} (trial ${trialText(dates)})`;
    return [{ line, column: 'timestamp', message }];
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
};

/**
 * `scs diary correct`: supersedes an entry (or withdraws it with --void). A correction that moves an
 * entry out of the trial follows add's rule (refused without --outside-trial); one that was already
 * outside is stored with the warning.
 */
export const correct: DiarySubcommand = async (open, values, io) => {
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
  let replacement: DiaryEntry | null = null;
  let outside: string | null = null;
  if (!values.void) {
    const given = entryText(values);
    const keep = (v: string | undefined, old: string | undefined) => (v === undefined ? old : v === 'none' ? '' : v);
    replacement = entryFromFlags({
      timestamp: values.at ?? old.at.text,
      phase: given.phase ?? old.phase,
      nrs: keep(given.nrs, old.nrs?.toString()),
      pdi: keep(given.pdi, old.pdiDomains ? old.pdiDomains.join(';') : old.pdi?.toString()),
      activity: keep(given.activity, old.activity ?? undefined),
      note: keep(given.note, old.note ?? undefined),
    });
    const p = (await store.getPatient(patient))!;
    const dates = { start: p.trialStart, end: p.trialEnd };
    const wasOutside = outsideTrial(old, dates) !== null;
    outside = checkOutsideTrial(replacement, dates, wasOutside ? { ...values, 'outside-trial': true } : values);
  } else if (ENTRY_FLAGS.some((k) => values[k as keyof typeof values] !== undefined)) {
    throw new UsageError('--void withdraws the entry; it takes no new values');
  }
  const stored = await store.correct(patient, id, replacement, values.reason);
  if (outside)
    io.stderr.write(`warning: entry ${stored.id} is ${outside}; it is stored but takes no part in the verdict\n`);
  io.stdout.write(
    values.json
      ? JSON.stringify(entryJson(stored)) + '\n'
      : `entry ${id} superseded by entry ${stored.id}: ${describe(stored)}\n`,
  );
  return 0;
};

/** `scs diary trial`: sets the dates and warns about stored entries they leave out. */
export const trial: DiarySubcommand = async (open, values, io) => {
  const patient = patientOf(values);
  if (values.start === undefined && values.end === undefined)
    throw new UsageError('give --start TIME and/or --end TIME');
  const dates = { start: instantFlag('--start', values.start), end: instantFlag('--end', values.end) };
  const store = await open();
  const p = await store.setTrial(patient, dates);
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
};
