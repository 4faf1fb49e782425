import { chartData } from '../diary/chart-data.js';
import { DiaryStore, type Patient, type StoredEntry } from '../diary/diary-store.js';
import type { StoreOptions } from '../store/sql-store.js';
import { openDatabase } from '../store/database.js';
import { resolveDatabaseUrl } from '../store/database-url.js';
import { DiaryOutbox } from '../diary/diary-outbox.js';
import { WebDiaryStore } from '../diary/web/web-diary-store.js';
import { outboxDiary } from './outbox-diary.js';
import { type DiaryEntry, describeProblems, parseEntry } from '../diary/entry.js';
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

/** The chart of the patient's diary as the diary core evaluates it (the UI never recomputes the criterion). */
export async function diaryChart(store: DiaryStore, patientId: string): Promise<DiaryChartView> {
  const patient = await store.getPatient(patientId);
  const entries = await store.current(patientId);
  const evaluation = evaluateTrial(entries, {
    trialStart: patient?.trialStart ?? null,
    trialEnd: patient?.trialEnd ?? null,
  });
  const data = chartData(entries, evaluation);
  return {
    patientId,
    points: data.points.map((p) => ({ tMs: p.ms, nrs: p.nrs, phase: p.phase, responds: p.responds })),
    baselineNrs: data.baseline,
    responderCeiling: data.baseline === null ? null : evaluation.pain.responderMaxNrs,
    window: data.window ? { startMs: data.window.startMs, endMs: data.window.endMs } : null,
    range: data.range,
    verdict: evaluation.verdict,
    reasons: evaluation.decisiveReasons,
    recent: [...entries]
      .sort((a, b) => b.id - a.id)
      .slice(0, RECENT_ENTRIES)
      .map((e) => ({ id: e.id, text: recentText(e), source: e.source })),
  };
}

type QuickEntry = Parameters<UiDiary['add']>[0];

/** A quick entry stamped "now" at the host's offset, checked by the diary's own parser. */
export function quickEntry(
  now: () => Date,
  { phase, nrs, pdi }: QuickEntry,
): { ok: true; entry: DiaryEntry; what: string; at: string } | { ok: false; error: string } {
  const at = instantFromDate(now()).text;
  const parsed = parseEntry({ timestamp: at, phase, nrs: nrs?.toString(), pdi: pdi?.toString() });
  if (!parsed.ok) return { ok: false, error: describeProblems(parsed.problems).join('; ') };
  return {
    ok: true,
    entry: parsed.entry,
    what: `${nrs !== undefined ? `NRS ${nrs}` : `PDI ${pdi}`} (${phase}) at ${at}`,
    at,
  };
}

/** The trial dates an entry is checked against (the diary's patient row). */
export type TrialDates = Pick<Patient, 'trialStart' | 'trialEnd'>;

/**
 * Issue 14 on the bedside: an entry outside the trial dates is stored only after the person said yes
 * (`confirmed`); until then `ask` is the refusal carrying the question. `note` marks a confirmed one.
 */
export function outsideTrialCheck(
  q: { entry: DiaryEntry; what: string; at: string },
  trial: TrialDates | undefined,
  confirmed: boolean | undefined,
): { ask?: DiaryAddResult; note: string } {
  const why = outsideTrial(q.entry, { start: trial?.trialStart ?? null, end: trial?.trialEnd ?? null });
  if (!why) return { note: '' };
  if (confirmed) return { note: '; outside the trial, not counted in the verdict' };
  const dates = `${trial?.trialStart?.text ?? '…'} to ${trial?.trialEnd?.text ?? '…'}`;
  const what = q.what.replace(/ \((baseline|trial)\) at .*/, '');
  return {
    note: '',
    ask: {
      ok: false,
      error: `${what} at ${q.at} would be a ${describeOutsideReason(why)} (trial ${dates}) and take no part in the verdict`,
      outsideTrial: `${what} at ${q.at} is a ${describeOutsideReason(why)} (trial ${dates}): it would take no part in the verdict. Store it anyway? y yes · n/Esc no`,
    },
  };
}

/** The diary screen's window onto the diary store: quick entries, and the chart. */
export function storeDiary(store: DiaryStore, patientId: string, now: () => Date = () => new Date()): UiDiary {
  return {
    chart: () => diaryChart(store, patientId),
    async add(fields): Promise<DiaryAddResult> {
      const q = quickEntry(now, fields);
      if (!q.ok) return q;
      const outside = outsideTrialCheck(q, await store.getPatient(patientId), fields.outsideTrial);
      if (outside.ask) return outside.ask;
      try {
        const stored = await store.add(patientId, q.entry, 'bedside');
        return { ok: true, text: `saved ${q.what} as entry ${stored.id}${outside.note}` };
      } catch (error) {
        return { ok: false, error: (error as Error).message };
      }
    },
  };
}

/** Opens the store for the UI; a store that cannot open becomes a reason shown on the diary screen. */
export async function openStoreDiary(
  patientId: string,
  options: StoreOptions = {},
): Promise<{ diary: UiDiary; close(): Promise<void> } | { error: string }> {
  try {
    if (resolveDatabaseUrl(options) !== undefined) {
      // On a server: through this station's outbox, so the bedside never waits on the network.
      const local = openDatabase({ dataDir: options.dataDir, env: options.env });
      const outbox = new DiaryOutbox(local, async () => WebDiaryStore.on(await DiaryStore.open(options)));
      return {
        diary: outboxDiary(outbox, patientId),
        close: async () => {
          await outbox.close();
          local.close();
        },
      };
    }
    const store = await DiaryStore.open(options);
    return { diary: storeDiary(store, patientId), close: () => store.close() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
