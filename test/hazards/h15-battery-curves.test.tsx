import fc from 'fast-check';
import React from 'react';
import { describe, expect, it } from 'vitest';
import { GeneratorModel, type GeneratorConfig } from '../../firmware-sim/generator-model.js';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { DEFAULT_BATTERY_CONFIG, initialBatteryMonitor, observeBattery } from '../../src/session/battery-monitor.js';
import { StatusLine } from '../../src/ui/components/status-line.js';
import { toScreenView } from '../../src/ui/session-view.js';
import { harness, measured } from '../session/harness.js';
import { renderPlain } from '../ui/render.js';

/**
 * H15 (battery runs out unnoticed): simulated battery curves. The firmware simulator's generator
 * drains its battery per second of output; it is run forward in simulated time (no waiting) and read
 * the way telemetry reads it. The companion's warnings must come before the generator's own
 * battery-low fault and before an empty battery stops the output.
 */

interface Curve {
  lowAt: number | null;
  emptyAt: number | null;
  warnedAt: Record<string, number>;
  shown: number[];
}

/** Committed therapy on the model; the battery read every `sampleMs`; output off during `offSpans`. */
function simulate(
  config: Partial<GeneratorConfig>,
  sampleMs: number,
  offSpans: Array<[number, number]> = [],
  limitMs = 200 * 3_600_000,
): Curve {
  const model = new GeneratorModel({ newBootId: () => 'b00t0001', ...config });
  let seq = 0;
  let session: { sess?: string } = {};
  // SET/OUTPUT in this session, computed from the revision now (PROTOCOL.md §3).
  const send = (body: { type: string } & Record<string, unknown>, t: number) => {
    const stamp = body.type === 'SET' || body.type === 'OUTPUT' ? { ...session, rev: model.state.programRev } : {};
    return model.handle({ seq: ++seq, ...stamp, ...body } as Parameters<GeneratorModel['handle']>[0], t);
  };
  const hello = send({ type: 'HELLO', proto: PROTOCOL_VERSION, cid: 'ba77e001' }, 0);
  session = { sess: hello.type === 'ACK' && hello.of === 'HELLO' ? hello.session : undefined };
  send({ type: 'SET', rateHz: 50, pulseWidthUs: 200, amplitudeUa: 1000, contacts: '+-000000' }, 0);
  send({ type: 'OUTPUT', on: true, mode: 'therapy' }, 0);
  let monitor = initialBatteryMonitor();
  const curve: Curve = { lowAt: null, emptyAt: null, warnedAt: {}, shown: [] };
  for (let t = sampleMs; t <= limitMs && curve.emptyAt === null; t += sampleMs) {
    const off = offSpans.some(([a, b]) => t >= a && t < b);
    if (off && model.state.output === 'on') send({ type: 'OUTPUT', on: false, mode: 'therapy' }, t);
    if (!off && model.state.output === 'off' && model.state.batteryPct > 0)
      send({ type: 'OUTPUT', on: true, mode: 'therapy' }, t);
    for (const e of model.tick(t)) {
      if (e.kind === 'battery' && e.reason === 'low') curve.lowAt ??= t;
      if (e.kind === 'stopped' && e.reason === 'battery-empty') curve.emptyAt ??= t;
    }
    const s = model.state;
    const r = observeBattery(monitor, {
      atMs: t,
      pct: s.batteryPct,
      output: s.output,
      source: model.bootId,
      faults: s.faults,
    });
    monitor = r.monitor;
    curve.shown.push(monitor.pct!);
    for (const n of r.notices) curve.warnedAt[String(n.requested)] ??= t;
  }
  return curve;
}

describe('H15: simulated battery curves against the firmware simulator', () => {
  it("property: warnings come before the generator's battery-low fault and before battery-empty stops output", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 35, max: 100 }),
        fc.double({ min: 0.001, max: 0.05, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 10 })), { maxLength: 3 }),
        (startPct, drainPctPerS, sampleS, offs) => {
          const hour = 3_600_000;
          const offSpans = offs.map(([at, len]): [number, number] => [at * hour, (at + len) * hour]);
          const c = simulate({ batteryPct: startPct, batteryDrainPctPerS: drainPctPerS }, sampleS * 1000, offSpans);
          expect(c.lowAt, 'the generator reached battery-low').not.toBeNull();
          expect(c.emptyAt, 'the generator ran empty').not.toBeNull();
          expect(c.warnedAt.low, 'low warning').toBeLessThan(c.lowAt!);
          expect(c.warnedAt['very-low'], 'very-low warning').toBeLessThan(c.emptyAt!);
          expect(c.warnedAt['time-left'], 'time-left warning').toBeLessThan(c.emptyAt!);
          for (let i = 1; i < c.shown.length; i++) expect(c.shown[i]!).toBeLessThanOrEqual(c.shown[i - 1]!);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("at the simulator's default drain the time-left warning leaves the margin: 2 h of output or more", () => {
    const c = simulate({ batteryPct: 100 }, 10_000);
    expect(c.emptyAt! - c.warnedAt['time-left']!).toBeGreaterThanOrEqual(DEFAULT_BATTERY_CONFIG.marginMs - 60_000);
    expect(c.warnedAt.low!).toBeLessThan(c.lowAt!);
  });

  it('in a session: telemetry drives the estimate and warnings, a reported rise is not shown, the status line says it', async () => {
    const h = await harness({ config: { batteryPct: 33, batteryDrainPctPerS: 0.01 } });
    await measured(h, 4, 4);
    await h.do({ type: 'COMMIT' }); // committed therapy: only the battery stops it
    const tick = async (ms: number) => {
      h.clock.now += ms;
      h.link.advance(ms);
      h.link.emitTelemetry(h.link.model.state);
      await h.flush();
      await h.c.settled();
    };
    for (let i = 0; i < 72; i++) await tick(10_000); // 12 min at 0.6 %/min, read every 10 s
    const v = h.c.view();
    const warns = v.notices.filter((n) => n.kind === 'warn' && n.field === 'battery').map((n) => n.requested);
    expect(warns.sort()).toEqual(['low', 'time-left']); // 36 %/h from 33 %: under 2 h left before 30 %
    expect(v.battery!.pct).toBe(h.link.model.state.batteryPct);
    // Measured between steps of the shown %: exact up to the 10 s reading interval, never understated much.
    expect(v.battery!.drainPctPerH).toBeGreaterThan(34);
    expect(v.battery!.drainPctPerH).toBeLessThan(42);
    expect(v.battery!.level).toBe('low');
    // Given from telemetry, the warnings are in the audit log too.
    expect(
      h.audit
        .filter((a) => a.kind === 'battery')
        .flatMap((a) => (a.notices as Array<{ requested: string }>).map((n) => n.requested))
        .sort(),
    ).toEqual(['low', 'time-left']);
    // A gauge that bounces back up is not believed: the shown estimate stays.
    const shown = v.battery!.pct;
    h.link.emitTelemetry({ ...h.link.model.state, batteryPct: 90 });
    await h.flush();
    expect(h.c.view().battery!.pct).toBe(shown);
    expect(h.c.view().battery!.reportedPct).toBe(90);
    const frame =
      renderPlain(
        <StatusLine view={toScreenView(h.c.view(), { source: 'simulator', nowMs: h.clock.now })} />,
      ).lastFrame() ?? '';
    expect(frame).toMatch(new RegExp(`Batt: ${shown}% \\(~(\\d+ h )?\\d+ min of output left\\) LOW`));
  });
});
