import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessGenerator } from '../../firmware-sim/in-process.js';
import { CANCEL } from '../../protocol/index.js';
import { inProcessOpener } from '../../src/link/in-process-opener.js';
import { debugEnabled, linkTrace } from '../../src/link/link-trace.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { FAST, PROGRAM, decoded, tapOpener } from './link-test-kit.js';

/** Issue 18 item 7: a link trace an engineer can turn on (DEBUG=scs:* / SCS_DEBUG=link), on stderr only. */

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('which settings turn the link trace on', () => {
  it("follows debug's syntax for DEBUG and a word list for SCS_DEBUG; off by default", () => {
    const on = (env: NodeJS.ProcessEnv) => linkTrace(env, () => {}) !== undefined;
    expect(on({})).toBe(false);
    expect(on({ DEBUG: 'scs:*' })).toBe(true);
    expect(on({ DEBUG: 'scs:link' })).toBe(true);
    expect(on({ DEBUG: '*' })).toBe(true);
    expect(on({ DEBUG: 'express:*, scs:link' })).toBe(true);
    expect(on({ DEBUG: 'scs:ui' })).toBe(false);
    expect(on({ DEBUG: 'scs:*,-scs:link' })).toBe(false);
    expect(on({ SCS_DEBUG: 'link' })).toBe(true);
    expect(on({ SCS_DEBUG: 'ui,link' })).toBe(true);
    // SCS_DEBUG=1 has meant "stack traces of internal errors" since before the trace: it stays that.
    expect(on({ SCS_DEBUG: '1' })).toBe(false);
    expect(debugEnabled('scs:l*k', 'scs:link')).toBe(true);
    expect(debugEnabled('scs:lin', 'scs:link')).toBe(false);
  });

  it('writes one timestamped line per line sent and received, and says when it retransmits', async () => {
    const lines: string[] = [];
    const generator = createInProcessGenerator({ telemetryHz: 0 });
    const { opener, tap } = tapOpener(inProcessOpener(generator));
    const link = new SerialGeneratorLink({
      opener,
      timing: { ...FAST, heartbeatIntervalMs: 60_000 },
      trace: linkTrace({ DEBUG: 'scs:link' }, (text) => lines.push(text)),
    });
    try {
      await link.connect();
      // Lose the first reply to the SET: the link retransmits the same line, and the trace says so.
      let dropped = false;
      tap.onInbound = (line, deliver) => {
        const m = decoded(line);
        if (!dropped && m?.type === 'ACK' && m.of === 'SET') dropped = true;
        else deliver(line);
      };
      await link.setProgram(PROGRAM);
    } finally {
      await link.close();
      generator.close();
    }
    const stamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z scs:link /;
    expect(lines.every((l) => stamp.test(l) && l.endsWith('\n'))).toBe(true);
    const text = lines.join('');
    expect(text).toMatch(/scs:link > CAN/);
    expect(text).toMatch(/scs:link > HELLO /);
    expect(text).toMatch(/scs:link < ACK [^\n]*of=HELLO/);
    expect(text).toMatch(/no reply to SET seq \d+: retransmitting the same line/);
    expect(text).toMatch(/scs:link status connected/);
    // Every line the companion wrote is in the trace, in order.
    const sent = lines
      .filter((l) => / scs:link > (CAN )?[A-Z]+ \S/.test(l) && !l.includes('partial line'))
      .map((l) => l.replace(/^.* scs:link > (CAN )?/, '').trim());
    expect(sent).toEqual(tap.outbound.map((l) => l.slice(l.lastIndexOf(CANCEL) + 1)));
  });
});

function scsScript(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'scs-trace-'));
  const file = path.join(dir, 'short.scs');
  fs.writeFileSync(file, 'electrodes 1- 2+\nrate 45\n');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'script', file, '--json'], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', DEBUG: '', SCS_DEBUG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('scs script with the trace on and off', () => {
  for (const env of [{ DEBUG: 'scs:*' }, { SCS_DEBUG: 'link' }]) {
    it(`${Object.entries(env)[0]!.join('=')}: every line on stderr, stdout still pure JSON`, async () => {
      const run = await scsScript(env);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/^\S+Z scs:link > HELLO /m);
      expect(run.stderr).toMatch(/^\S+Z scs:link < ACK [^\n]*of=SET/m);
      expect(run.stdout).not.toMatch(/scs:link/);
      const lines = run.stdout.trim().split('\n');
      expect(lines.map((l) => JSON.parse(l) as { command?: string }).filter((l) => l.command)).toHaveLength(2);
    }, 60_000);
  }

  it('off by default: nothing on stderr', async () => {
    const run = await scsScript({});
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  }, 60_000);
});
