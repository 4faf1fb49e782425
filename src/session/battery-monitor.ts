import { notice, type Notice } from './notice.js';

/**
 * H15: the generator's battery, as the person should see it. Pure: readings (reported %, output
 * state, boot id, time) in, an estimate and warnings out.
 *
 * - The shown % never rises by itself: it is the lowest % reported since the last reset. A gauge
 *   that bounces back (load removed, rounding) must not undo a warning. The only reset is a new
 *   source (another boot id, i.e. the generator restarted or was replaced: a trial stimulator's
 *   battery is changed with it off); a charger without a restart is not believed.
 * - The drain rate is measured while output is on, between the moments the shown % steps down (at a
 *   step the true charge sits on the boundary, so whole-percent readings give an exact rate). The
 *   faster of the recent average and the last step is used: an increase is believed at once, a
 *   decrease slowly. Time with output off, and intervals where it was switched, count as no on-time
 *   (which can only overstate the rate: the safe side).
 * - Warnings, each once per crossing, as notices {kind:'warn', field:'battery'}: at `lowPct`, at
 *   `veryLowPct`, and when the output time left falls to `marginMs`. The generator's own
 *   `battery-low` / `battery-empty` faults also count as crossing `lowPct` / `veryLowPct`, so a
 *   warning never comes later than the generator's. The time warning re-arms only once the time
 *   left has risen above `marginMs × TIME_REARM` (a lower amplitude), so it does not flicker.
 */

export interface BatteryConfig {
  lowPct: number;
  veryLowPct: number;
  /** Warn when the estimated output time left falls to this (ms). */
  marginMs: number;
}

export const DEFAULT_BATTERY_CONFIG: BatteryConfig = { lowPct: 30, veryLowPct: 15, marginMs: 2 * 60 * 60 * 1000 };
export const TIME_REARM = 1.25;
/** Step marks kept for the average rate. */
const MARKS = 6;

export interface BatteryReading {
  atMs: number;
  pct: number;
  output: 'on' | 'off';
  /** The generator's boot id (or anything naming this battery); a different one resets the monitor. */
  source: string | null;
  faults?: readonly string[];
}

/** A step down of the shown %, at this much accumulated on-time. */
interface Mark {
  onMs: number;
  pct: number;
}

export interface BatteryMonitor {
  source: string | null;
  /** The shown estimate (%), never above an earlier one since the last reset; null before a reading. */
  pct: number | null;
  /** The generator's last reported %. */
  reportedPct: number | null;
  last: { atMs: number; output: 'on' | 'off' } | null;
  /** Output-on time seen since the reset (ms). */
  onMs: number;
  marks: Mark[];
  /** Drain while output is on, % per hour; null until two steps were seen with output on. */
  drainPctPerH: number | null;
  /** Output time left at the present drain (ms); null while the drain is unknown. */
  remainingMs: number | null;
  warned: { low: boolean; veryLow: boolean; time: boolean };
  /** The warnings the last reading gave (for the audit log). */
  lastWarnings: Notice[];
}

export const initialBatteryMonitor = (): BatteryMonitor => ({
  source: null,
  pct: null,
  reportedPct: null,
  last: null,
  onMs: 0,
  marks: [],
  drainPctPerH: null,
  remainingMs: null,
  warned: { low: false, veryLow: false, time: false },
  lastWarnings: [],
});

const HOUR = 3_600_000;

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min`;
}

export function observeBattery(
  prev: BatteryMonitor,
  r: BatteryReading,
  config: BatteryConfig = DEFAULT_BATTERY_CONFIG,
): { monitor: BatteryMonitor; notices: Notice[] } {
  const m = prev.source !== r.source || prev.pct === null ? { ...initialBatteryMonitor(), source: r.source } : prev;
  const last = m.last;
  const dt = last ? Math.max(0, r.atMs - last.atMs) : 0;
  const onMs = m.onMs + (last?.output === 'on' && r.output === 'on' ? dt : 0);
  const pct = m.pct === null ? r.pct : Math.min(m.pct, r.pct);
  let marks = m.marks;
  // A step down while output was on at either end: the charge is at the new whole percent now.
  if (m.pct !== null && pct < m.pct && (last?.output === 'on' || r.output === 'on'))
    marks = [...marks, { onMs, pct }].slice(-MARKS);
  const drainPctPerH = drainOf(marks);
  const lastMark = marks[marks.length - 1];
  const remainingMs =
    drainPctPerH === null || lastMark === undefined
      ? null
      : Math.max(
          0,
          Math.min((lastMark.pct / drainPctPerH) * HOUR - (onMs - lastMark.onMs), (pct / drainPctPerH) * HOUR),
        );

  const faults = r.faults ?? [];
  const warned = { ...m.warned };
  const notices: Notice[] = [];
  const low = pct <= config.lowPct || faults.includes('battery-low') || faults.includes('battery-empty');
  const veryLow = pct <= config.veryLowPct || faults.includes('battery-empty');
  if (low && !warned.low) {
    warned.low = true;
    notices.push(
      notice(
        'warn',
        'battery',
        'low',
        pct,
        `battery low: ${pct}% left (warning at ${config.lowPct}%); plan a recharge or battery change`,
      ),
    );
  }
  if (veryLow && !warned.veryLow) {
    warned.veryLow = true;
    notices.push(
      notice(
        'warn',
        'battery',
        'very-low',
        pct,
        `battery very low: ${pct}% left (warning at ${config.veryLowPct}%); output will stop when it is empty`,
      ),
    );
  }
  if (remainingMs !== null && remainingMs <= config.marginMs && !warned.time) {
    warned.time = true;
    notices.push(
      notice(
        'warn',
        'battery',
        'time-left',
        pct,
        `battery: about ${formatDuration(remainingMs)} of output left at the present drain (warning at ${formatDuration(config.marginMs)})`,
      ),
    );
  } else if (remainingMs !== null && remainingMs > config.marginMs * TIME_REARM) warned.time = false;

  return {
    monitor: {
      source: r.source,
      pct,
      reportedPct: r.pct,
      last: { atMs: Math.max(r.atMs, last?.atMs ?? r.atMs), output: r.output },
      onMs,
      marks,
      drainPctPerH,
      remainingMs,
      warned,
      lastWarnings: notices,
    },
    notices,
  };
}

/** % per hour of output: the faster of the average over the kept steps and the last step. */
function drainOf(marks: readonly Mark[]): number | null {
  const rate = (a: Mark, b: Mark) => (b.onMs > a.onMs ? ((a.pct - b.pct) / (b.onMs - a.onMs)) * HOUR : null);
  if (marks.length < 2) return null;
  const average = rate(marks[0]!, marks[marks.length - 1]!);
  const latest = rate(marks[marks.length - 2]!, marks[marks.length - 1]!);
  const rates = [average, latest].filter((x): x is number => x !== null);
  return rates.length ? Math.max(...rates) : null;
}
