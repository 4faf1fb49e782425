import { chartData } from '../diary/chart-data.js';
import { DiaryStore, type StoredEntry } from '../diary/diary-store.js';
import { describeProblems, parseEntry } from '../diary/entry.js';
import { instantFromDate } from '../diary/instant.js';
import { evaluateTrial } from '../diary/trial-criterion.js';
import { describeOutsideReason, outsideTrial } from '../diary/trial-boundaries.js';
import type { DiaryChartView } from './diary-chart.js';
import type { DiaryAddResult, UiDiary } from './ui-ports.js';

/** How many of the latest entries the diary screen lists under the chart. */
const RECENT_ENTRIES = 4;

function recentText(e: StoredEntry): string {
  const parts = [e.at.text, e.phase];
  if (e.nrs !== null) parts.push(`NRS ${e.nrs}`);
  if (e.pdi !== null) parts.push(`PDI ${e.pdi}`);
  if (e.activity) parts.push(`activity ${e.activity}`);
  return parts.join(' ');
}

/**
 * The diary screen's window onto the diary store: quick entries stamped "now" at the host's offset,
 * and the chart from the diary core's own evaluation (the UI never recomputes the criterion).
 */
export function storeDiary(store: DiaryStore, patientId: string, now: () => Date = () => new Date()): UiDiary {
  return {
    chart(): DiaryChartView {
      const patient = store.getPatient(patientId);
      const entries = store.current(patientId);
      const evaluation = evaluateTrial(entries, { trialStart: patient?.trialStart ?? null, trialEnd: patient?.trialEnd ?? null });
      const data = chartData(entries, evaluation);
      return {
        patientId,
        points: data.points.map((p) => ({ tMs: p.ms, nrs: p.nrs, phase: p.phase, responds: p.responds })),
        baselineNrs: data.baseline,
        responderCeiling: data.baseline === null ? null : evaluation.pain.responderMaxNrs,
        window: data.window ? { startMs: data.window.startMs, endMs: data.window.endMs } : null,
        range: data.range,
        verdict: evaluation.verdict,
        reasons: evaluation.reasons,
        recent: [...entries]
          .sort((a, b) => b.id - a.id)
          .slice(0, RECENT_ENTRIES)
          .map((e) => ({ id: e.id, text: recentText(e), source: e.source })),
      };
    },
    add({ phase, nrs, pdi, outsideTrial: confirmed }): DiaryAddResult {
      const at = instantFromDate(now()).text;
      const parsed = parseEntry({ timestamp: at, phase, nrs: nrs?.toString(), pdi: pdi?.toString() });
      if (!parsed.ok) return { ok: false, error: describeProblems(parsed.problems).join('; ') };
      const what = nrs !== undefined ? `NRS ${nrs}` : `PDI ${pdi}`;
      const patient = store.getPatient(patientId);
      const why = outsideTrial(parsed.entry, { start: patient?.trialStart ?? null, end: patient?.trialEnd ?? null });
      if (why && !confirmed) {
        const trial = `${patient?.trialStart?.text ?? '…'} to ${patient?.trialEnd?.text ?? '…'}`;
        return {
          ok: false,
          error: `${what} at ${at} would be a ${describeOutsideReason(why)} (trial ${trial}) and take no part in the verdict`,
          outsideTrial: `${what} at ${at} is a ${describeOutsideReason(why)} (trial ${trial}): it would take no part in the verdict. Store it anyway? y yes · n/Esc no`,
        };
      }
      try {
        const stored = store.add(patientId, parsed.entry, 'bedside');
        return { ok: true, text: `saved ${what} (${phase}) at ${at} as entry ${stored.id}${why ? '; outside the trial, not counted in the verdict' : ''}` };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    },
  };
}

/** Opens the store for the UI; a store that cannot open becomes a reason shown on the diary screen. */
export function openStoreDiary(patientId: string, dataDir?: string): { diary: UiDiary; close(): void } | { error: string } {
  try {
    const store = DiaryStore.open(dataDir !== undefined ? { dataDir } : {});
    return { diary: storeDiary(store, patientId), close: () => store.close() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
