import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { startPtyGenerator, type PtyGenerator } from '../../firmware-sim/pty-generator.js';
import { LineClient, until } from './line-client.js';

/** The simulator on a real pseudo-terminal, opened by the real serialport binding. */

const PROGRAM = { rateHz: 50, pulseWidthUs: 200, amplitudeUa: 1000, contacts: '+-000000' };
let gen: PtyGenerator | undefined;
const ports: SerialPort[] = [];

afterEach(async () => {
  for (const p of ports.splice(0)) if (p.isOpen) await new Promise((r) => p.close(r));
  await gen?.close();
  gen = undefined;
});

async function open(portPath: string): Promise<{ port: SerialPort; client: LineClient; closeError: () => unknown }> {
  const port = new SerialPort({ path: portPath, baudRate: 115200, autoOpen: false });
  let closeError: unknown;
  port.on('close', (err: unknown) => {
    closeError = err;
  });
  port.on('error', () => {});
  const client = new LineClient(port);
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  ports.push(port);
  return { port, client, closeError: () => closeError };
}

describe('pty generator with a real serialport client', () => {
  it('a link that cannot be made fails the start and leaves nothing open: the process ends by itself', () => {
    const program = `import { startPtyGenerator } from './firmware-sim/pty-generator.ts';
      await startPtyGenerator({ telemetryHz: 10, linkPath: '/nonexistent/dir/gen' }).then(() => console.log('started'), (e) => console.log('failed: ' + e.code));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      encoding: 'utf8',
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    expect(r.signal).toBeNull(); // still running after 20 s: a pty or a timer was left open
    expect(r.stdout.trim()).toBe('failed: ENOENT');
  });

  it('HELLO -> ACK over /dev/pts, then SET and STOP while telemetry floods at 50 Hz', async () => {
    gen = await startPtyGenerator({ telemetryHz: 50 });
    expect(gen.path).toMatch(/^\/dev\/pts\/\d+$/);
    const { client } = await open(gen.path);
    const hello = await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    expect(hello).toMatchObject({
      type: 'ACK',
      of: 'HELLO',
      identity: { serial: 'SIM-000001', bootId: gen.server.model.bootId },
    });
    expect(await client.request({ type: 'SET', seq: 2, ...PROGRAM })).toMatchObject({ type: 'ACK', state: PROGRAM });
    await client.request({ type: 'OUTPUT', seq: 3, on: true, mode: 'therapy' });
    await until(() => client.of('TEL').length >= 10, 'telemetry');
    expect(await client.request({ type: 'STOP', seq: 4 })).toMatchObject({ type: 'ACK', of: 'STOP', output: 'off' });
    // Nothing was echoed back or lost in the terminal: every line decoded.
    expect(client.undecodable).toEqual([]);
    expect(gen.server.counters.badCrc).toBe(0);
  });

  it('a client may close and reopen the path; unplug closes its port as a disconnect; replug gives a working new path', async () => {
    const linkPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scs-pty-')), 'generator');
    gen = await startPtyGenerator({ telemetryHz: 0, linkPath });
    expect(fs.realpathSync(linkPath)).toBe(gen.path);
    const first = await open(gen.path);
    await first.client.request({ type: 'HB', seq: 1 });
    await new Promise((r) => first.port.close(r));

    const second = await open(linkPath);
    await second.client.request({ type: 'HB', seq: 2 });
    gen.unplug();
    await until(() => second.client.closed, 'the port to close');
    expect(second.closeError()).toMatchObject({ disconnected: true });

    const bootId = gen.server.model.bootId;
    const newPath = await gen.replug();
    expect(fs.realpathSync(linkPath)).toBe(newPath);
    const third = await open(linkPath);
    const hello = await third.client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    expect(hello.type === 'ACK' && hello.of === 'HELLO' && hello.identity.bootId).toBe(bootId);
  });
});
