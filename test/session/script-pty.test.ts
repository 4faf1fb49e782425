import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPtyGenerator, type PtyGenerator } from '../../firmware-sim/pty-generator.js';
import { openGeneratorLink } from '../../src/link/open-link.js';
import type { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import { parseScript } from '../../src/session/script-parser.js';
import { runScript, type StepResult } from '../../src/session/script-runner.js';
import { until } from '../helpers/until.js';

/**
 * A full bedside session through the script runner and the session machine, over a REAL
 * pseudo-terminal with the real serial binding, against the simulator: connect, threshold search,
 * therapy, unplug and reconnect, STOP. After every step the generator model's own state must equal
 * what the session reports.
 */

const TIMING = { requestTimeoutMs: 150, requestRetries: 5, heartbeatIntervalMs: 100, reconnectDelayMs: 20, reconnectMaxDelayMs: 200 };

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

function steps(text: string) {
  const parsed = parseScript(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.steps;
}


describe('scripted bedside session over a pseudo-terminal', () => {
  it('connect → search → therapy → reconnect → STOP, the generator agreeing at every step', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-session-'));
    const portPath = path.join(dir, 'generator');
    generator = await startPtyGenerator({ telemetryHz: 5, linkPath: portPath });
    link = openGeneratorLink({ port: portPath, timing: TIMING });
    controller = createSessionController({ link, dwellMs: 10 });
    await controller.dispatch({ type: 'CONNECT' });
    expect(controller.view().state).toBe('ready');
    const model = generator.server.model;

    const check = (r: StepResult) => {
      const g = model.state;
      expect(r.generator, `line ${r.line} ${r.command}`).toMatchObject({
        output: g.output,
        mode: g.mode,
        rateHz: g.rateHz,
        pulseWidthUs: g.pulseWidthUs,
        amplitudeMa: g.amplitudeUa / 1000,
        contacts: g.contacts,
      });
    };
    const part1 = await runScript(
      steps(`electrodes 1- 2+
posture sitting
rate 50
pw 300
search start
amp up
amp up
amp up
amp up
mark sensory
amp up
amp up
amp up
amp up
mark discomfort
amp set 0.3
commit`),
      controller,
      { onStep: check },
    );
    expect(part1.filter((r) => !r.accepted).map((r) => [r.line, r.command, r.notices])).toEqual([]);
    expect(part1.find((r) => r.command === 'search start')?.generator).toMatchObject({ output: 'on', mode: 'test', amplitudeMa: 0 });
    expect(part1.find((r) => r.command === 'mark discomfort')?.generator?.amplitudeMa).toBe(0.2);
    expect(model.state).toMatchObject({ output: 'on', mode: 'therapy', committed: true, amplitudeUa: 300, contacts: '-+000000', rateHz: 50, pulseWidthUs: 300 });

    // Unplug and replug: committed therapy keeps running; the session re-reads and never turns anything on.
    const executedBefore = model.executions.length;
    generator.unplug();
    await until(() => controller!.view().state === 'linkLost', 'link loss');
    await generator.replug();
    await until(() => controller!.view().state === 'therapy', 'reconnect into therapy');
    expect(model.executions.slice(executedBefore).some((e) => e.type === 'OUTPUT' || e.type === 'SET')).toBe(false);
    expect(model.state).toMatchObject({ output: 'on', mode: 'therapy', amplitudeUa: 300 });

    const part2 = await runScript(steps('amp set 9\nstop\namp up\noutput on\nwait 5'), controller, { onStep: check });
    expect(part2.map((r) => r.accepted)).toEqual([true, true, false, true, true]);
    expect(part2[0]!.notices[0]).toMatchObject({ kind: 'clamp', field: 'amplitude', requested: 9, applied: 0.4 });
    expect(part2[1]!.generator).toMatchObject({ output: 'off' });
    expect(part2[3]!.generator).toMatchObject({ output: 'on', mode: 'test', amplitudeMa: 0 });
  });
});
