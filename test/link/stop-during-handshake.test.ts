import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { stopBeforeExit } from '../../src/cli/start-command.js';
import { confirmStop } from '../../src/session/confirm-stop.js';
import { decoded, inProcessRig, until, type Rig } from './link-test-kit.js';

/**
 * A STOP pressed (or a SIGINT/SIGTERM received) while the handshake is still under way: the port is
 * open and the generator may already be serving this companion, so STOP goes on that connection at
 * once (it needs no session), instead of waiting for a handshake that is slow under load. This was
 * the cause of the flaky "SIGINT/SIGTERM sends STOP" CLI test: the signal landed between HELLO and
 * the handshake's STATE reply, `scs start` saw status `connecting` and exited without any STOP.
 */

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A rig whose first handshake STATE reply is held back until `release` is called. */
async function midHandshake(): Promise<{ rig: Rig; release: () => void; connected: Promise<unknown> }> {
  const r = inProcessRig({ timing: { heartbeatIntervalMs: 60_000, requestTimeoutMs: 2_000 } });
  let held: (() => void) | undefined;
  r.tap.onInbound = (line, deliver) => {
    const m = decoded(line);
    if (m?.type === 'ACK' && m.of === 'STATE' && held === undefined) held = () => deliver(line);
    else deliver(line);
  };
  const connected = r.link.connect();
  connected.catch(() => {}); // awaited by the test; a failed test must not leave it unhandled
  await until(() => held !== undefined, 'the handshake STATE reply held back');
  return { rig: r, release: () => held!(), connected };
}

describe('STOP while the handshake is under way', () => {
  it('goes on the opening connection at once and is confirmed before the handshake ends', async () => {
    const m = await midHandshake();
    rig = m.rig;
    expect(rig.link.status).toBe('connecting');
    const executedBefore = rig.generator.server.model.executions.length;
    await expect(rig.link.stop()).resolves.toMatchObject({ output: 'off' });
    expect(rig.link.status).toBe('connecting');
    // STOP first; the full state it reports is then read with STATE (no read of this session to derive it from).
    expect(rig.generator.server.model.executions.slice(executedBefore).map((e) => e.type)[0]).toBe('STOP');
    m.release();
    await m.connected;
    expect(rig.link.status).toBe('connected');
  });

  it('scs start on SIGINT/SIGTERM: stopBeforeExit sends STOP while the link is still connecting', async () => {
    const m = await midHandshake();
    rig = m.rig;
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (d: Buffer) => (text += d.toString()));
    const io = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
    expect(rig.link.status).toBe('connecting');
    await expect(stopBeforeExit(rig.link, io, 10_000)).resolves.toBe(true);
    expect(text).toMatch(/STOP confirmed: output off/);
    expect(rig.generator.server.model.executions.map((e) => e.type)).toContain('STOP');
    m.release();
    await m.connected;
  });

  it('the UI and an interrupted script (confirmStop) send STOP while the link is still connecting, no state read yet', async () => {
    const m = await midHandshake();
    rig = m.rig;
    expect(rig.link.status).toBe('connecting');
    // No generator state was read yet (generatorSeen false): the STOP still goes out and is confirmed.
    await expect(confirmStop(rig.link, false, 10_000)).resolves.toBe(true);
    expect(rig.generator.server.model.executions.map((e) => e.type)).toContain('STOP');
    m.release();
    await m.connected;
  });
});
