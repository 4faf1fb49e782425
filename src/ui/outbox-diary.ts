/**
 * The diary screen when the diary lives on a server: entries go through the station's outbox
 * (src/diary/diary-outbox.ts), so typing goes on while the server is away; the screen says how many
 * entries wait ("N entries waiting to be sent") and every chart refresh (the screen polls) sends them.
 */
import type { DiaryOutbox } from '../diary/diary-outbox.js';
import type { DiaryChartView } from './diary-chart.js';
import { diaryChart, quickEntry } from './diary-adapter.js';
import type { DiaryAddResult, UiDiary } from './ui-ports.js';

export const waitingText = (n: number) => `${n} entries waiting to be sent`;

const UNREACHABLE =
  'The diary server cannot be reached; entries typed here are kept on this station and sent when it is back.';

export function outboxDiary(outbox: DiaryOutbox, patientId: string, now: () => Date = () => new Date()): UiDiary {
  let last: DiaryChartView | undefined;
  const chart = async (): Promise<DiaryChartView> => {
    const flushed = await outbox.flush();
    try {
      last = await diaryChart((await outbox.server()).diary, patientId);
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
      const uuid = outbox.enqueue(patientId, q.entry);
      const flushed = await outbox.flush();
      const refused = flushed.refused.find((r) => r.uuid === uuid);
      if (refused) return { ok: false, error: refused.reason };
      const sent = flushed.sent.find((s) => s.uuid === uuid);
      if (sent)
        return {
          ok: true,
          text: `saved ${q.what} as entry ${sent.entry.id}${flushed.waiting ? `; ${waitingText(flushed.waiting)}` : ''}`,
        };
      return { ok: true, text: `kept ${q.what} on this station (server unreachable): ${waitingText(flushed.waiting)}` };
    },
  };
}
