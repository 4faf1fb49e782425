import type { DiaryEntry } from '../diary/entry.js';
import { type TrialEvaluation, evaluateTrial } from '../diary/trial-criterion.js';
import { DiaryStore } from '../diary/diary-store.js';
import { borrowed, tableExists } from '../store/sql-store.js';
import { reliefPercent } from './relief.js';
import type { Complication, FollowUp, OutcomeRegistry, Procedure, RegistryPatient } from './outcome-registry.js';

export interface FollowUpWithRelief extends FollowUp {
  /** NRS reduction from the baseline visit, percent (null without both). */
  reliefPercent: number | null;
}

/**
 * Everything the registry (and the diary, when the patient kept one) holds about one patient, as one
 * value: what `scs patient show` prints and what the exports serialise.
 */
export interface PatientRecord {
  /** The site namespace of the store the record comes from (see OutcomeRegistry.siteId). */
  site: string;
  patient: RegistryPatient;
  procedures: Procedure[];
  followUps: FollowUpWithRelief[];
  complications: Complication[];
  /** The trial diary, when the patient has one in the same store. */
  diary: { entries: DiaryEntry[]; evaluation: TrialEvaluation } | null;
}

async function diaryOf(registry: OutcomeRegistry, id: string): Promise<PatientRecord['diary']> {
  // Reads only: a store whose diary was never used gets no diary tables from showing a patient.
  if (!(await tableExists(registry.store, 'diary_patients'))) return null;
  // The diary shares the registry's store (borrowed: closing the diary leaves it open).
  const diary = new DiaryStore(borrowed(registry.store));
  const p = await diary.getPatient(id);
  if (!p) return null;
  const entries = await diary.current(id);
  if (entries.length === 0) return null;
  return { entries, evaluation: evaluateTrial(entries, { trialStart: p.trialStart, trialEnd: p.trialEnd }) };
}

export async function patientRecord(registry: OutcomeRegistry, id: string): Promise<PatientRecord> {
  const patient = await registry.requirePatient(id);
  const followUps = await registry.followUps(id);
  const baseline = followUps.find((f) => f.visit.kind === 'baseline')?.nrs ?? null;
  return {
    site: await registry.siteId(),
    patient,
    procedures: await registry.procedures(id),
    followUps: followUps.map((f) => ({
      ...f,
      reliefPercent: f.visit.kind === 'baseline' ? null : reliefPercent(baseline, f.nrs),
    })),
    complications: await registry.complications(id),
    diary: await diaryOf(registry, id),
  };
}

function n(x: number | null, unit = ''): string {
  return x === null ? '–' : `${x}${unit}`;
}

export function formatPatientRecord(r: PatientRecord): string {
  const p = r.patient;
  const lines = [
    `Patient ${p.id}: sex ${p.sex}, age ${p.age}; pain ${p.location.text} (${p.location.count} dermatome${p.location.count === 1 ? '' : 's'}), side ${p.side}; pain for ${p.durationMonths} months`,
  ];
  if (p.hospitalDays !== null || p.cost !== null) {
    lines.push(
      `  hospital stay ${n(p.hospitalDays, ' days')}; direct cost ${p.cost === null ? '–' : `${p.cost} ${p.currency}${p.priceYear ? ` at ${p.priceYear} prices` : ''}`}`,
    );
  }
  lines.push('Procedures:');
  if (r.procedures.length === 0) lines.push('  none recorded');
  for (const q of r.procedures) {
    lines.push(
      `  #${q.id} ${q.date ?? 'date unknown'}  ${q.kind}${q.verdict ? `  verdict ${q.verdict.toUpperCase()}` : ''}`,
    );
    for (const reason of q.reasons) lines.push(`      ${reason}`);
  }
  lines.push('Follow-up (NRS 0–10, PDI 0–70, relief = NRS reduction from baseline):');
  if (r.followUps.length === 0) lines.push('  none recorded');
  for (const f of r.followUps) {
    lines.push(
      `  ${f.visit.label.padEnd(9)} ${(f.date ?? '').padEnd(10)}  NRS ${n(f.nrs).padStart(2)}  PDI ${n(f.pdi).padStart(2)}${f.reliefPercent === null ? '' : `  relief ${f.reliefPercent.toFixed(0)}%`}`,
    );
  }
  lines.push('Complications:');
  if (r.complications.length === 0) lines.push('  none recorded');
  for (const c of r.complications) {
    lines.push(
      `  #${c.id} ${c.date ?? 'date unknown'}  ${c.category}, ${c.severity}${c.procedureId ? ` (after procedure #${c.procedureId})` : ''}: ${c.description}`,
    );
  }
  if (r.diary)
    lines.push(
      `Trial diary: ${r.diary.entries.length} entries; criterion verdict ${r.diary.evaluation.verdict.toUpperCase()}`,
    );
  return lines.join('\n') + '\n';
}
