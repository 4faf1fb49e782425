import { describe, expect, it } from 'vitest';
import type { FaultKind } from '../../firmware-sim/fault-injector.js';
import type { PtyGenerator, PtyGeneratorOptions } from '../../firmware-sim/pty-generator.js';
import { DisconnectedError, type LinkEvent } from '../../src/link/generator-link.js';
import type { LinkTiming } from '../../src/link/link-timing.js';
import type { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { ptyLinkFixture } from '../helpers/pty-link-fixture.js';
import { PROGRAM, nextEvent, until } from './link-test-kit.js';

/**
 * The link over a REAL pseudo-terminal with the real serialport binding, against the simulator's
 * pty shell. Timing is shortened, with enough retries that a busy machine only retransmits more.
 */

const TIMING: Partial<LinkTiming> = {
  requestTimeoutMs: 100,
  requestRetries: 5,
  heartbeatIntervalMs: 100,
  reconnectDelayMs: 20,
  reconnectMaxDelayMs: 200,
};

const pty = ptyLinkFixture('scs-link-');

async function start(
  options: PtyGeneratorOptions = {},
  timing: Partial<LinkTiming> = TIMING,
): Promise<{ gen: PtyGenerator; link: SerialGeneratorLink; events: LinkEvent[] }> {
  const { generator, link } = await pty.start(options, { baud: 115200, timing, firstSeq: 1 });
  const events: LinkEvent[] = [];
  link.subscribe((e) => events.push(e));
  return { gen: generator, link, events };
}

const executedSince = (gen: PtyGenerator, from: number) => gen.server.model.executions.slice(from).map((e) => e.type);

describe('serial link over a real pseudo-terminal', () => {
  it('handshakes and sets a program with a matching read-back', async () => {
    const { gen, link } = await start();
    const handshake = await link.connect();
    expect(link.source).toBe('serial');
    expect(handshake.identity).toEqual(gen.server.model.identity);
    await expect(link.setProgram(PROGRAM)).resolves.toMatchObject(PROGRAM);
    expect(gen.server.model.state).toMatchObject(PROGRAM);
  });

  it('STOP is confirmed while telemetry floods at 50 Hz, and queued commands are dropped', async () => {
    const { gen, link, events } = await start({ telemetryHz: 50 });
    await link.connect();
    await link.setProgram(PROGRAM);
    await link.setOutput(true, 'test');
    await until(
      () => events.filter((e) => e.type === 'telemetry' && e.state.output === 'on').length >= 10,
      'telemetry flood',
    );
    const queued = Promise.allSettled([
      link.setProgram({ ...PROGRAM, amplitudeUa: 1550 }),
      link.setProgram({ ...PROGRAM, amplitudeUa: 1600 }),
    ]);
    const onAt = events.length;
    const stopped = await link.stop();
    expect(stopped.output).toBe('off');
    const results = await queued;
    // The first may already have been on the wire; the one behind it never is.
    expect(results[1]!.status).toBe('rejected');
    expect(gen.server.model.state.output).toBe('off');
    expect(gen.server.model.state.amplitudeUa).not.toBe(1600);
    expect(gen.server.counters.telemetry).toBeGreaterThanOrEqual(10);
    await until(
      () => events.some((e) => e.type === 'telemetry' && e.state.output === 'off' && events.indexOf(e) > onAt),
      'telemetry showing output off',
    );
  });

  it('unplug and replug: link lost, requests refused meanwhile, reconnect without replay, output stays off', async () => {
    const { gen, link } = await start();
    await link.connect();
    await link.setProgram(PROGRAM);
    const lost = nextEvent(link, 'status', (e) => e.status === 'reconnecting');
    gen.unplug();
    // serialport reports it as close with err.disconnected, or as EIO when a write races the hang-up.
    expect((await lost).reason).toMatch(/disconnected|closed|EIO/);
    await expect(link.setProgram({ ...PROGRAM, amplitudeUa: 2000 })).rejects.toBeInstanceOf(DisconnectedError);
    await expect(link.setOutput(true, 'test')).rejects.toBeInstanceOf(DisconnectedError);
    const before = gen.server.model.executions.length;
    const back = nextEvent(link, 'handshake');
    await gen.replug();
    const handshake = await back;
    expect(handshake.resetDetected).toBe(false);
    const after = executedSince(gen, before);
    expect(after.slice(0, 2)).toEqual(['HELLO', 'STATE']);
    expect(after).not.toContain('SET');
    expect(after).not.toContain('OUTPUT');
    expect(gen.server.model.state).toMatchObject({ ...PROGRAM, output: 'off' });
    await expect(link.readState()).resolves.toMatchObject({ amplitudeUa: PROGRAM.amplitudeUa });
  });

  it('generator reset: new boot id reported as resetDetected, output off, nothing re-sent', async () => {
    const { gen, link } = await start();
    const first = await link.connect();
    await link.setProgram(PROGRAM);
    await link.setOutput(true, 'test');
    const back = nextEvent(link, 'handshake');
    const before = gen.server.model.executions.length;
    gen.server.reset();
    const handshake = await back;
    expect(handshake.resetDetected).toBe(true);
    expect(handshake.handshake.identity.bootId).not.toBe(first.identity.bootId);
    expect(handshake.handshake.state.output).toBe('off');
    expect(executedSince(gen, before)).not.toContain('OUTPUT');
    expect(executedSince(gen, before)).not.toContain('SET');
  });

  const FAULTS: FaultKind[] = ['drop', 'corrupt', 'duplicate', 'delay'];
  for (const kind of FAULTS) {
    it(`injected ${kind} on both directions: every request succeeds and executes exactly once`, async () => {
      const rates = { [kind]: 0.15, delayMs: 150 };
      const { gen, link } = await start(
        { faults: { seed: 7, inbound: rates, outbound: rates }, nakBadCrc: kind === 'corrupt' },
        { ...TIMING, requestRetries: 8 },
      );
      await link.connect();
      const sent: number[] = [];
      // Keep going until the fault has struck several times, so the test cannot pass vacuously.
      for (let i = 0; i < 400 && gen.server.faults.totals[kind] < 6; i++) {
        const amplitudeUa = 50 * (i % 60);
        await expect(link.setProgram({ ...PROGRAM, amplitudeUa })).resolves.toMatchObject({ amplitudeUa });
        const seq = gen.server.model.executions.filter((e) => e.type === 'SET').at(-1)!.seq;
        sent.push(seq);
      }
      expect(gen.server.faults.totals[kind]).toBeGreaterThanOrEqual(6);
      for (const seq of sent) expect(gen.server.model.executionCount(seq)).toBe(1);
      expect(new Set(sent).size).toBe(sent.length);
      expect(link.status).toBe('connected');
      // The link really had to recover: retransmissions, or duplicate replies it ignored.
      const stats = link.stats();
      if (kind === 'duplicate') expect(stats.unmatchedReplies).toBeGreaterThan(0);
      else expect(stats.retries).toBeGreaterThan(0);
      if (kind === 'corrupt') expect(stats.badCrc).toBeGreaterThan(0);
    });
  }
});
