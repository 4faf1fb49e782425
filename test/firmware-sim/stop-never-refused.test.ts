import { afterEach, describe, expect, it } from 'vitest';
import { crc16Hex, PROTOCOL_VERSION } from '../../protocol/index.js';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import { LineClient, until } from './line-client.js';

/**
 * PROTOCOL.md §4.5: STOP is accepted whenever its verb is STOP and its CRC is valid, whatever its other
 * fields: output off; the ACK names the line's seq when readable (1..999999999), else seq=0.
 * The lines are the black-box tester's (blackbox-12 #3), which v2.0 NAKed with output left on.
 */

const PROGRAM = { rateHz: 50, pulseWidthUs: 200, amplitudeUa: 1000, contacts: '+-000000' };
const withCrc = (body: string) => `${body}*${crc16Hex(body)}`;
let sim: InProcessGenerator | undefined;
afterEach(() => {
  sim?.close();
  sim = undefined;
});

describe('STOP with unreadable fields still stops', () => {
  it.each([
    ['STOP seq=8 sess=ABCDEF12', 8],
    ['STOP seq=10 sess=abc', 10],
    ['STOP seq=12 sess=""', 12],
    ['STOP seq=014', 0],
    ['STOP seq=1000000000', 0],
    ['STOP seq=0', 0],
    ['STOP', 0],
    ['STOP seq=13 seq=13', 13],
  ])('%s -> ACK seq=%i out=off', async (body, seq) => {
    sim = createInProcessGenerator({ telemetryHz: 0 });
    const client = new LineClient(sim.port);
    await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    await client.request({ type: 'SET', seq: 2, ...PROGRAM });
    expect(await client.request({ type: 'OUTPUT', seq: 3, on: true, mode: 'test' })).toMatchObject({
      state: { output: 'on' },
    });
    client.writeLine(withCrc(body));
    await until(() => client.replies(seq).length === 1, 'the STOP ACK');
    expect(client.replies(seq)[0]).toMatchObject({ type: 'ACK', of: 'STOP', seq, output: 'off' });
    expect(sim.server.model.state.output).toBe('off');
  });

  it('the tester STOP with an upper-case sess stops output and is ACKed with its seq', async () => {
    sim = createInProcessGenerator({ telemetryHz: 0 });
    const client = new LineClient(sim.port);
    await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    await client.request({ type: 'SET', seq: 2, ...PROGRAM });
    await client.request({ type: 'OUTPUT', seq: 3, on: true, mode: 'test' });
    client.writeLine(withCrc('STOP seq=8 sess=ABCDEF12'));
    await until(() => client.replies(8).length === 1, 'the STOP ACK');
    expect(client.replies(8)[0]).toMatchObject({ type: 'ACK', of: 'STOP', output: 'off' });
  });

  it('a STOP line with a bad CRC is not a STOP (dropped; the sender retransmits)', async () => {
    sim = createInProcessGenerator({ telemetryHz: 0 });
    const client = new LineClient(sim.port);
    await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    await client.request({ type: 'SET', seq: 2, ...PROGRAM });
    await client.request({ type: 'OUTPUT', seq: 3, on: true, mode: 'test' });
    client.writeLine(withCrc('STOP seq=4').replace('seq=4', 'seq=5'));
    await until(() => sim!.server.counters.badCrc === 1, 'the bad CRC count');
    expect(sim.server.model.state.output).toBe('on');
  });
});
