import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage, type Request } from '../../protocol/index.js';
import { FaultInjector, corruptLine, seededRandom } from '../../firmware-sim/fault-injector.js';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import type { FaultInjectorOptions } from '../../firmware-sim/fault-injector.js';
import { LineClient, sleep, until } from './line-client.js';

const SET: Request = {
  type: 'SET',
  seq: 2,
  sess: '5e550001',
  rev: 0,
  rateHz: 50,
  pulseWidthUs: 200,
  amplitudeUa: 1000,
  contacts: '+-000000',
};

describe('FaultInjector', () => {
  it('is deterministic for a seed and counts what it injects', () => {
    const run = (seed: number): string[] => {
      const out: string[] = [];
      const f = new FaultInjector({ seed, inbound: { drop: 0.2, corrupt: 0.2, duplicate: 0.2 } });
      for (let i = 0; i < 200; i++) f.apply('inbound', `LINE ${i}`, (l) => out.push(l));
      const c = f.counts.inbound;
      expect(out.length).toBe(200 - c.drop + c.duplicate);
      expect(c.drop).toBeGreaterThan(10);
      expect(c.corrupt).toBeGreaterThan(10);
      expect(c.duplicate).toBeGreaterThan(10);
      expect(f.counts.outbound).toEqual({ drop: 0, corrupt: 0, duplicate: 0, delay: 0, hold: 0 });
      return out;
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('decides the schedule by seed and line counts only: another interleaving of the directions, other line contents, same digest', () => {
    const rates = { drop: 0.05, corrupt: 0.05, duplicate: 0.03, delay: 0.03, delayLines: 3 };
    const options = (seed: number): FaultInjectorOptions => ({
      seed,
      inbound: { ...rates, hold: 0.01, holdLines: 20, holdLinesMax: 100 },
      outbound: rates,
    });
    const lockstep = new FaultInjector(options(42));
    const bursty = new FaultInjector(options(42));
    for (let i = 0; i < 400; i++) {
      lockstep.apply('inbound', `HB seq=${i}`, () => {});
      lockstep.apply('outbound', `TEL ${i}`, () => {});
    }
    // The other run: outbound first, in bursts, inbound in a burst at the end, different bytes.
    for (let i = 0; i < 400; i++)
      bursty.apply('outbound', `ACK seq=${i} of=HB long line ${'x'.repeat(i % 50)}`, () => {});
    for (let i = 0; i < 450; i++) bursty.apply('inbound', `SET ${i}`, () => {});
    expect(bursty.scheduleDigest(400)).toBe(lockstep.scheduleDigest(400));
    expect(lockstep.schedule.length).toBeGreaterThan(40);
    const other = new FaultInjector(options(43));
    for (let i = 0; i < 400; i++) {
      other.apply('inbound', `HB seq=${i}`, () => {});
      other.apply('outbound', `TEL ${i}`, () => {});
    }
    expect(other.scheduleDigest(400)).not.toBe(lockstep.scheduleDigest(400));
  });

  it('delays by line count with delayLines (no timer), and holds for a seeded length between holdLines and holdLinesMax', () => {
    const f = new FaultInjector({ seed: 9, inbound: { delay: 1, delayLines: 2 } });
    const out: string[] = [];
    f.apply('inbound', 'A', (l) => out.push(l));
    f.setRates('inbound', {});
    for (const l of ['B', 'C', 'D']) f.apply('inbound', l, (x) => out.push(x));
    expect(out).toEqual(['B', 'A', 'C', 'D']);
    const h = new FaultInjector({ seed: 9, inbound: { hold: 0.5, holdLines: 10, holdLinesMax: 30 } });
    for (let i = 0; i < 2000; i++) h.apply('inbound', `L${i}`, () => {});
    expect(h.holds.released).toBeGreaterThan(100);
    expect(h.holds.longestLines).toBeGreaterThan(20);
    expect(h.holds.longestLines).toBeLessThanOrEqual(30);
  });

  it('holds a line back by message count, not by the clock: it arrives with the holdLines-th newer line', () => {
    const f = new FaultInjector({ seed: 5, inbound: { hold: 1, holdLines: 3 } });
    const out: string[] = [];
    f.apply('inbound', 'A', (l) => out.push(l));
    f.setRates('inbound', {});
    for (const l of ['B', 'C', 'D', 'E']) f.apply('inbound', l, (x) => out.push(x));
    expect(out).toEqual(['B', 'C', 'A', 'D', 'E']);
    expect(f.counts.inbound.hold).toBe(1);
  });

  it('corrupts exactly one byte, never into a line terminator, and the CRC always catches it', () => {
    const random = seededRandom(3);
    const line = encodeMessage(SET);
    for (let i = 0; i < 2000; i++) {
      const bad = corruptLine(line, random);
      expect(bad.length).toBe(line.length);
      expect([...bad].filter((ch, k) => ch !== line[k])).toHaveLength(1);
      expect(bad).not.toMatch(/[\r\n\0]/);
      expect(decodeMessage(bad).ok).toBe(false);
    }
  });

  it('delays a line by delayMs and can cancel what it still holds', async () => {
    const f = new FaultInjector({ outbound: { delay: 1, delayMs: 20 } });
    const out: string[] = [];
    f.apply('outbound', 'A', (l) => out.push(l));
    expect(out).toEqual([]);
    await until(() => out.length === 1, 'the delayed line');
    f.apply('outbound', 'B', (l) => out.push(l));
    f.cancelPending();
    await sleep(50);
    expect(out).toEqual(['A']);
    expect(f.counts.outbound.delay).toBe(2);
  });
});

describe('faults injected by the server', () => {
  let sim: InProcessGenerator | undefined;
  afterEach(() => sim?.close());

  async function ready(faults: FaultInjectorOptions): Promise<{ sim: InProcessGenerator; client: LineClient }> {
    sim = createInProcessGenerator({ telemetryHz: 0, config: { newSessionId: () => '5e550001' } });
    const client = new LineClient(sim.port);
    await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    sim.server.faults.setRates('inbound', faults.inbound ?? {});
    sim.server.faults.setRates('outbound', faults.outbound ?? {});
    return { sim, client };
  }

  it('inbound drop: the request never reaches the model; a retransmission is executed once', async () => {
    const { sim, client } = await ready({ inbound: { drop: 1 } });
    client.send(SET);
    await until(() => sim.server.faults.counts.inbound.drop === 1, 'the drop');
    expect(sim.server.model.executionCount(2)).toBe(0);
    sim.server.faults.setRates('inbound', {});
    expect(await client.request(SET)).toMatchObject({ type: 'ACK' });
    expect(sim.server.model.executionCount(2)).toBe(1);
  });

  it('inbound corrupt: counted as a bad CRC, never executed', async () => {
    const { sim, client } = await ready({ inbound: { corrupt: 1 } });
    client.send(SET);
    await until(() => sim.server.faults.counts.inbound.corrupt === 1, 'the corruption');
    await until(() => sim.server.counters.badCrc + sim.server.counters.naks === 1, 'the rejection');
    expect(sim.server.model.executionCount(2)).toBe(0);
    expect(sim.server.model.state.amplitudeUa).toBe(0);
  });

  it('inbound duplicate: both copies answered identically, executed once', async () => {
    const { sim, client } = await ready({ inbound: { duplicate: 1 } });
    client.send(SET);
    await until(() => client.replies(2).length === 2, 'two replies');
    expect(client.replies(2)[0]).toEqual(client.replies(2)[1]);
    expect(sim.server.model.executionCount(2)).toBe(1);
    expect(sim.server.faults.counts.inbound.duplicate).toBe(1);
  });

  it('inbound delay: the request arrives late but is executed', async () => {
    const { sim, client } = await ready({ inbound: { delay: 1, delayMs: 30 } });
    expect(await client.request(SET)).toMatchObject({ type: 'ACK' });
    expect(sim.server.faults.counts.inbound.delay).toBe(1);
  });

  it('outbound drop: the reply is lost; the retransmission gets the cached reply without re-execution', async () => {
    const { sim, client } = await ready({ outbound: { drop: 1 } });
    client.send(SET);
    await until(() => sim.server.faults.counts.outbound.drop === 1, 'the drop');
    expect(client.replies(2)).toHaveLength(0);
    sim.server.faults.setRates('outbound', {});
    expect(await client.request(SET)).toMatchObject({ type: 'ACK', state: { amplitudeUa: 1000 } });
    expect(sim.server.model.executionCount(2)).toBe(1);
  });

  it('outbound corrupt: the client receives a line that does not decode', async () => {
    const { sim, client } = await ready({ outbound: { corrupt: 1 } });
    client.send(SET);
    await until(() => client.undecodable.length === 1, 'a corrupted line');
    expect(client.replies(2)).toHaveLength(0);
    expect(sim.server.faults.counts.outbound.corrupt).toBe(1);
  });

  it('outbound duplicate: the client receives the reply twice', async () => {
    const { sim, client } = await ready({ outbound: { duplicate: 1 } });
    client.send(SET);
    await until(() => client.replies(2).length === 2, 'two replies');
    expect(sim.server.counters.linesOut).toBe(3);
  });

  it('outbound delay: a later reply overtakes a delayed one', async () => {
    const { sim, client } = await ready({});
    sim.server.faults.setRates('outbound', { delay: 1, delayMs: 40 });
    client.send(SET);
    await until(() => sim.server.faults.counts.outbound.delay === 1, 'the delay');
    sim.server.faults.setRates('outbound', {});
    client.send({ type: 'HB', seq: 3 });
    await until(() => client.replies().length === 3, 'both replies');
    expect(client.replies().map((r) => r.seq)).toEqual([1, 3, 2]);
  });
});
