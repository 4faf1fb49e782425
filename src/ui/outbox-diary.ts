import type { DiaryOutbox } from '../diary/diary-outbox.js';
import type { DiaryChartView } from './diary-chart.js';
import { type TrialDates, diaryChart, outsideTrialCheck, quickEntry } from './diary-adapter.js';
import type { DiaryAddResult, UiDiary } from './ui-ports.js';

export const waitingText = (n: number) => `${n} entries waiting to be sent`;

const UNREACHABLE =
  'The diary server cannot be reached; entries typed here are kept on this station and sent when it is back.';

/**
 * The diary screen when the diary lives on a server: entries go through the station's outbox
 * (src/diary/diary-outbox.ts), so typing goes on while the server is away; the screen says how many
 * entries wait ("N entries waiting to be sent") and every chart refresh (the screen polls) sends them.
 * An entry outside the trial dates is asked about first, as on the SQLite path (issue 14): against the
 * server's trial dates, or while it is away the last ones this station read from it.
 */
export function outboxDiary(outbox: DiaryOutbox, patientId: string, now: () => Date = () => new Date()): UiDiary {
  let last: DiaryChartView | undefined;
  /** The patient's trial dates as last read from the server (undefined: never reached yet). */
  let trial: TrialDates | undefined;
  const readTrial = async (): Promise<TrialDates | undefined> => {
    try {
      const patient = await (await outbox.server()).diary.getPatient(patientId);
      trial = { trialStart: patient?.trialStart ?? null, trialEnd: patient?.trialEnd ?? null };
    } catch {
      // the server is away: keep the dates read last
    }
    return trial;
  };
  const chart = async (): Promise<DiaryChartView> => {
    const flushed = await outbox.flush();
    try {
      last = await diaryChart((await outbox.server()).diary, patientId);
      await readTrial(); // so the question can still be asked while the server is away
      return { ...last, waiting: flushed.waiting };
    } catch {
      const base = last ?? {
        patientId,
        points: [],
        baselineNrs: null,
        responderCeiling: null,
        window: null,
        verdict: null,
        reasons: [],
      };
      return { ...base, waiting: outbox.waiting(), ...(last ? {} : { unavailable: UNREACHABLE }) };
    }
  };
  return {
    chart,
    async add(fields): Promise<DiaryAddResult> {
      const q = quickEntry(now, fields);
      if (!q.ok) return q;
      const outside = outsideTrialCheck(q, await readTrial(), fields.outsideTrial);
      if (outside.ask) return outside.ask;
      const uuid = outbox.enqueue(patientId, q.entry);
      const flushed = await outbox.flush();
      const refused = flushed.refused.find((r) => r.uuid === uuid);
      if (refused) return { ok: false, error: refused.reason };
      const sent = flushed.sent.find((s) => s.uuid === uuid);
      if (sent)
        return {
          ok: true,
          text: `saved ${q.what} as entry ${sent.entry.id}${outside.note}${flushed.waiting ? `; ${waitingText(flushed.waiting)}` : ''}`,
        };
      return {
        ok: true,
        text: `kept ${q.what} on this station (server unreachable)${outside.note}: ${waitingText(flushed.waiting)}`,
      };
    },
  };
}
