import { afterEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { CANCEL, PROTOCOL_VERSION, encodeMessage } from '../../protocol/index.js';
import { startPtyGenerator, type PtyGenerator } from '../../firmware-sim/pty-generator.js';
import { LineClient, sleep, until } from './line-client.js';

/**
 * PROTOCOL.md §2/§7: a command cut off before its `\n` never runs, not on the next connection and not
 * glued to the next line of the same one. CAN (0x18) discards what was buffered before it; a partial
 * line older than the inter-byte timeout is dropped. Real pty, real serialport, real server.
 */

const PROGRAM = { rateHz: 50, pulseWidthUs: 200, amplitudeUa: 1000, contacts: '+-000000' };
let gen: PtyGenerator | undefined;
const ports: SerialPort[] = [];
afterEach(async () => {
  for (const p of ports.splice(0)) if (p.isOpen) await new Promise((r) => p.close(r));
  await gen?.close();
  gen = undefined;
});

async function open(path: string): Promise<{ port: SerialPort; client: LineClient }> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  port.on('error', () => {});
  const client = new LineClient(port);
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  ports.push(port);
  return { port, client };
}

/** A session with a runnable program, output off, and the complete-but-unterminated OUTPUT on=1 line. */
async function tornOutputOn(client: LineClient): Promise<string> {
  await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
  await client.request({ type: 'SET', seq: 2, ...PROGRAM });
  return encodeMessage(client.stamp({ type: 'OUTPUT', seq: 3, on: true, mode: 'test' }));
}

describe('a torn line never runs', () => {
  it('cut after its CRC, port closed and reopened: the new connection’s CAN discards it (blackbox-12 #1)', async () => {
    // A huge inter-byte timeout isolates CAN: only the CAN can save this case.
    gen = await startPtyGenerator({ telemetryHz: 0, interByteTimeoutMs: 3_600_000 });
    const first = await open(gen.path);
    first.port.write(await tornOutputOn(first.client));
    await new Promise((r) => first.port.drain(r));
    await new Promise((r) => first.port.close(r));

    const second = await open(gen.path);
    second.port.write(CANCEL);
    second.client.writeLine('');
    expect(await second.client.request({ type: 'HELLO', seq: 4, proto: PROTOCOL_VERSION })).toMatchObject({
      type: 'ACK',
      of: 'HELLO',
    });
    expect(await second.client.request({ type: 'STATE', seq: 5 })).toMatchObject({
      type: 'ACK',
      state: { output: 'off' },
    });
    expect(gen.server.model.executionCount(3)).toBe(0);
  });

  it('cut after its CRC and left more than the inter-byte timeout: dropped even before a bare newline', async () => {
    gen = await startPtyGenerator({ telemetryHz: 0, interByteTimeoutMs: 100 });
    const first = await open(gen.path);
    first.port.write(await tornOutputOn(first.client));
    await sleep(400);
    first.client.writeLine('');
    expect(await first.client.request({ type: 'STATE', seq: 5 })).toMatchObject({
      type: 'ACK',
      state: { output: 'off' },
    });
    expect(gen.server.model.executionCount(3)).toBe(0);
  });

  it('a CAN-prefixed STOP right after a torn line on the same connection stops at once (blackbox-12 #7)', async () => {
    gen = await startPtyGenerator({ telemetryHz: 0, interByteTimeoutMs: 3_600_000 });
    const { port, client } = await open(gen.path);
    await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    await client.request({ type: 'SET', seq: 2, ...PROGRAM });
    expect(await client.request({ type: 'OUTPUT', seq: 3, on: true, mode: 'test' })).toMatchObject({
      state: { output: 'on' },
    });
    port.write(`SET seq=4 sess=${client.sess} rev=${client.rev} rate`);
    port.write(CANCEL + encodeMessage({ type: 'STOP', seq: 5, sess: client.sess! }) + '\n');
    await until(() => client.replies(5).length === 1, 'the STOP ACK', 3000);
    expect(client.replies(5)[0]).toMatchObject({ type: 'ACK', of: 'STOP', output: 'off' });
    expect(gen.server.model.state.output).toBe('off');
  });
});
