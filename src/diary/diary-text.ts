/** How diary entries and evaluations are shown to a person, and as JSON. Pure. */
import type { StoredEntry } from './diary-store.js';
import type { TrialEvaluation } from './trial-criterion.js';

export function humanEvaluation(r: TrialEvaluation): string {
  const window = r.pain.window ? `${r.pain.window.start} to ${r.pain.window.end}` : 'none';
  return [
    `Verdict: ${r.verdict.toUpperCase()}`,
    `Baseline NRS: ${r.baseline.nrs === null ? 'none' : `${Math.round(r.baseline.nrs * 100) / 100} = ${r.baseline.exact}`} (${r.baseline.source}, ${r.baseline.entries} baseline entries)`,
    `Pain ≥${r.pain.percent}%: ${r.pain.met ? 'met' : 'not met'}; best run ${r.pain.bestRunHours.toFixed(1)} h; window ${window}`,
    `Pain ≥50%: ${r.pain50.met ? 'met' : 'not met'}; best run ${r.pain50.bestRunHours.toFixed(1)} h`,
    `Activity: ${r.activity.met === null ? 'not assessed' : r.activity.met ? 'improved' : 'not improved'}`,
    'Reasons:',
    ...r.reasons.map((s) => `  - ${s}`),
    '',
  ].join('\n');
}

export function describeEntry(e: StoredEntry): string {
  const parts = [`${e.at.text} ${e.phase}`];
  if (e.voided) parts.push('WITHDRAWN');
  if (e.nrs !== null) parts.push(`NRS ${e.nrs}`);
  if (e.pdi !== null) parts.push(`PDI ${e.pdi}`);
  if (e.activity) parts.push(`activity ${e.activity}`);
  if (e.note) parts.push(`note ${JSON.stringify(e.note)}`);
  parts.push(`(recorded ${e.recordedAt.text})`);
  if (e.supersedes !== null) parts.push(`corrects #${e.supersedes}: ${JSON.stringify(e.correctionReason)}`);
  if (e.supersededBy !== null) parts.push(`superseded by #${e.supersededBy}`);
  return parts.join(' ');
}

export function entryJson(e: StoredEntry) {
  return {
    id: e.id,
    patient: e.patientId,
    timestamp: e.at.text,
    recorded: e.recordedAt.text,
    phase: e.phase,
    nrs: e.nrs,
    pdi: e.pdi,
    pdiDomains: e.pdiDomains,
    activity: e.activity,
    note: e.note,
    source: e.source,
    supersedes: e.supersedes,
    correctionReason: e.correctionReason,
    voided: e.voided,
    supersededBy: e.supersededBy,
  };
}
