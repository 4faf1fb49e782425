import { auditBinding, auditBindingProblem } from '../audit/audit-binding.js';
import { replayAudit } from '../audit/audit-replay.js';
import { UserError } from '../errors/user-error.js';
import { programmingSummary, type ProgrammingSummary } from '../outcomes/html/patient-html.js';
import { readTextFile } from '../outcomes/read-text-file.js';
import { GeneratorBindingStore } from '../session/generator-binding-store.js';
import type { StoreOptions } from '../store/sql-store.js';

/**
 * `scs patient export --format html --audit-log FILE`: the programming summary of a session log, only
 * when the log is this patient's — it names the patient and was bound to a generator stored for them
 * (the H13 bindings in the data directory); otherwise exit 1 naming what differs.
 */
export async function exportedProgramming(
  file: string,
  patientId: string,
  store: StoreOptions,
): Promise<ProgrammingSummary> {
  const text = readTextFile(file, 'audit log');
  const bindings = await GeneratorBindingStore.open(store);
  let serials: string[];
  try {
    serials = (await bindings.history(patientId)).map((b) => b.serial);
  } finally {
    await bindings.close();
  }
  const problem = auditBindingProblem(auditBinding(text), patientId, serials);
  if (problem) throw new UserError(`--audit-log ${file} does not belong in patient ${patientId}'s report: ${problem}.`);
  return programmingSummary(replayAudit(text), file);
}
