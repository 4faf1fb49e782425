import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startPtyGenerator, type PtyGenerator } from '../../firmware-sim/pty-generator.js';
import { UserError } from '../../src/errors/user-error.js';
import type { CommandIo } from '../../src/cli/command.js';
import { runPorts } from '../../src/cli/ports-command.js';
import { until } from './link-test-kit.js';

/** `scs ports` and `scs start` as a person runs them: a real process, no terminal, no udev. */

const ROOT = path.resolve(import.meta.dirname, '../..');
let generator: PtyGenerator | undefined;
let binDir: string | undefined;

afterEach(async () => {
  await generator?.close();
  if (binDir) fs.rmSync(binDir, { recursive: true, force: true });
  generator = binDir = undefined;
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI as `node --import tsx src/cli/main.ts ARGS` with stdin closed unless `stdin` is 'pipe'. */
function scs(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: 'ignore' | 'pipe' } = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true', SCS_DEBUG: '', ...options.env },
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, ...out })));
  return { child, out, done };
}

/** A PATH holding only `node`: whatever the machine has, udevadm is missing, as in a container. */
function pathWithoutUdev(): string {
  binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-bin-'));
  fs.symlinkSync(process.execPath, path.join(binDir, 'node'));
  return binDir;
}

const STACK = /^\s+at /m;

describe('scs ports', () => {
  it('without udev says why listing is impossible and what to do, without a stack trace', async () => {
    const run = await scs(['ports'], { env: { PATH: pathWithoutUdev() } }).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/udevadm was not found/);
    expect(run.stderr).toMatch(/--port/);
    expect(run.stderr).toMatch(/scs sim/);
    expect(run.stderr).not.toMatch(STACK);
  });

  it('--json without udev prints one JSON document with the reason', async () => {
    const run = await scs(['ports', '--json'], { env: { PATH: pathWithoutUdev() } }).done;
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as { ports: null; error: string };
    expect(doc.ports).toBeNull();
    expect(doc.error).toMatch(/udevadm/);
  });

  it('lists what the binding finds, sorted, as text and as JSON', async () => {
    const io = fakeIo();
    const list = async () => [
      {
        path: '/dev/ttyUSB1',
        manufacturer: 'FTDI',
        serialNumber: 'A1',
        vendorId: '0403',
        productId: '6001',
        pnpId: undefined,
        locationId: undefined,
      },
      {
        path: '/dev/ttyACM0',
        manufacturer: undefined,
        serialNumber: undefined,
        vendorId: undefined,
        productId: undefined,
        pnpId: undefined,
        locationId: undefined,
      },
    ];
    expect(await runPorts([], io, list)).toBe(0);
    const text = io.text();
    expect(text.indexOf('/dev/ttyACM0')).toBeLessThan(text.indexOf('/dev/ttyUSB1'));
    expect(text).toMatch(/FTDI\s+0403:6001\s+serial A1/);
    const json = fakeIo();
    await runPorts(['--json'], json, list);
    expect(JSON.parse(json.text())).toEqual({
      ports: [
        {
          path: '/dev/ttyACM0',
          manufacturer: null,
          serialNumber: null,
          vendorId: null,
          productId: null,
          pnpId: null,
          locationId: null,
        },
        {
          path: '/dev/ttyUSB1',
          manufacturer: 'FTDI',
          serialNumber: 'A1',
          vendorId: '0403',
          productId: '6001',
          pnpId: null,
          locationId: null,
        },
      ],
    });
  });

  it('an empty list explains that pseudo-terminals are never listed', async () => {
    const io = fakeIo();
    await runPorts([], io, async () => []);
    expect(io.text()).toMatch(/Pseudo-terminals are never listed.*--port/);
  });

  it('rejects an unknown option as a usage error', async () => {
    await expect(runPorts(['--bogus'], fakeIo(), async () => [])).rejects.toBeInstanceOf(UserError);
  });
});

describe('scs start (plain, no terminal)', () => {
  it('with stdin closed: connects to the built-in simulator, prints its state, exits 0', async () => {
    const run = await scs([]).done;
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/connected to generator SIM-\d+ on built-in simulator/);
    expect(run.stdout).toMatch(/^state: output off/m);
    expect(run.code).toBe(0);
  });

  it('an unopenable --port gives a clear message, exit 1, no stack trace', async () => {
    const run = await scs(['--port', '/dev/scs-no-such-port']).done;
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no such port.*scs ports/);
    expect(run.stderr).not.toMatch(STACK);
  });

  it('rejects a bad --baud before opening anything', async () => {
    const run = await scs(['--port', '/dev/null', '--baud', 'fast']).done;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--baud must be a whole number/);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} sends STOP to a real generator on a pseudo-terminal before exiting`, async () => {
      generator = await startPtyGenerator({ telemetryHz: 20 });
      const { child, out, done } = scs(['--port', generator.path, '--plain'], { stdin: 'pipe' });
      // tsx compiles the sources at start-up: seconds under load (14 s measured beside six busy
      // processes), so the wait is bounded by the test's own time, not by a guess at the start-up.
      // The signal may land before the handshake ends: STOP must still go out (stop-during-handshake.test.ts).
      await until(() => /telemetry: /.test(out.stdout), 'the companion printing telemetry', 45_000);
      const before = generator.server.model.executions.length;
      child.kill(signal);
      const run = await done;
      const after = generator.server.model.executions.slice(before).map((e) => e.type);
      expect(after).toContain('STOP');
      expect(run.stdout).toMatch(/STOP confirmed: output off/);
      expect(run.code).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(run.stderr).not.toMatch(STACK);
    }, 60_000);
  }
});

function fakeIo(): CommandIo & { text(): string } {
  const stdout = new PassThrough();
  const chunks: string[] = [];
  stdout.on('data', (d: Buffer) => chunks.push(d.toString()));
  return {
    stdout,
    stderr: new PassThrough(),
    stdin: new PassThrough(),
    env: {},
    text: () => chunks.join(''),
  };
}
