import type { DiaryEntry } from '../src/diary/entry.js';
import { formatInstant, parseInstant } from '../src/diary/instant.js';
import { evaluateTrial } from '../src/diary/trial-criterion.js';
import {
  atMost,
  hasFlag,
  isMain,
  medianTime,
  printJson,
  printTable,
  printVerdicts,
  ratio,
  round,
} from './lib/stats.js';

/**
 * 4. Trial criterion (30 %/48 h, activity, data quality) at 10^3…10^6 diary entries: time per
 * evaluation and growth per decade (linear ≈ 10). Beside it, in the same run, the floor any
 * evaluation pays: copying and sorting the entries by time. Targets: 10^6 ≤ 1 s, growth ≤ 12.
 */

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1, 7, 0, 0);

/** One entry an hour: a baseline week at NRS 8, then the trial at NRS 3 with a flare every 37th entry. */
export function syntheticDiary(n: number): DiaryEntry[] {
  const baseline = Math.min(168, Math.max(3, Math.floor(n / 10)));
  const entries: DiaryEntry[] = [];
  for (let i = 0; i < n; i++) {
    const ms = T0 + i * HOUR;
    const offset = i % 500 < 250 ? 60 : 120; // zone changes now and then (DST-like)
    const phase = i < baseline ? 'baseline' : 'trial';
    const activityRow = phase === 'trial' && i % 24 === 0;
    entries.push({
      at: parseInstant(formatInstant(ms, offset)),
      recordedAt: parseInstant(formatInstant(ms + (i % 97 === 0 ? 30 * HOUR : 20 * 60_000), offset)),
      phase,
      nrs: activityRow ? null : phase === 'baseline' ? 8 : i % 37 === 0 ? 8 : 3,
      pdi: activityRow ? 30 : i === 0 ? 50 : null,
      pdiDomains: null,
      activity: activityRow && i % 48 === 0 ? 'improved' : null,
      note: null,
    });
  }
  return entries;
}

export interface DiaryRow {
  entries: number;
  reps: number;
  /** Median ms of evaluateTrial. */
  evaluateMs: number;
  /** Median ms of copy + sort by instant (the floor). */
  sortMs: number;
  ratioToSort: number;
  /** evaluateMs / evaluateMs of the previous decade. */
  growth: number | null;
  verdict: string;
}

export interface DiaryResult {
  bench: 'diary';
  unit: 'ms';
  rows: DiaryRow[];
  target: {
    largestEntries: number;
    largestMs: number;
    maxMs: 1000;
    maxGrowth: 12;
    worstGrowth: number | null;
    met: boolean;
  };
}

export function runDiary(sizes = [1e3, 1e4, 1e5, 1e6]): DiaryResult {
  const rows: DiaryRow[] = [];
  evaluateTrial(syntheticDiary(2000)); // warm the JIT on a small diary first
  for (const n of sizes) {
    const entries = syntheticDiary(n);
    const reps = n >= 1e6 ? 3 : n >= 1e5 ? 5 : n >= 1e4 ? 11 : 21;
    let verdict = '';
    const evaluateMs = medianTime(reps, () => (verdict = evaluateTrial(entries).verdict));
    const sortMs = medianTime(reps, () => [...entries].sort((a, b) => a.at.ms - b.at.ms));
    const previous = rows[rows.length - 1];
    rows.push({
      entries: n,
      reps,
      evaluateMs: round(evaluateMs),
      sortMs: round(sortMs),
      ratioToSort: ratio(evaluateMs, sortMs),
      growth: previous ? ratio(evaluateMs, previous.evaluateMs) : null,
      verdict,
    });
  }
  const last = rows[rows.length - 1]!;
  const growths = rows.map((r) => r.growth).filter((g): g is number => g !== null);
  const worstGrowth = growths.length ? Math.max(...growths) : null;
  return {
    bench: 'diary',
    unit: 'ms',
    rows,
    target: {
      largestEntries: last.entries,
      largestMs: last.evaluateMs,
      maxMs: 1000,
      maxGrowth: 12,
      worstGrowth,
      met: last.evaluateMs <= 1000 && (worstGrowth === null || worstGrowth <= 12),
    },
  };
}

if (isMain(import.meta.url)) {
  const r = runDiary(hasFlag(process.argv, 'quick') ? [1e3, 1e4] : undefined);
  printTable('trial criterion over a synthetic diary (one entry an hour), ms (median of reps)', [
    ['entries', 'reps', 'evaluate', 'sort (floor)', 'evaluate/sort', 'growth/decade', 'verdict'],
    ...r.rows.map((x) => [
      String(x.entries),
      x.reps,
      x.evaluateMs,
      x.sortMs,
      x.ratioToSort,
      x.growth ?? '—',
      x.verdict,
    ]),
  ]);
  printVerdicts([
    atMost(`evaluate ${r.target.largestEntries} entries (ms)`, r.target.largestMs, 1000),
    ...(r.target.worstGrowth === null ? [] : [atMost('worst growth per decade', r.target.worstGrowth, 12)]),
  ]);
  printJson(r);
}
