import { UserError } from '../errors/user-error.js';
import type { CsvProblem } from './diary-csv.js';
import { ONE_NRS_INDEX } from './diary-schema.js';

/** A rejected diary write (bad input, exit 1); `problems` carries line numbers for imports. */
export class DiaryStoreError extends UserError {
  constructor(
    message: string,
    readonly problems: CsvProblem[] = [],
  ) {
    super(message, 'input');
    this.name = 'DiaryStoreError';
  }
}

/** Whether `err` is the database refusing a second current NRS at one instant (PostgreSQL or SQLite). */
export function isSecondNrs(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505') return e.constraint === ONE_NRS_INDEX;
  return e.code === 'SQLITE_CONSTRAINT_UNIQUE' && /diary_entries\.nrs_key/.test(e.message ?? '');
}

/** The refusal of a second NRS at an instant that already has one (`id` null when only the index knew). */
export function secondNrs(patientId: string, dup: { at: string; id: number | null }): DiaryStoreError {
  const which = dup.id === null ? '' : ` (entry ${dup.id})`;
  return new DiaryStoreError(
    `patient ${patientId} already has an NRS at ${dup.at}${which}; correct that entry instead of adding a second one`,
  );
}
