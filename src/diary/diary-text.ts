/** How diary entries and evaluations are shown to a person, and as JSON. Pure. */
import type { StoredEntry } from './diary-store.js';
import type { PainSummary, TrialEvaluation } from './trial-criterion.js';

const h1 = (hours: number) => `${Math.round(hours * 10) / 10} h`;

/**
 * One line per pain threshold that agrees with the reasons: the longest responding run and how far it
 * is from the sustain time (the JSON's `longestRunHours`), and the qualifying window when there is one.
 */
export function painSummaryLine(p: PainSummary, sustainHours: number): string {
  const head = `Pain ≥${p.percent}%: ${p.met ? 'met' : 'not met'}; longest responding run ${h1(p.longestRunHours)}`;
  if (p.window) return `${head} (≥${sustainHours} h needed); qualifying window ${p.window.start} to ${p.window.end}`;
  return `${head}, ${h1(Math.max(0, sustainHours - p.longestRunHours))} short of the ${sustainHours} h needed`;
}

export function humanEvaluation(r: TrialEvaluation): string {
  const sustain = r.criterion.sustainHours;
  return [
    `Verdict: ${r.verdict.toUpperCase()}`,
    `Baseline NRS: ${r.baseline.nrs === null ? 'none' : `${Math.round(r.baseline.nrs * 100) / 100} = ${r.baseline.exact}`} (${r.baseline.source}, ${r.baseline.entries} baseline entries)`,
    painSummaryLine(r.pain, sustain),
    painSummaryLine(r.pain50, sustain),
    `Activity: ${r.activity.met === null ? 'not assessed' : r.activity.met ? 'improved' : 'not improved'}`,
    `Trial: ${r.trialDates.start ?? '(start not set)'} to ${r.trialDates.end ?? '(end not set)'}${r.outsideTrial.length ? `; ${r.outsideTrial.length} entries outside it not counted` : ''}`,
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
