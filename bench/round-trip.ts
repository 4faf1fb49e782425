import { createPtyRig } from './lib/pty-rig.js';
import { measureRoundTripPair, sampleExchange } from './lib/round-trip-core.js';
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

/**
 * 1. Round trip: set program → ACK over a real pty (serialport client ↔ simulator on the master),
 * against the raw exchange of the same bytes over the same pty. Target: median ratio ≤ 1.5.
 */

export interface RoundTripResult {
  bench: 'round-trip';
  unit: 'ms';
  bytes: { request: number; reply: number };
  raw: Spread;
  /** Raw SET lines to the simulator: the round trip without the companion's link (to split the cost). */
  rawToSimulator: Spread;
  setProgram: Spread;
  ratio: { median: number; p99: number };
  target: { medianRatioMax: number; met: boolean };
}

export async function runRoundTrip(n = 1000): Promise<RoundTripResult> {
  const rig = createPtyRig({ telemetryHz: 0 });
  try {
    const { raw, rawToSimulator, setProgram } = await measureRoundTripPair(rig, n);
    const { request, reply } = sampleExchange();
    const r = spread(raw);
    const s = spread(setProgram);
    const medianRatio = ratio(s.median, r.median);
    return {
      bench: 'round-trip',
      unit: 'ms',
      bytes: { request: request.length, reply: reply.length },
      raw: roundSpread(r),
      rawToSimulator: roundSpread(spread(rawToSimulator)),
      setProgram: roundSpread(s),
      ratio: { median: medianRatio, p99: ratio(s.p99, r.p99) },
      target: { medianRatioMax: 1.5, met: medianRatio <= 1.5 },
    };
  } finally {
    rig.close();
  }
}

export const roundSpread = (s: Spread): Spread => ({
  n: s.n,
  median: round(s.median),
  p99: round(s.p99),
  min: round(s.min),
  max: round(s.max),
});

if (isMain(import.meta.url)) {
  const result = await runRoundTrip(intFlag(process.argv, 'n', 1000));
  printTable(`round trip over a real pty (${result.bytes.request} B request, ${result.bytes.reply} B reply), ms`, [
    ['', 'n', 'median', 'p99', 'min', 'max', 'median/raw'],
    ...[
      ['raw exchange of the same bytes (anchor)', result.raw],
      ['raw SET → simulator → ACK (no companion)', result.rawToSimulator],
      ['set program → ACK (companion link)', result.setProgram],
    ].map(([name, s]) => {
      const x = s as Spread;
      return [name as string, x.n, x.median, x.p99, x.min, x.max, ratio(x.median, result.raw.median)];
    }),
    ['ratio link / anchor', '', result.ratio.median, result.ratio.p99, '', '', ''],
  ]);
  printVerdicts([atMost('round-trip median ratio', result.ratio.median, 1.5)]);
  printJson(result);
  process.exit(0);
}
