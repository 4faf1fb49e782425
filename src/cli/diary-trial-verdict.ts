import { UserError } from '../errors/user-error.js';
import { DiaryStore } from '../diary/diary-store.js';
import { evaluateTrial } from '../diary/trial-criterion.js';
import { describeLaterEntries, entriesUpTo } from '../diary/trial-boundaries.js';
import type { OutcomeRegistry } from '../outcomes/outcome-registry.js';

/**
 * `scs patient procedure --kind scs-trial --from-diary`: the trial verdict and its reasons as the
 * patient's diary gives them on the procedure's day. Entries written after that day do not count (a
 * reason says so); a diary that cannot decide (insufficient) is refused with what it lacks.
 */
export async function verdictFromDiary(
  registry: OutcomeRegistry,
  id: string,
  date: string | null,
): Promise<{ verdict: 'pass' | 'fail'; reasons: string[] }> {
  const diary = await DiaryStore.beside(registry.store);
  const patient = await diary.getPatient(id);
  const all = patient ? await diary.current(id) : [];
  if (all.length === 0)
    throw new UserError(
      `patient ${id} has no trial diary in this store; record it with 'scs diary add' or give --verdict and --reason`,
    );
  // A verdict recorded on the procedure's day cannot rest on entries written after it.
  const { kept, later } = date === null ? { kept: all, later: [] } : entriesUpTo(all, date);
  const evaluation = evaluateTrial(kept, { trialStart: patient!.trialStart, trialEnd: patient!.trialEnd });
  const laterReason = date === null ? null : describeLaterEntries(later, date);
  const reasons = laterReason ? [...evaluation.reasons, laterReason] : evaluation.reasons;
  if (evaluation.verdict === 'insufficient') {
    throw new UserError(
      `the diary cannot decide the trial (insufficient): ${reasons.join(' ')} Record more entries, or give --verdict and --reason.`,
    );
  }
  return { verdict: evaluation.verdict, reasons };
}
