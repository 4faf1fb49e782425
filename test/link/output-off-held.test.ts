import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPtyGenerator, type PtyGenerator } from '../../firmware-sim/pty-generator.js';
import { openGeneratorLink } from '../../src/link/open-link.js';
import type { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { parseScript } from '../../src/session/script-parser.js';
import { runScript } from '../../src/session/script-runner.js';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import { until } from '../helpers/until.js';

/**
 * `output off` pressed while the link is down (PROTOCOL.md §10 step 2, README "sent first on
 * reconnection"): held like STOP, the person told so, and sent first, as a STOP before HELLO, when the
 * port comes back. Over a REAL pseudo-terminal with the real serial binding, unplugged and replugged.
 */

const TIMING = {
  requestTimeoutMs: 150,
  requestRetries: 5,
  heartbeatIntervalMs: 100,
  reconnectDelayMs: 20,
  reconnectMaxDelayMs: 200,
};

let generator: PtyGenerator | undefined;
let link: SerialGeneratorLink | undefined;
let controller: SessionController | undefined;
let dir: string | undefined;

afterEach(async () => {
  controller?.dispose();
  await link?.close();
  await generator?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  controller = link = generator = dir = undefined;
});

describe('output off while the link is down', () => {
  it('is held, said to be held, and sent first (STOP before HELLO) when the port comes back', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-held-off-'));
    const portPath = path.join(dir, 'generator');
    // A long watchdog: the test output must still be on when the port comes back, so only the held
    // request can be what turns it off first.
    generator = await startPtyGenerator({ telemetryHz: 0, linkPath: portPath, config: { watchdogMs: 60_000 } });
    link = openGeneratorLink({ port: portPath, timing: TIMING });
    controller = createSessionController({ link, dwellMs: 10 });
    await controller.dispatch({ type: 'CONNECT' });
    const parsed = parseScript('electrodes 1- 2+\nsearch start\namp up\namp up\n');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const lines = await runScript(parsed.steps, controller);
    expect(lines.map((l) => l.accepted)).toEqual([true, true, true, true]);
    const model = generator.server.model;
    expect(model.state).toMatchObject({ output: 'on', mode: 'test', amplitudeUa: 100 });

    generator.unplug();
    await until(() => controller!.view().state === 'linkLost', 'link loss');
    controller.takeNotices();
    const outcome = await controller.dispatch({ type: 'OUTPUT_OFF' });
    // Not refused as "not connected": held, and the person is told so (it is not applied yet).
    expect(outcome.accepted).toBe(false);
    expect(outcome.notices).toEqual([
      expect.objectContaining({ field: 'output', reason: expect.stringMatching(/held/) }),
    ]);
    expect(outcome.notices[0]!.reason).toMatch(/first .*when the link returns/);
    expect(controller.view().state).toBe('linkLost');
    expect(model.state.output).toBe('on');

    const before = model.executions.length;
    await generator.replug();
    await until(() => model.state.output === 'off', 'output off after the port came back');
    await until(() => controller!.view().state === 'ready', 'the session back, output off');
    const after = model.executions.slice(before).map((e) => e.type);
    expect(after[0]).toBe('STOP');
    expect(after).toContain('HELLO');
    expect(after.indexOf('STOP')).toBeLessThan(after.indexOf('HELLO'));
    expect(after).not.toContain('OUTPUT');
    expect(controller.view().generator).toMatchObject({ output: 'off' });
    expect(model.state.output).toBe('off');
  }, 60_000);
});
