import type { DiaryEntry, Phase } from '../../src/diary/entry.js';
import { formatInstant, parseInstant } from '../../src/diary/instant.js';

/** A diary entry for tests: `at` is an ISO instant with offset. */
export function entry(at: string, phase: Phase, fields: Partial<Omit<DiaryEntry, 'at' | 'phase'>> = {}): DiaryEntry {
  return {
    at: parseInstant(at),
    recordedAt: null,
    phase,
    nrs: null,
    pdi: null,
    pdiDomains: null,
    activity: null,
    note: null,
    ...fields,
  };
}

export const H = 3_600_000;
export const T0 = Date.UTC(2024, 2, 29, 7, 0, 0); // 2024-03-29T08:00+01:00

/** Trial NRS at `hours` after T0 (written at +01:00 unless an offset in minutes is given). */
export function trialNrs(hours: number, nrs: number, offsetMinutes = 60): DiaryEntry {
  return entry(formatInstant(T0 + hours * H, offsetMinutes), 'trial', { nrs });
}

export function baselineNrs(...values: number[]): DiaryEntry[] {
  return values.map((nrs, i) => entry(formatInstant(T0 - (10 * 24 - i) * H, 60), 'baseline', { nrs }));
}

export const improved = (hours = 100): DiaryEntry =>
  entry(formatInstant(T0 + hours * H, 60), 'trial', { activity: 'improved' });
