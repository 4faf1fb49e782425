import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, crc16Hex, encodeMessage, PROTOCOL_VERSION } from '../../protocol/index.js';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import type { GeneratorServerOptions } from '../../firmware-sim/generator-server.js';
import { LineClient, sleep, until } from './line-client.js';

const PROGRAM = { rateHz: 50, pulseWidthUs: 200, amplitudeUa: 1000, contacts: '+-000000' };
let sim: InProcessGenerator | undefined;
afterEach(() => {
  sim?.close();
  sim = undefined;
});

function start(options: GeneratorServerOptions = {}): { sim: InProcessGenerator; client: LineClient } {
  sim = createInProcessGenerator({ telemetryHz: 0, ...options });
  return { sim, client: new LineClient(sim.port) };
}

describe('generator server over an in-process stream', () => {
  it('answers HELLO, SET, OUTPUT and STOP with the applied values', async () => {
    const { client } = start();
    expect(await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION })).toMatchObject({
      type: 'ACK',
      of: 'HELLO',
    });
    expect(await client.request({ type: 'SET', seq: 2, ...PROGRAM })).toMatchObject({ type: 'ACK', state: PROGRAM });
    expect(await client.request({ type: 'OUTPUT', seq: 3, on: true, mode: 'test' })).toMatchObject({
      state: { output: 'on' },
    });
    expect(await client.request({ type: 'STOP', seq: 4 })).toMatchObject({ type: 'ACK', of: 'STOP', output: 'off' });
  });

  it('NAKs a line over 256 bytes with LINE_TOO_LONG and counts the overrun', async () => {
    const { sim, client } = start();
    client.writeLine('X'.repeat(300));
    await until(() => client.replies(0).length === 1, 'a NAK');
    expect(client.replies(0)[0]).toMatchObject({ type: 'NAK', code: ErrorCode.LINE_TOO_LONG });
    expect(sim.server.counters.overruns).toBe(1);
    expect(await client.request({ type: 'HB', seq: 5 })).toMatchObject({ type: 'ACK' });
  });

  it.each([
    ['malformed', 'HELLO seq=1', 0, ErrorCode.MALFORMED],
    ['unknown verb', withCrc('ZAP seq=7'), 7, ErrorCode.UNKNOWN_VERB],
    ['bad field', withCrc('SET seq=8 rate_hz=50 pw_us=200 amp_ua=-1 el=+-000000'), 8, ErrorCode.BAD_FIELD],
    ['a reply sent to the generator', withCrc('NAK seq=9 code=1 msg=x'), 9, ErrorCode.UNKNOWN_VERB],
  ])('NAKs a %s line with the seq when readable', async (_name, line, seq, code) => {
    const { sim, client } = start();
    client.writeLine(line);
    await until(() => client.replies(seq).length === 1, 'a NAK');
    expect(client.replies(seq)[0]).toMatchObject({ type: 'NAK', seq, code });
    expect(sim.server.counters.naks).toBe(1);
  });

  it('drops a line with a bad CRC silently by default and counts it; NAKs it with seq 0 when asked', async () => {
    const line = encodeMessage({ type: 'HB', seq: 3 }).replace('seq=3', 'seq=4');
    const quiet = start();
    quiet.client.writeLine(line);
    await until(() => quiet.sim.server.counters.badCrc === 1, 'the bad CRC count');
    expect(await quiet.client.request({ type: 'HB', seq: 5 })).toMatchObject({ type: 'ACK' });
    expect(quiet.client.replies()).toHaveLength(1);
    quiet.sim.close();

    const loud = start({ nakBadCrc: true });
    loud.client.writeLine(line);
    await until(() => loud.client.replies(0).length === 1, 'a NAK');
    expect(loud.client.replies(0)[0]).toMatchObject({ code: ErrorCode.BAD_CRC });
    expect(loud.sim.server.model.executions).toHaveLength(0);
  });

  it('accepts \\r\\n line endings', async () => {
    const { client } = start();
    client.port.write(encodeMessage({ type: 'HB', seq: 1 }) + '\r\n');
    await until(() => client.replies(1).length === 1, 'a reply');
  });

  it('sends telemetry at the configured rate only after the client has spoken, and none at 0 Hz', async () => {
    const fast = start({ telemetryHz: 50 });
    await sleep(100);
    expect(fast.client.of('TEL')).toHaveLength(0);
    await fast.client.request({ type: 'HB', seq: 1 });
    await until(() => fast.client.of('TEL').length >= 5, 'five TEL lines');
    fast.sim.close();

    const off = start({ telemetryHz: 0 });
    await off.client.request({ type: 'HB', seq: 1 });
    await sleep(150);
    expect(off.client.of('TEL')).toHaveLength(0);
  });

  it('answers STOP while telemetry floods at 50 Hz', async () => {
    const { client } = start({ telemetryHz: 50 });
    await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    await client.request({ type: 'SET', seq: 2, ...PROGRAM });
    await client.request({ type: 'OUTPUT', seq: 3, on: true, mode: 'therapy' });
    await until(() => client.of('TEL').length >= 3, 'telemetry');
    expect(await client.request({ type: 'STOP', seq: 4 })).toMatchObject({ of: 'STOP', output: 'off' });
    await until(() => client.of('TEL').some((t) => t.state.output === 'off'), 'telemetry showing output off');
  });

  it('watchdog: stops test stimulation when the client goes silent and sends EVT stopped link-loss', async () => {
    const { sim, client } = start({ config: { watchdogMs: 100 }, tickMs: 10 });
    await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    await client.request({ type: 'SET', seq: 2, ...PROGRAM });
    await client.request({ type: 'OUTPUT', seq: 3, on: true, mode: 'test' });
    await until(() => client.of('EVT').length > 0, 'an event');
    expect(client.of('EVT')).toEqual([{ type: 'EVT', kind: 'stopped', reason: 'link-loss' }]);
    expect(sim.server.model.state.output).toBe('off');
  });

  it('unplug closes the port; replug serves the same generator on a new port', async () => {
    const { sim, client } = start();
    await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    sim.unplug();
    await until(() => client.closed, 'the port to close');
    expect(sim.server.attached).toBe(false);
    const again = new LineClient(sim.replug());
    const hello = await again.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    expect(hello.type === 'ACK' && hello.of === 'HELLO' && hello.identity.bootId).toBe(sim.server.model.bootId);
  });

  it('reset sends EVT boot with the new boot id; external change sends EVT program-changed', async () => {
    const { sim, client } = start();
    await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    sim.server.reset();
    await until(() => client.of('EVT').length === 1, 'EVT boot');
    expect(client.of('EVT')[0]).toEqual({ type: 'EVT', kind: 'boot', bootId: sim.server.model.bootId });
    sim.server.externalChange({ ...PROGRAM, amplitudeUa: 0 });
    await until(() => client.of('EVT').length === 2, 'EVT program-changed');
    expect(client.of('EVT')[1]).toMatchObject({ kind: 'program-changed' });
  });
});

function withCrc(body: string): string {
  return `${body}*${crc16Hex(body)}`;
}
