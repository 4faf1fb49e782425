import { GeneratorModel } from '../firmware-sim/generator-model.js';
import { TX_FIFO_BYTES } from '../firmware-sim/uart-transmitter.js';
import { CANCEL, encodeMessage } from '../protocol/index.js';
import { PACE_AHEAD_MS } from '../src/link/paced-wire.js';
import { wireMs } from './lib/paced-stream.js';
import { startChildRig } from './lib/child-rig.js';
import { createPtyRig } from './lib/pty-rig.js';
import { BAUD, PROGRAM, measureSetProgram, sampleExchange } from './lib/round-trip-core.js';
import { measureControllerStops, measureLinkStops, type StopRig } from './lib/stop-core.js';
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
import { TELEMETRY_HZ } from './stop-latency.js';

/**
 * 3. Benches 1 and 2 with the simulator's UART paced at 115200 baud (10 bits per byte, both
 * directions), over the same kind of real pty. Anchors: the wire time of the bytes exchanged —
 * SET + ACK for the round trip; SET (in flight, ahead of it) + STOP for the STOP, which the model
 * can act on only once the STOP line has fully arrived. The pacer models the generator's transmit
 * queue with the simulator's priority (firmware-sim/transmit-queue.ts): STOP's short ACK ahead of
 * everything queued, other replies, events, then telemetry; link.stop() is also measured with a FIFO
 * UART (no priority) and with nothing in flight. Confirmation anchors: what must cross with nothing
 * ahead (CAN+STOP in, short ACK out) and, as the controller rows press STOP right behind a SET, what must
 * cross then: without a host-side cut the SET's bytes ahead on the host's own wire, CAN+STOP, the cut's
 * FIFO bytes + CAN, the short ACK; the link now paces its writes and cuts its own SET (PROTOCOL.md §4.5,
 * host side), so of the SET only what it had handed its OS (≤ PACE_AHEAD_MS of wire). The STOP rows run the simulator and its pacer in a child process (child-rig.ts; a generator
 * is a device of its own), `--in-process` in this one. Target: p99 ≤ 20 ms (issue 12).
 */

export interface PacedResult {
  bench: 'paced';
  unit: 'ms';
  baud: number;
  bitsPerByte: 10;
  driver: 'session-controller';
  telemetryHz: number;
  wire: {
    roundTripMs: number;
    roundTripBytes: number;
    stopMs: number;
    stopBytes: number;
    confirmMs: number;
    confirmBytes: number;
    /** CAN + STOP line in, short STOP ACK out: the bytes that must cross for any STOP confirmation. */
    stopOnlyMs: number;
    stopOnlyBytes: number;
    /** The same with a line on the wire (v2.2 cut): + the TX FIFO's 16 bytes and the CAN that ends it. */
    stopCutMs: number;
    stopCutBytes: number;
    /**
     * What must cross when the STOP is written right behind a SET (the controller rows): the SET's bytes
     * still ahead of it on the host's own wire, CAN+STOP, then the cut (FIFO bytes + CAN) and the short ACK.
     */
    stopBehindSetMs: number;
    stopBehindSetBytes: number;
    /**
     * The same with the host's own cut (PROTOCOL.md §4.5, host side): of the SET, at most what the paced
     * link had handed its OS (PACE_AHEAD_MS of wire), then CAN+STOP, the generator's cut and the short ACK.
     */
    stopBehindPacedMs: number;
    stopBehindPacedBytes: number;
    telemetryLineMs: number;
  };
  roundTrip: Spread;
  controller: { toOutputOff: Spread; toConfirmed: Spread; toWritten: Spread; toAckRead: Spread };
  link: { toOutputOff: Spread; toConfirmed: Spread };
  /** link.stop() with a FIFO UART: replies wait behind every telemetry line written before them. */
  linkFifo: { toOutputOff: Spread; toConfirmed: Spread };
  /** link.stop() with no request in flight (output on, 50 Hz telemetry). */
  linkIdle: { toOutputOff: Spread; toConfirmed: Spread };
  ratio: {
    roundTripMedianToWire: number;
    roundTripP99ToWire: number;
    stopMedianToWire: number;
    stopP99ToWire: number;
    confirmedMedianToStopOnly: number;
    confirmedP99ToStopOnly: number;
    confirmedMedianToBehindSet: number;
    confirmedP99ToBehindSet: number;
    confirmedMedianToBehindPaced: number;
    confirmedP99ToBehindPaced: number;
  };
  /** Where the simulator and its pacer ran: a child process (default, a device of its own) or this one. */
  simulator: 'child-process' | 'in-process';
  /** Controller STOP → confirmed in the session, p99 against 20 ms. */
  target: { confirmedP99MaxMs: number; met: boolean };
}

