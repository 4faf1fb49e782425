import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BATTERY_CONFIG,
  TIME_REARM,
  initialBatteryMonitor,
  observeBattery,
  type BatteryMonitor,
  type BatteryReading,
} from '../../src/session/battery-monitor.js';
import type { Notice } from '../../src/session/notice.js';

/** H15: the battery monitor's pure core: an estimate that never rises by itself, warnings once per crossing. */

const HOUR = 3_600_000;

function run(
  readings: BatteryReading[],
  config = DEFAULT_BATTERY_CONFIG,
): Array<{ monitor: BatteryMonitor; notices: Notice[] }> {
  let m = initialBatteryMonitor();
  return readings.map((r) => {
    const out = observeBattery(m, r, config);
    m = out.monitor;
    return out;
  });
}

const kinds = (ns: Notice[]) => ns.filter((n) => n.kind === 'warn' && n.field === 'battery').map((n) => n.requested);

/** Readings from one source: any %, rising or falling, output switched at random, faults at random. */
const readingsArb = fc
  .array(
    fc.record({
      gapMs: fc.integer({ min: 0, max: 2 * HOUR }),
      pct: fc.integer({ min: 0, max: 100 }),
      output: fc.constantFrom<'on' | 'off'>('on', 'off'),
      faults: fc.constantFrom<string[]>([], [], [], ['battery-low'], ['battery-empty']),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((xs) => {
    let t = 0;
    return xs.map((x): BatteryReading => ({
      atMs: (t += x.gapMs),
      pct: x.pct,
      output: x.output,
      source: 'b00t0001',
      faults: x.faults,
    }));
  });

describe('battery monitor (H15)', () => {
  it('property: the shown estimate never rises over readings from one source', () => {
    fc.assert(
      fc.property(readingsArb, (readings) => {
        const out = run(readings);
        for (let i = 1; i < out.length; i++) expect(out[i]!.monitor.pct!).toBeLessThanOrEqual(out[i - 1]!.monitor.pct!);
        for (let i = 0; i < out.length; i++)
          expect(out[i]!.monitor.pct).toBe(Math.min(...readings.slice(0, i + 1).map((r) => r.pct)));
      }),
      { numRuns: 300 },
    );
  });

  it('property: each threshold crossing gives exactly one warning, at the reading that crosses it', () => {
    fc.assert(
      fc.property(readingsArb, (readings) => {
        const out = run(readings);
        const { lowPct, veryLowPct } = DEFAULT_BATTERY_CONFIG;
        let shown = Infinity;
        const crossedAt = { low: -1, 'very-low': -1 };
        readings.forEach((r, i) => {
          shown = Math.min(shown, r.pct);
          const f = r.faults ?? [];
          if (crossedAt.low < 0 && (shown <= lowPct || f.includes('battery-low') || f.includes('battery-empty')))
            crossedAt.low = i;
          if (crossedAt['very-low'] < 0 && (shown <= veryLowPct || f.includes('battery-empty')))
            crossedAt['very-low'] = i;
        });
        for (const level of ['low', 'very-low'] as const) {
          const at = out.flatMap((o, i) => (kinds(o.notices).includes(level) ? [i] : []));
          expect(at, level).toEqual(crossedAt[level] < 0 ? [] : [crossedAt[level]]);
          expect(out.flatMap((o) => kinds(o.notices)).filter((k) => k === level)).toHaveLength(at.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: the time-left warning comes once per fall under the margin (re-armed only well above it)', () => {
    fc.assert(
      fc.property(readingsArb, (readings) => {
        const out = run(readings);
        const margin = DEFAULT_BATTERY_CONFIG.marginMs;
        let armed = true;
        out.forEach(({ monitor, notices }) => {
          const warned = kinds(notices).includes('time-left');
          const left = monitor.remainingMs;
          expect(warned, `left ${left}`).toBe(armed && left !== null && left <= margin);
          if (warned) armed = false;
          else if (left !== null && left > margin * TIME_REARM) armed = true;
        });
      }),
      { numRuns: 300 },
    );
  });

  it('measures the drain while output is on from the steps of the shown %, and the time left', () => {
    // 1 % every 10 min of output (6 %/h), read every minute, off for 5 hours in the middle.
    const readings: BatteryReading[] = [];
    let onMs = 0;
    for (let t = 0; t <= 10 * HOUR; t += 60_000) {
      const on = t < 3 * HOUR || t >= 8 * HOUR;
      readings.push({ atMs: t, pct: Math.ceil(80 - onMs / 600_000), output: on ? 'on' : 'off', source: 'b00t0001' });
      if (on) onMs += 60_000;
    }
    const out = run(readings);
    const last = out[out.length - 1]!.monitor;
    expect(last.drainPctPerH).toBeGreaterThan(5.5);
    expect(last.drainPctPerH).toBeLessThan(6.6);
    // Off for five hours: no drain, so the time left did not shrink then.
    const atOff = out[3 * 60 + 5]!.monitor.remainingMs!;
    const beforeOn = out[8 * 60 - 1]!.monitor.remainingMs!;
    expect(beforeOn).toBe(atOff);
    expect(last.remainingMs! / HOUR).toBeGreaterThan((last.pct! - 1) / 6.6);
    expect(last.remainingMs! / HOUR).toBeLessThan(last.pct! / 5.5);
  });

  it('believes a faster drain at once: the time left falls with the latest step', () => {
    const readings: BatteryReading[] = [];
    for (let i = 0; i <= 5; i++) readings.push({ atMs: i * HOUR, pct: 90 - i, output: 'on', source: 'b00t0001' });
    readings.push({ atMs: 5 * HOUR + 60_000, pct: 80, output: 'on', source: 'b00t0001' }); // 5 % in a minute
    const out = run(readings);
    expect(out[5]!.monitor.drainPctPerH).toBeCloseTo(1);
    expect(out[6]!.monitor.drainPctPerH).toBeCloseTo(300);
    expect(kinds(out[6]!.notices)).toEqual(['time-left']);
  });

  it('a reported rise is not shown; only a new boot id (another battery) resets the estimate and the warnings', () => {
    const out = run([
      { atMs: 0, pct: 40, output: 'on', source: 'b00t0001' },
      { atMs: 1000, pct: 29, output: 'on', source: 'b00t0001' },
      { atMs: 2000, pct: 35, output: 'off', source: 'b00t0001' },
      { atMs: 3000, pct: 95, output: 'off', source: 'b00t0002' },
      { atMs: 4000, pct: 30, output: 'on', source: 'b00t0002' },
    ]);
    expect(out.map((o) => o.monitor.pct)).toEqual([40, 29, 29, 95, 30]);
    expect(out.map((o) => kinds(o.notices))).toEqual([[], ['low'], [], [], ['low']]);
    expect(out[2]!.monitor.reportedPct).toBe(35);
  });

  it("counts the generator's own battery faults as crossings, whatever the thresholds", () => {
    const config = { ...DEFAULT_BATTERY_CONFIG, lowPct: 5, veryLowPct: 1 };
    const out = run(
      [
        { atMs: 0, pct: 50, output: 'on', source: 'x', faults: [] },
        { atMs: 1, pct: 19, output: 'on', source: 'x', faults: ['battery-low'] },
        { atMs: 2, pct: 0, output: 'off', source: 'x', faults: ['battery-empty'] },
      ],
      config,
    );
    expect(out.map((o) => kinds(o.notices))).toEqual([[], ['low'], ['very-low']]);
  });
});
