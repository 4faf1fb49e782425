import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { startPtyGenerator, type PtyGenerator } from '../../firmware-sim/pty-generator.js';
import { ErrorCode } from '../../protocol/index.js';
import { openGeneratorLink } from '../../src/link/open-link.js';
import type { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';

/**
 * Found by the fault soak: a line held back in transit across a generator reset (or a reconnect)
 * arrived after the companion's new HELLO and ran — a delayed `OUTPUT on=1` turned output on with
 * no new user action, and a duplicated line ran a second time. The generator now refuses requests
 * whose seq is not after the session's HELLO seq (STALE_SEQ, PROTOCOL.md §3).
 */

const PROGRAM = { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 0, contacts: '-+000000' };

describe('generator model: requests from before the session', () => {
  it('refuses a SET or OUTPUT whose seq is not after the HELLO, executes nothing, and still accepts STOP', () => {
    const model = new GeneratorModel();
    expect(model.handle({ type: 'HELLO', seq: 100, proto: 1 }, 0).type).toBe('ACK');
    expect(model.handle({ type: 'SET', seq: 101, ...PROGRAM }, 1).type).toBe('ACK');
    const executed = model.executions.length;
    for (const seq of [99, 100, 50, 100 + 32768]) {
      const reply = model.handle({ type: 'OUTPUT', seq, on: true, mode: 'test' }, 2);
      expect(reply, `seq ${seq}`).toMatchObject({ type: 'NAK', seq, code: ErrorCode.STALE_SEQ });
    }
    expect(model.executions.length).toBe(executed);
    expect(model.state.output).toBe('off');
    expect(model.handle({ type: 'STOP', seq: 7 }, 3)).toMatchObject({ type: 'ACK', of: 'STOP' });
    expect(model.handle({ type: 'OUTPUT', seq: 102, on: true, mode: 'test' }, 4)).toMatchObject({ type: 'ACK', state: { output: 'on' } });
  });

  it('follows the wrap from 65535 to 1', () => {
    const model = new GeneratorModel();
    model.handle({ type: 'HELLO', seq: 65535, proto: 1 }, 0);
    expect(model.handle({ type: 'SET', seq: 1, ...PROGRAM }, 1).type).toBe('ACK');
    expect(model.handle({ type: 'STATE', seq: 65534 }, 2)).toMatchObject({ type: 'NAK', code: ErrorCode.STALE_SEQ });
  });
});

let generator: PtyGenerator | undefined;
let link: SerialGeneratorLink | undefined;
let dir: string | undefined;
afterEach(async () => {
  await link?.close();
  await generator?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  link = generator = dir = undefined;
});

describe('over a real pseudo-terminal', () => {
  it('an OUTPUT on delayed across a generator reset does not turn output on after the reconnect', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-stale-'));
    generator = await startPtyGenerator({ telemetryHz: 0, linkPath: path.join(dir, 'generator') });
    link = openGeneratorLink({ port: path.join(dir, 'generator'), timing: { reconnectDelayMs: 5, requestTimeoutMs: 250 }, firstSeq: 1 });
    await link.connect();
    await link.setProgram(PROGRAM);
    generator.server.faults.setRates('inbound', { delay: 1, delayMs: 150 });
    const on = link.setOutput(true, 'test');
    await new Promise((r) => setTimeout(r, 5));
    generator.server.faults.setRates('inbound', {});
    generator.server.reset();
    await expect(on).rejects.toThrow(/not confirmed/);
    // Wait until the held line has arrived (after the companion's new HELLO) and been answered.
    const model = generator.server.model;
    for (let i = 0; i < 200 && generator.server.counters.linesIn < 6; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(model.executions.map((e) => e.type)).not.toContain('OUTPUT');
    expect(model.state.output).toBe('off');
    expect(model.executions.filter((e) => e.type === 'HELLO')).toHaveLength(2);
  });
});
