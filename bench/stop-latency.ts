import { createPtyRig } from './lib/pty-rig.js';
import { measureRoundTripPair } from './lib/round-trip-core.js';
import { measureControllerStops, measureLinkStops } from './lib/stop-core.js';
import {
  atMost,
  intFlag,
  isMain,
  printJson,
  printTable,
  printVerdicts,
  ratio,
  round,
  spread,
  type Spread,
} from './lib/stats.js';
import { roundSpread } from './round-trip.js';

/**
 * 2. STOP latency: STOP intent → the generator model reports output off, while the simulator streams
 * telemetry at 50 Hz and a program change is in flight, over a real pty. Driven through the session
 * controller (what the UI's STOP key calls); the bare link.stop() is shown beside it. Anchor: the set
 * program round trip of bench 1, measured in this run. Target: controller STOP p99 ≤ round-trip median + 5 ms.
 */

export interface StopLatencyResult {
  bench: 'stop-latency';
  unit: 'ms';
  driver: 'session-controller';
  telemetryHz: number;
  roundTrip: Spread;
  controller: { toOutputOff: Spread; toConfirmed: Spread };
  link: { toOutputOff: Spread; toConfirmed: Spread };
  ratio: { controllerMedianToRoundTrip: number; controllerP99ToRoundTrip: number };
  target: { p99MaxMs: number; met: boolean };
}

export const TELEMETRY_HZ = 50;

export async function runStopLatency(n = 1000, roundTrips = 1000): Promise<StopLatencyResult> {
  const quiet = createPtyRig({ telemetryHz: 0 });
  const busy = createPtyRig({ telemetryHz: TELEMETRY_HZ });
  try {
    const { setProgram } = await measureRoundTripPair(quiet, roundTrips);
    await measureControllerStops(busy, Math.min(50, n)); // warm-up
    const controller = await measureControllerStops(busy, n);
    const link = await measureLinkStops(busy, n);
    const rt = spread(setProgram);
    const off = spread(controller.toOutputOff);
    const limit = rt.median + 5;
    return {
      bench: 'stop-latency',
      unit: 'ms',
      driver: 'session-controller',
      telemetryHz: TELEMETRY_HZ,
      roundTrip: roundSpread(rt),
      controller: { toOutputOff: roundSpread(off), toConfirmed: roundSpread(spread(controller.toConfirmed)) },
      link: { toOutputOff: roundSpread(spread(link.toOutputOff)), toConfirmed: roundSpread(spread(link.toConfirmed)) },
      ratio: {
        controllerMedianToRoundTrip: ratio(off.median, rt.median),
        controllerP99ToRoundTrip: ratio(off.p99, rt.median),
      },
      target: { p99MaxMs: round(limit), met: off.p99 <= limit },
    };
  } finally {
    quiet.close();
    busy.close();
  }
}

export function stopRows(r: {
  roundTrip: Spread;
  controller: { toOutputOff: Spread; toConfirmed: Spread };
  link: { toOutputOff: Spread; toConfirmed: Spread };
}) {
  const row = (name: string, s: Spread) => [
    name,
    s.n,
    s.median,
    s.p99,
    s.max,
    ratio(s.median, r.roundTrip.median),
    ratio(s.p99, r.roundTrip.median),
  ];
  return [
    ['', 'n', 'median', 'p99', 'max', 'median/RT', 'p99/RT'],
    row('set program round trip (anchor)', r.roundTrip),
    row('controller STOP → model off', r.controller.toOutputOff),
    row('controller STOP → confirmed', r.controller.toConfirmed),
    row('link.stop() → model off', r.link.toOutputOff),
    row('link.stop() → confirmed', r.link.toConfirmed),
  ];
}

if (isMain(import.meta.url)) {
  const result = await runStopLatency(intFlag(process.argv, 'n', 1000), intFlag(process.argv, 'round-trips', 1000));
  printTable(
    `STOP latency with ${result.telemetryHz} Hz telemetry and a program change in flight, ms (RT = round-trip median)`,
    stopRows(result),
  );
  printVerdicts([
    atMost('controller STOP p99 (ms) vs round trip + 5 ms', result.controller.toOutputOff.p99, result.target.p99MaxMs),
  ]);
  printJson(result);
  process.exit(0);
}
