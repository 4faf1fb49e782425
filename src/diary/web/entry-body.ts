import { z } from 'zod';
import { type DiaryEntry, type Phase, describeProblems, parseEntry } from '../entry.js';
import { type Instant, InstantError, parseInstant } from '../instant.js';

/** How far back a patient may date an entry, measured from when it was made on the phone. */
export const MAX_BACKDATE_MS = 24 * 3600_000;
/** Phone clocks drift: a described time this far ahead of the server is still "now". */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** An entry kept offline on the phone longer than this is refused rather than stored as a surprise. */
export const MAX_QUEUE_AGE_MS = 7 * 24 * 3600_000;

const score = z.int().min(0).max(10);

export const entryBodySchema = z.strictObject({
  /** Made on the phone when the entry is created; a retried send carries the same one. */
  id: z.uuid(),
  /** The time the entry describes (ISO 8601 with offset). */
  at: z.string().max(40),
  /** When the patient made the entry on the phone (ISO 8601 with offset). */
  madeAt: z.string().max(40),
  nrs: score.nullable().optional(),
  pdiDomains: z.array(score).length(7).nullable().optional(),
  activity: z.enum(['improved', 'not-improved']).nullable().optional(),
  note: z.string().max(4000).nullable().optional(),
});

/**
 * The body of `POST /api/entries` from the patient's phone: its shape checked with zod, then every
 * value through the same `parseEntry` rules as `scs diary add` (NRS 0–10, PDI domains 0–10, note length
 * and control characters, ISO 8601 times with an offset). Pure: the clock and trial start come in.
 */
export type EntryBody = z.infer<typeof entryBodySchema>;

export type BodyResult = { ok: true; id: string; entry: DiaryEntry } | { ok: false; problems: string[] };

/** Validates `raw` against the schema and the diary's rules; `receivedMs` is the server's clock. */
export function entryFromBody(raw: unknown, receivedMs: number, trialStart: Instant | null): BodyResult {
  const parsed = entryBodySchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: [z.prettifyError(parsed.error)] };
  const body = parsed.data;
  const times = timeProblems(body, receivedMs);
  if (times.length) return { ok: false, problems: times };
  const at = parseInstant(body.at);
  const phase: Phase = trialStart !== null && at.ms < trialStart.ms ? 'baseline' : 'trial';
  const result = parseEntry({
    timestamp: body.at,
    phase,
    nrs: body.nrs?.toString(),
    pdi: body.pdiDomains ? body.pdiDomains.join(';') : undefined,
    activity: body.activity ?? undefined,
    note: body.note ?? undefined,
  });
  if (!result.ok) return { ok: false, problems: describeProblems(result.problems) };
  return { ok: true, id: body.id.toLowerCase(), entry: result.entry };
}

function timeProblems(body: EntryBody, receivedMs: number): string[] {
  let at: Instant;
  let made: Instant;
  try {
    at = parseInstant(body.at);
    made = parseInstant(body.madeAt);
  } catch (err) {
    if (err instanceof InstantError) return [err.message];
    throw err;
  }
  const problems: string[] = [];
  if (made.ms > receivedMs + CLOCK_SKEW_MS) problems.push('madeAt is in the future; check the phone clock');
  if (made.ms < receivedMs - MAX_QUEUE_AGE_MS)
    problems.push('the entry was made more than 7 days ago; enter it with the clinic');
  if (at.ms > made.ms + CLOCK_SKEW_MS)
    problems.push('at is after the entry was made; an entry describes now or the past');
  if (at.ms < made.ms - MAX_BACKDATE_MS - CLOCK_SKEW_MS)
    problems.push('at is more than 24 h before the entry was made; pick a time within the last 24 h');
  return problems;
}
