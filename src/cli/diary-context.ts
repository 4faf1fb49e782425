import { UserError, UsageError } from '../errors/user-error.js';
import { pdiText } from '../diary/diary-cli-options.js';
import type { DiaryStore } from '../diary/diary-store.js';
import type { DiaryEntry } from '../diary/entry.js';
import { patientIdProblem } from '../diary/patient-id.js';
import { type TrialDates, describeOutsideReason, outsideTrial } from '../diary/trial-boundaries.js';
import { databaseExists } from '../store/database.js';
import { resolveDatabaseUrl } from '../store/database-url.js';
import type { CommandIo } from './command.js';
import type { DiaryValues } from './diary-flags.js';
import { storeOptions } from './store-flags.js';

/** One `scs diary` subcommand: opens the store only when it needs it (bad input never creates one). */
export type DiarySubcommand = (open: () => Promise<DiaryStore>, values: DiaryValues, io: CommandIo) => Promise<number>;

/** The --patient value, checked: missing is a usage mistake (exit 2), malformed is bad input (exit 1). */
export function patientOf(values: Pick<DiaryValues, 'patient'>): string {
  const problem = patientIdProblem(values.patient);
  if (problem) throw values.patient === undefined ? new UsageError(problem) : new UserError(problem);
  return values.patient!;
}

/** Where the diary lives: --database-url / $SCS_DATABASE_URL (PostgreSQL), else --data-dir's SQLite file. */
export { storeOptions } from './store-flags.js';

/** Whether a store already exists (PostgreSQL: always asked; SQLite: the file is there). Creates nothing. */
export function storeExists(values: DiaryValues, io: CommandIo): boolean {
  return (
    resolveDatabaseUrl(storeOptions(values, io)) !== undefined ||
    databaseExists({ dataDir: values['data-dir'], env: io.env })
  );
}

/** The --patient of a diary that exists in this store (bad input otherwise). */
export async function knownPatient(store: DiaryStore, values: DiaryValues): Promise<string> {
  const id = patientOf(values);
  if (!(await store.getPatient(id)))
    throw new UserError(`no diary for patient ${id} in this data directory; 'scs diary show' lists patients`);
  return id;
}

/** The entry options as the diary parser reads them. */
export function entryText(values: DiaryValues) {
  return {
    phase: values.phase,
    nrs: values.nrs,
    pdi: pdiText(values.pdi, values['pdi-domains']),
    activity: values.activity,
    note: values.note,
  };
}

/** The patient's trial dates, without creating a store when there is none yet. */
export async function trialDatesOf(
  open: () => Promise<DiaryStore>,
  values: DiaryValues,
  io: CommandIo,
  patient: string,
): Promise<TrialDates> {
  const p = storeExists(values, io) ? await (await open()).getPatient(patient) : undefined;
  return { start: p?.trialStart ?? null, end: p?.trialEnd ?? null };
}

export const trialText = (d: TrialDates) =>
  `${d.start?.text ?? '(start not set)'} to ${d.end?.text ?? '(end not set)'}`;

/**
 * The trial-boundary rule of `add` and `correct`: an entry the trial dates would leave out of the
 * verdict is refused (exit 1) unless --outside-trial is given. Returns the warning to print once it is
 * stored, or null when the entry counts.
 */
export function checkOutsideTrial(entry: DiaryEntry, dates: TrialDates, values: DiaryValues): string | null {
  const why = outsideTrial(entry, dates);
  if (!why) return null;
  const what = `a ${describeOutsideReason(why)} (trial ${trialText(dates)})`;
  if (!values['outside-trial'])
    throw new UserError(
      `the entry at ${entry.at.text} is ${what}: it would take no part in the verdict. ` +
        'Check --at and --phase, or add --outside-trial to store it anyway.',
    );
  return what;
}
