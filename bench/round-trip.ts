import { createPtyRig } from './lib/pty-rig.js';
import { measureRoundTripPair, sampleExchange } from './lib/round-trip-core.js';
import { atMost, intFlag, isMain, printJson, printTable, printVerdicts, ratio, round, spread, type Spread } from './lib/stats.js';

/**
 * 1. Round trip: set program → ACK over a real pty (serialport client ↔ simulator on the master),
 * against the raw exchange of the same bytes over the same pty. Target: median ratio ≤ 1.5.
 */

export interface RoundTripResult {
  bench: 'round-trip';
  unit: 'ms';
  bytes: { request: number; reply: number };
  raw: Spread;
  setProgram: Spread;
  ratio: { median: number; p99: number };
  target: { medianRatioMax: number; met: boolean };
}

export async function runRoundTrip(n = 1000): Promise<RoundTripResult> {
  const rig = createPtyRig({ telemetryHz: 0 });
  try {
    const { raw, setProgram } = await measureRoundTripPair(rig, n);
    const { request, reply } = sampleExchange();
    const r = spread(raw);
    const s = spread(setProgram);
    const medianRatio = ratio(s.median, r.median);
    return {
      bench: 'round-trip',
      unit: 'ms',
      bytes: { request: request.length, reply: reply.length },
      raw: roundSpread(r),
      setProgram: roundSpread(s),
      ratio: { median: medianRatio, p99: ratio(s.p99, r.p99) },
      target: { medianRatioMax: 1.5, met: medianRatio <= 1.5 },
    };
  } finally {
    rig.close();
  }
}

export const roundSpread = (s: Spread): Spread => ({ n: s.n, median: round(s.median), p99: round(s.p99), min: round(s.min), max: round(s.max) });

if (isMain(import.meta.url)) {
  const result = await runRoundTrip(intFlag(process.argv, 'n', 1000));
  printTable(`round trip over a real pty (${result.bytes.request} B request, ${result.bytes.reply} B reply), ms`, [
    ['', 'n', 'median', 'p99', 'min', 'max'],
    ['raw exchange (anchor)', result.raw.n, result.raw.median, result.raw.p99, result.raw.min, result.raw.max],
    ['set program → ACK', result.setProgram.n, result.setProgram.median, result.setProgram.p99, result.setProgram.min, result.setProgram.max],
    ['ratio', '', result.ratio.median, result.ratio.p99, '', ''],
  ]);
  printVerdicts([atMost('round-trip median ratio', result.ratio.median, 1.5)]);
  printJson(result);
  process.exit(0);
}
