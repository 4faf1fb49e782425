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
import { PTY_SESSION_TIMING } from '../helpers/pty-session.js';
import { until } from '../helpers/until.js';

/**
 * A full bedside session through the script runner and the session machine, over a REAL
 * pseudo-terminal with the real serial binding, against the simulator: connect, threshold search,
 * therapy, unplug and reconnect, STOP. After every step the generator model's own state must equal
 * what the session reports.
 */

const TIMING = PTY_SESSION_TIMING;

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
    expect(part1.find((r) => r.command === 'search start')?.generator).toMatchObject({
      output: 'on',
      mode: 'test',
      amplitudeMa: 0,
    });
    expect(part1.find((r) => r.command === 'mark discomfort')?.generator?.amplitudeMa).toBe(0.2);
    expect(model.state).toMatchObject({
      output: 'on',
      mode: 'therapy',
      committed: true,
      amplitudeUa: 300,
      contacts: '-+000000',
      rateHz: 50,
      pulseWidthUs: 300,
    });

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

describe('scripted session against scs sim with one low-impedance contact (issue 19)', () => {
  it('four cathodes in parallel, contact 1 at 250 Ω: the search stops at 12.85 mA, the notice names contact 1 and 57.1 %', async () => {
    const { PassThrough } = await import('node:stream');
    const { runSim } = await import('../../src/cli/sim-command.js');
    const sink = () => {
      const s = new PassThrough();
      let text = '';
      s.on('data', (d: Buffer) => (text += d.toString()));
      return { s, text: () => text };
    };
    const simOut = sink();
    const simErr = sink();
    const stop = new AbortController();
    // `scs sim` itself on a real pseudo-terminal: contact 1 reads 250 Ω, the others 1000 Ω.
    const impedances = ['1=250', ...[2, 3, 4, 5, 6, 7, 8].map((c) => `${c}=1000`)].flatMap((v) => ['--impedance', v]);
    const sim = runSim(
      ['--json', '--telemetry-hz', '5', ...impedances],
      { stdout: simOut.s, stderr: simErr.s, stdin: new PassThrough(), env: {} },
      { signal: stop.signal },
    );
    try {
      await until(() => simOut.text().includes('\n'), 'the simulator JSON line');
      const doc = JSON.parse(simOut.text());
      expect(doc.impedances).toEqual([250, 1000, 1000, 1000, 1000, 1000, 1000, 1000]);
      // The script runs through the same runner and session machine as `scs script --json` (whose
      // lines are these StepResults), over the real serial binding; the runner is used directly so
      // the search dwell can be short (the CLI requires 500 ms on a serial port: 260 steps).
      link = openGeneratorLink({ port: doc.path, timing: TIMING });
      controller = createSessionController({ link, dwellMs: 1 });
      await controller.dispatch({ type: 'CONNECT' });
      // 12.85 mA is 257 search steps of 0.05 mA; three more must be refused at the ceiling.
      const lines: StepResult[] = JSON.parse(
        JSON.stringify(
          await runScript(
            steps(`electrodes 1- 2- 3- 4- 5+ 6+ 7+ 8+\npw 500\nsearch start\n${'amp up\n'.repeat(260)}`),
            controller,
          ),
        ),
      );
      expect(lines).toHaveLength(263);
      const start = lines[2]!;
      expect(start).toMatchObject({
        command: 'search start',
        accepted: true,
        generator: { output: 'on', contacts: '----++++', pulseWidthUs: 500 },
      });
      // Right after the impedance check: the most loaded contact, its share and the ceiling it sets.
      expect(start.chargeDensity).toEqual({
        contact: 1,
        polarity: 'cathode',
        sharePct: 57.1,
        densityUcPerCm2: 0,
        limitUcPerCm2: 30,
        densityMaxMa: 12.85,
        basis: 'impedance',
        reason: null,
      });
      const ups = lines.slice(3);
      expect(ups.slice(0, 257).every((l) => l.accepted)).toBe(true);
      expect(ups[256]!.generator!.amplitudeMa).toBe(12.85);
      for (const refused of ups.slice(257)) {
        expect(refused).toMatchObject({
          accepted: false,
          notices: [
            {
              kind: 'reject',
              field: 'amplitude',
              requested: 12.9,
              applied: null,
              reason:
                'charge-density limit 30 µC/cm² at 500 µs on contact 1 (57.1 % of the cathode current, by measured impedance)',
            },
          ],
          generator: { amplitudeMa: 12.85 },
        });
      }
      // 12.85 mA × 4/7 on 0.1225 cm² at 500 µs, next to the limit.
      expect(ups[259]!.chargeDensity).toMatchObject({
        contact: 1,
        sharePct: 57.1,
        densityUcPerCm2: Math.round(((((12_850 * 4) / 7) * 500) / 1e6 / 0.1225) * 100) / 100,
        limitUcPerCm2: 30,
      });
    } finally {
      stop.abort();
      await sim;
    }
  }, 120_000);
});