/** Issue 12: STOP → confirmed in the session, p99, at 115200 baud with 50 Hz telemetry. */
export const STOP_CONFIRMED_P99_MS = 20;

export async function runPaced(roundTrips = 1000, stops = 500, inProcess = false): Promise<PacedResult> {
  const quiet = createPtyRig({ telemetryHz: 0 });
  // The STOP rows: the simulator and its UART in a child process unless asked otherwise (child-rig.ts).
  const busy: StopRig = inProcess ? createPtyRig({ telemetryHz: TELEMETRY_HZ }) : await startChildRig(TELEMETRY_HZ);
  try {
    await measureSetProgram(quiet, Math.min(20, roundTrips), BAUD); // warm-up
    const rt = spread(await measureSetProgram(quiet, roundTrips, BAUD));
    // Warm-up: the simulator's process is fresh (child-rig.ts), its first STOPs run cold code.
    await measureControllerStops(busy, Math.min(30, stops), BAUD);
    const controller = await measureControllerStops(busy, stops, BAUD);
    const link = await measureLinkStops(busy, stops, BAUD);
    const linkFifo = await measureLinkStops(busy, stops, BAUD, true);
    const linkIdle = await measureLinkStops(busy, stops, BAUD, false, false);
    const { request, reply } = sampleExchange();
    const stopLine = Buffer.byteLength(
      `${CANCEL}${encodeMessage({ type: 'STOP', seq: 4322, sess: '5e55a001' })}\n`,
      'latin1',
    );
    const shortAck = Buffer.byteLength(
      `${encodeMessage({ type: 'ACK', seq: 4322, of: 'STOP', output: 'off', rev: 12345 })}\n`,
      'latin1',
    );
    // What the paced link may have handed its OS of the SET when the STOP came (src/link/paced-wire.ts).
    const aheadBytes = Math.min(request.length, Math.floor(PACE_AHEAD_MS / wireMs(1, BAUD)));
    const wire = {
      roundTripBytes: request.length + reply.length,
      roundTripMs: round(wireMs(request.length + reply.length, BAUD)),
      stopBytes: request.length + stopLine,
      stopMs: round(wireMs(request.length + stopLine, BAUD)),
      // In: SET then STOP; out: the SET's ACK (on the wire before the STOP has arrived) then the STOP's
      // short ACK. The generator sends them as the requests arrive, so the in and out wires overlap.
      confirmBytes: request.length + reply.length + shortAck,
      confirmMs: round(wireMs(request.length + reply.length + shortAck, BAUD)),
      stopOnlyBytes: stopLine + shortAck,
      stopOnlyMs: round(wireMs(stopLine + shortAck, BAUD)),
      stopCutBytes: stopLine + TX_FIFO_BYTES + 1 + shortAck,
      stopCutMs: round(wireMs(stopLine + TX_FIFO_BYTES + 1 + shortAck, BAUD)),
      stopBehindSetBytes: request.length + stopLine + TX_FIFO_BYTES + 1 + shortAck,
      stopBehindSetMs: round(wireMs(request.length + stopLine + TX_FIFO_BYTES + 1 + shortAck, BAUD)),
      stopBehindPacedBytes: aheadBytes + stopLine + TX_FIFO_BYTES + 1 + shortAck,
      stopBehindPacedMs: round(wireMs(aheadBytes + stopLine + TX_FIFO_BYTES + 1 + shortAck, BAUD)),
      telemetryLineMs: round(
        wireMs(Buffer.byteLength(`${encodeMessage({ type: 'TEL', state: telemetryState() })}\n`, 'latin1'), BAUD),
      ),
    };
    const off = spread(controller.toOutputOff);
    const confirmed = spread(controller.toConfirmed);
    return {
      bench: 'paced',
      unit: 'ms',
      baud: BAUD,
      bitsPerByte: 10,
      driver: 'session-controller',
      telemetryHz: TELEMETRY_HZ,
      wire,
      roundTrip: roundSpread(rt),
      controller: {
        toOutputOff: roundSpread(off),
        toConfirmed: roundSpread(confirmed),
        toWritten: roundSpread(spread(controller.toWritten ?? [])),
        toAckRead: roundSpread(spread(controller.toAckRead ?? [])),
      },
      link: { toOutputOff: roundSpread(spread(link.toOutputOff)), toConfirmed: roundSpread(spread(link.toConfirmed)) },
      linkFifo: {
        toOutputOff: roundSpread(spread(linkFifo.toOutputOff)),
        toConfirmed: roundSpread(spread(linkFifo.toConfirmed)),
      },
      linkIdle: {
        toOutputOff: roundSpread(spread(linkIdle.toOutputOff)),
        toConfirmed: roundSpread(spread(linkIdle.toConfirmed)),
      },
      ratio: {
        roundTripMedianToWire: ratio(rt.median, wire.roundTripMs),
        roundTripP99ToWire: ratio(rt.p99, wire.roundTripMs),
        stopMedianToWire: ratio(off.median, wire.stopMs),
        stopP99ToWire: ratio(off.p99, wire.stopMs),
        confirmedMedianToStopOnly: ratio(confirmed.median, wire.stopOnlyMs),
        confirmedP99ToStopOnly: ratio(confirmed.p99, wire.stopOnlyMs),
        confirmedMedianToBehindSet: ratio(confirmed.median, wire.stopBehindSetMs),
        confirmedP99ToBehindSet: ratio(confirmed.p99, wire.stopBehindSetMs),
        confirmedMedianToBehindPaced: ratio(confirmed.median, wire.stopBehindPacedMs),
        confirmedP99ToBehindPaced: ratio(confirmed.p99, wire.stopBehindPacedMs),
      },
      simulator: inProcess ? 'in-process' : 'child-process',
      target: { confirmedP99MaxMs: STOP_CONFIRMED_P99_MS, met: confirmed.p99 <= STOP_CONFIRMED_P99_MS },
    };
  } finally {
    quiet.close();
    await busy.close();
  }
}

