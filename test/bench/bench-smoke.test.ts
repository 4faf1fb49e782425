import { describe, expect, it } from 'vitest';
import { runCohort } from '../../bench/cohort.js';
import { runDiary, syntheticDiary } from '../../bench/diary.js';
import { isTelemetry, PacedQueue, pacedStream, wireMs } from '../../bench/lib/paced-stream.js';
import { createPtyRig } from '../../bench/lib/pty-rig.js';
import { startChildRig } from '../../bench/lib/child-rig.js';
import { measureRawExchange, measureSetProgram, sampleExchange } from '../../bench/lib/round-trip-core.js';
import { quantile, spread } from '../../bench/lib/stats.js';
import { measureControllerStops, measureLinkStops } from '../../bench/lib/stop-core.js';
import { runRoundTrip } from '../../bench/round-trip.js';
import { installedLaunches, TSX_LAUNCHES, timeLaunch } from '../../bench/startup.js';
import { bundleIsFresh, withFreshBundle } from '../../bench/lib/scs-bundle.js';
import { rssMb } from '../../bench/lib/pty-process.js';
import { Duplex } from 'node:stream';
import { evaluateTrial } from '../../src/diary/trial-criterion.js';

/**
 * Benchmarks are programs (npm run bench), not tests: this only runs each core once at a tiny size
 * and checks the shape of what it reports. No timing is asserted.
 */

const spreadShape = {
  n: expect.any(Number),
  median: expect.any(Number),
  p99: expect.any(Number),
  min: expect.any(Number),
  max: expect.any(Number),
};

