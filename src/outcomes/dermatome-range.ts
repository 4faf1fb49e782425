const REGIONS = [
  { letter: 'C', count: 8 },
  { letter: 'T', count: 12 },
  { letter: 'L', count: 5 },
  { letter: 'S', count: 5 },
] as const;

/** Every spinal dermatome in cranio-caudal order: C1 … C8, T1 … T12, L1 … L5, S1 … S5. */
export const DERMATOMES: readonly string[] = REGIONS.flatMap((r) =>
  Array.from({ length: r.count }, (_, i) => `${r.letter}${i + 1}`),
);

/**
 * Pain location as a contiguous dermatome range, written as in the paper's Table 1: `T9`, `T7–9`,
 * `T8–T12`, with a hyphen or an en dash; a range may cross regions (`C8–T2`). The count of
 * dermatomes is derived from the range, never entered.
 */
export interface DermatomeRange {
  /** Normalised text, en dash and both ends spelled out: `T7–T9`, or `T9` for one level. */
  text: string;
  first: string;
  last: string;
  /** Number of dermatomes covered, first and last included. */
  count: number;
  /** The levels covered, in order. */
  levels: string[];
}

export type DermatomeParse = { ok: true; range: DermatomeRange } | { ok: false; reason: string };

const PATTERN = /^([CTLS])(\d{1,2})(?:\s*[-–—]\s*([CTLS])?(\d{1,2}))?$/;

export function parseDermatomeRange(input: string): DermatomeParse {
  const text = input.trim().toUpperCase();
  const m = PATTERN.exec(text);
  if (!m) {
    return {
      ok: false,
      reason: `'${input}' is not a dermatome range; write e.g. T9, T7–9 or T8–T12 (C1–C8, T1–T12, L1–L5, S1–S5)`,
    };
  }
  const first = `${m[1]}${Number(m[2])}`;
  const last = m[4] === undefined ? first : `${m[3] ?? m[1]}${Number(m[4])}`;
  const i = DERMATOMES.indexOf(first);
  const j = DERMATOMES.indexOf(last);
  if (i < 0) return { ok: false, reason: `'${first}' is not a spinal dermatome (C1–C8, T1–T12, L1–L5, S1–S5)` };
  if (j < 0) return { ok: false, reason: `'${last}' is not a spinal dermatome (C1–C8, T1–T12, L1–L5, S1–S5)` };
  if (j < i)
    return { ok: false, reason: `range '${input}' runs upwards; write the cranial level first (${last}–${first})` };
  const levels = DERMATOMES.slice(i, j + 1);
  return { ok: true, range: { text: i === j ? first : `${first}–${last}`, first, last, count: levels.length, levels } };
}
