import fs from 'node:fs';
import { UserError, UsageError } from '../errors/user-error.js';
import { criterionOptions, readDiaryFile } from '../diary/diary-cli-options.js';
import { writeDiaryCsv } from '../diary/diary-csv.js';
import { DiaryStore } from '../diary/diary-store.js';
import { describeEntry as describe, entryJson, humanEvaluation } from '../diary/diary-text.js';
import { type TrialEvaluation, evaluateTrial } from '../diary/trial-criterion.js';
import type { CommandIo } from './command.js';
import { type DiarySubcommand, knownPatient, storeOptions } from './diary-context.js';
import type { DiaryValues } from './diary-flags.js';

/** `scs diary export`: the entries in force as CSV, to stdout or a new file (never overwritten). */
export const exportCsv: DiarySubcommand = async (open, values, io) => {
  const store = await open();
  const patient = await knownPatient(store, values);
  const entries = await store.current(patient);
  const csv = writeDiaryCsv(entries, values['with-recorded']);
  if (!values.out) {
    io.stdout.write(csv);
    return 0;
  }
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
  return 0;
};

/** `scs diary show`: the patients, or one patient's trial dates and entries (with --history, every row). */
export const show: DiarySubcommand = async (open, values, io) => {
  const store = await open();
  if (values.patient === undefined) {
    const patients = await store.listPatients();
    const text = patients.length ? patients.join('\n') + '\n' : 'no patients yet\n';
    io.stdout.write(values.json ? JSON.stringify({ patients }) + '\n' : text);
    return 0;
  }
  const patient = await knownPatient(store, values);
  const entries = values.history ? await store.history(patient) : await store.current(patient);
  const p = (await store.getPatient(patient))!;
  if (values.json) {
    const trial = { start: p.trialStart?.text ?? null, end: p.trialEnd?.text ?? null };
    io.stdout.write(JSON.stringify({ patient, trial, entries: entries.map(entryJson) }) + '\n');
    return 0;
  }
  io.stdout.write(
    `patient ${patient}; trial ${p.trialStart?.text ?? '(start not set)'} to ${p.trialEnd?.text ?? '(end not set)'}\n`,
  );
  for (const e of entries) io.stdout.write(`  #${e.id} [${e.source}] ${describe(e)}\n`);
  if (entries.length === 0) io.stdout.write('  (no entries)\n');
  return 0;
};

/** `scs diary evaluate`: the criterion on a CSV file or on a stored diary (within its trial dates). */
export async function evaluate(values: DiaryValues, io: CommandIo): Promise<number> {
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