describe('bench smoke (tiny sizes, shapes only)', () => {
  it('stats: nearest-rank quantiles', () => {
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).toBe(10);
    expect(spread([2, 1])).toEqual({ n: 2, median: 1, p99: 2, min: 1, max: 2 });
  });

  it('round trip: raw exchange and set program over a real pty, JSON shape', async () => {
    const result = await runRoundTrip(10);
    expect(result).toMatchObject({
      bench: 'round-trip',
      unit: 'ms',
      raw: spreadShape,
      setProgram: spreadShape,
      ratio: { median: expect.any(Number), p99: expect.any(Number) },
    });
    expect(result.setProgram.n).toBeGreaterThanOrEqual(10);
    expect(result.bytes.reply).toBeGreaterThan(result.bytes.request);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('the sample exchange is a real SET and its ACK', () => {
    const { request, reply } = sampleExchange();
    expect(request.toString('latin1')).toMatch(/^SET seq=\d+ .*\*[0-9A-F]{4}\n$/);
    expect(reply.toString('latin1')).toMatch(/^ACK seq=\d+ of=SET .*\*[0-9A-F]{4}\n$/);
  });

  it('STOP: controller and link drivers turn the model off with a program change in flight, also paced', async () => {
    const rig = createPtyRig({ telemetryHz: 50 });
    try {
      const controller = await measureControllerStops(rig, 3);
      const link = await measureLinkStops(rig, 3);
      const paced = await measureLinkStops(rig, 2, 115200);
      for (const s of [controller, link, paced]) {
        expect(s.toOutputOff.length).toBe(s.toConfirmed.length);
        expect(s.toOutputOff.every((ms) => ms >= 0)).toBe(true);
      }
      expect(rig.server.model.state.output).toBe('off');
      // Paced: the model cannot see STOP before its bytes could have crossed the wire.
      expect(Math.min(...paced.toOutputOff)).toBeGreaterThanOrEqual(wireMs(14, 115200) - 0.5);
      expect((await measureRawExchange(rig, 2)).length).toBe(2);
      expect((await measureSetProgram(rig, 2)).length).toBe(2);
    } finally {
      rig.close();
    }
  });

  it('STOP with the paced simulator in a child process: model off reported across processes, the child gone after close', async () => {
    const rig = await startChildRig(50);
    const pid = rig.pid;
    try {
      const paced = await measureControllerStops(rig, 2, 115200);
      expect(paced.toConfirmed.length).toBe(2);
      // Output off is seen no sooner than CAN+STOP (at least 14 bytes) could have crossed, and before confirmation.
      for (let i = 0; i < 2; i++) {
        expect(paced.toOutputOff[i]!).toBeGreaterThanOrEqual(wireMs(14, 115200) - 0.5);
        expect(paced.toOutputOff[i]!).toBeLessThanOrEqual(paced.toConfirmed[i]! + 0.5);
      }
    } finally {
      await rig.close();
    }
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('pacer: delivers every byte in order, no sooner than the wire allows', async () => {
    const inner = new Duplex({
      read() {},
      write(_c, _e, cb) {
        cb();
      },
    });
    const paced = pacedStream(inner, 115200);
    const got: Buffer[] = [];
    paced.on('data', (c: Buffer) => got.push(c));
    const t0 = performance.now();
    inner.emit('data', Buffer.from('abc'));
    inner.emit('data', Buffer.from('defgh'));
    await new Promise<void>((resolve) => {
      const check = () => (Buffer.concat(got).length === 8 ? resolve() : setTimeout(check, 1));
      check();
    });
    expect(Buffer.concat(got).toString()).toBe('abcdefgh');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(wireMs(8, 115200) - 0.05);
    paced.destroy();
  });

  it('pacer: a reply goes ahead of telemetry still queued, never ahead of the line on the wire; FIFO without priority', async () => {
    const order = async (deferrable?: (chunk: Buffer) => boolean) => {
      const got: string[] = [];
      const queue = new PacedQueue(wireMs(1, 115200), (c) => got.push(c.toString('latin1').slice(0, 4)), deferrable);
      // The first line is long (17 ms of wire) so the others are surely queued while it is on the wire.
      for (const line of [`TEL ${'a'.repeat(190)}\n`, 'TEL b\n', 'TEL c\n', 'ACK d\n'])
        queue.push(Buffer.from(line, 'latin1'));
      await new Promise<void>((resolve) => {
        const check = () => (got.length === 4 ? resolve() : setTimeout(check, 1));
        check();
      });
      return got;
    };
    expect(await order(isTelemetry)).toEqual(['TEL ', 'ACK ', 'TEL ', 'TEL ']);
    expect(await order()).toEqual(['TEL ', 'TEL ', 'TEL ', 'ACK ']);
    expect(isTelemetry(Buffer.from('EVT kind=stopped*0000\n'))).toBe(false);
  });

  it('diary: evaluation rows and growth at tiny sizes', () => {
    const result = runDiary([100, 1000]);
    expect(result.rows.map((r) => r.entries)).toEqual([100, 1000]);
    expect(result.rows[0]!.growth).toBeNull();
    expect(result.rows[1]!.growth).toEqual(expect.any(Number));
    // At 100 entries the runs between flares span 36 h (< 48 h) over 90 trial hours: fail; at 1000, pass.
    expect(result.rows.map((r) => r.verdict)).toEqual(['fail', 'pass']);
    expect(evaluateTrial(syntheticDiary(1000)).verdict).toBe('pass');
  });

  it('cohort: report rows at tiny sizes', () => {
    const result = runCohort([20, 200]);
    expect(result.rows.map((r) => r.patients)).toEqual([20, 200]);
    expect(result.target.largestPatients).toBe(200);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('startup and memory helpers: bare Ink launches (bundled and tsx) in a pty are timed by their text; RSS is read from /proc', async () => {
    const installed = await installedLaunches();
    expect(installed.ui.args[0]).toBe('bin/scs.js');
    expect(installed.ui.needsBundle).toBe(true);
    expect(await timeLaunch(installed.bare)).toBeGreaterThan(0);
    expect(await timeLaunch(TSX_LAUNCHES.bare)).toBeGreaterThan(0);
    expect(rssMb(process.pid)).toBeGreaterThan(10);
  });

  it('fresh bundle: builds dist/scs.mjs when stale and measures against a bundle bin/scs.js would run', async () => {
    const stats = { builds: 0, discarded: 0 };
    // The measurement sees a fresh bundle (a source edited by someone meanwhile makes it build again).
    expect(await withFreshBundle(async () => bundleIsFresh(), stats)).toBe(true);
  });
});