/** A telemetry line's state while stimulating (its length is what matters). */
function telemetryState() {
  return { ...new GeneratorModel().state, ...PROGRAM, output: 'on' as const, mode: 'test' as const };
}

if (isMain(import.meta.url)) {
  const r = await runPaced(
    intFlag(process.argv, 'round-trips', 1000),
    intFlag(process.argv, 'n', 500),
    process.argv.includes('--in-process'),
  );
  const row = (name: string, s: Spread, wire: number) => [
    name,
    s.n,
    s.median,
    s.p99,
    s.max,
    wire || '-',
    wire ? ratio(s.median, wire) : '-',
    wire ? ratio(s.p99, wire) : '-',
  ];
  printTable(`paced at ${r.baud} baud (10 bits/byte), ${r.telemetryHz} Hz telemetry during STOP, ms`, [
    ['', 'n', 'median', 'p99', 'max', 'wire', 'median/wire', 'p99/wire'],
    row(`set program → ACK (${r.wire.roundTripBytes} B)`, r.roundTrip, r.wire.roundTripMs),
    row('controller STOP → CAN+STOP written by the link', r.controller.toWritten, 0),
    row(`controller STOP → model off (${r.wire.stopBytes} B)`, r.controller.toOutputOff, r.wire.stopMs),
    row(
      `controller STOP → STOP ACK read by the link (${r.wire.stopBehindPacedBytes} B)`,
      r.controller.toAckRead,
      r.wire.stopBehindPacedMs,
    ),
    row(`controller STOP → confirmed (${r.wire.confirmBytes} B)`, r.controller.toConfirmed, r.wire.confirmMs),
    row('link.stop() → model off', r.link.toOutputOff, r.wire.stopMs),
    row('link.stop() → confirmed', r.link.toConfirmed, r.wire.confirmMs),
    row('FIFO UART: link.stop() → model off', r.linkFifo.toOutputOff, r.wire.stopMs),
    row('FIFO UART: link.stop() → confirmed', r.linkFifo.toConfirmed, r.wire.confirmMs),
    row(
      `nothing in flight: link.stop() → confirmed (${r.wire.stopOnlyBytes} B)`,
      r.linkIdle.toConfirmed,
      r.wire.stopOnlyMs,
    ),
    row(
      `controller STOP → confirmed vs what must cross (${r.wire.stopOnlyBytes} B)`,
      r.controller.toConfirmed,
      r.wire.stopOnlyMs,
    ),
    row(
      `controller STOP → confirmed vs what must cross behind the SET (${r.wire.stopBehindSetBytes} B)`,
      r.controller.toConfirmed,
      r.wire.stopBehindSetMs,
    ),
    row(
      `controller STOP → confirmed vs what must cross, SET cut by the host (${r.wire.stopBehindPacedBytes} B)`,
      r.controller.toConfirmed,
      r.wire.stopBehindPacedMs,
    ),
  ]);
  process.stdout.write(`simulator and its UART pacer: ${r.simulator}\n`);
  process.stdout.write(
    `a telemetry line takes ${r.wire.telemetryLineMs} ms of wire; replies wait for at most the one on the wire (FIFO rows: behind all queued)\n`,
  );
  printVerdicts([
    atMost(
      'paced controller STOP → confirmed p99 (ms) vs 20 ms',
      r.controller.toConfirmed.p99,
      r.target.confirmedP99MaxMs,
    ),
  ]);
  printJson(r);
  process.exit(0);
}
