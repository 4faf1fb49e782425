import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { SerialPort } from 'serialport';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import { runSim } from '../../src/cli/sim-command.js';
import { linkPathProblem } from '../../src/cli/sim-link-path.js';
import { UsageError } from '../../src/errors/user-error.js';
import type { CommandIo } from '../../src/cli/command.js';
import { LineClient, until } from './line-client.js';

function fakeIo(): { io: CommandIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) => {
    const s = new PassThrough();
    s.on('data', (d: Buffer) => append(d.toString()));
    return s;
  };
  const io: CommandIo = {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    stdin: new PassThrough(),
    env: {},
  };
  return { io, out: () => out, err: () => err };
}

async function openPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  return port;
}

describe('scs sim', () => {
  it('--json prints one JSON line with the path; a serialport client gets HELLO answered; abort stops it', async () => {
    const { io, out, err } = fakeIo();
    const stop = new AbortController();
    const done = runSim(['--json', '--telemetry-hz', '0', '--contacts', '16', '--watchdog-ms', '500'], io, {
      signal: stop.signal,
    });
    await until(() => out().includes('\n'), 'the JSON line');
    const doc = JSON.parse(out());
    expect(doc).toMatchObject({
      path: expect.stringMatching(/^\/dev\/pts\/\d+$/),
      protocol: 2,
      contacts: 16,
      watchdogMs: 500,
      serial: 'SIM-000001',
    });
    expect(err()).toContain(`connect with: scs --port ${doc.path}`);
    const port = await openPort(doc.path);
    const client = new LineClient(port);
    const hello = await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
    expect(hello).toMatchObject({ type: 'ACK', of: 'HELLO', limits: { contactCount: 16, watchdogMs: 500 } });
    await new Promise((r) => port.close(r));
    stop.abort();
    expect(await done).toBe(0);
    expect(out().trim().split('\n')).toHaveLength(1);
  });

  it('injects faults from flags: --drop 1 leaves every request unanswered and counts it', async () => {
    const { io, out } = fakeIo();
    const stop = new AbortController();
    const done = runSim(['--json', '--telemetry-hz', '0', '--drop', '1', '--faults-on', 'inbound'], io, {
      signal: stop.signal,
    });
    await until(() => out().includes('\n'), 'the JSON line');
    const port = await openPort(JSON.parse(out()).path);
    const client = new LineClient(port);
    await expect(client.request({ type: 'HB', seq: 1 }, 300)).rejects.toThrow(/timed out/);
    await new Promise((r) => port.close(r));
    stop.abort();
    expect(await done).toBe(0);
  });

  it.each([
    [['--drop', '1.5'], /--drop must be a probability/],
    [['--corrupt', 'x'], /--corrupt must be a probability/],
    [['--contacts', '0'], /--contacts must be a whole number from 1 to 32/],
    [['--faults-on', 'sideways'], /--faults-on must be/],
    [['--telemetry-hz', '-1'], /--telemetry-hz/],
    [['--bogus'], /Unknown option '--bogus'.*scs sim --help/],
  ])('refuses %j with a usage error', async (args, message) => {
    const { io } = fakeIo();
    const error = await runSim(args, io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });

  it('--help lists every flag', async () => {
    const { io, out } = fakeIo();
    expect(await runSim(['--help'], io)).toBe(0);
    for (const flag of [
      '--drop',
      '--corrupt',
      '--duplicate',
      '--delay',
      '--delay-ms',
      '--seed',
      '--telemetry-hz',
      '--contacts',
      '--watchdog-ms',
      '--json',
    ]) {
      expect(out()).toContain(flag);
    }
  });

  it('as a process: an impossible --link says why and exits 1 at once (no pty left open, no hang)', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'sim', '--link', '/nonexistent/dir/gen'],
      {
        cwd: new URL('../..', import.meta.url).pathname,
        encoding: 'utf8',
        timeout: 20_000,
        killSignal: 'SIGKILL',
      },
    );
    expect(r.signal).toBeNull(); // killed by the timeout = it hung
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('--link /nonexistent/dir/gen: the directory /nonexistent/dir does not exist');
    expect(r.stdout).not.toContain('ready');
  });

  it('as a process: --link where no symlink can be made (/proc, even for root) is refused before anything is logged, exit 1', () => {
    // bb3 F-L11(a): it logged "stream attached" and "unplugged" before "cannot create the link: ENOENT".
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sim', '--link', '/proc/x'], {
      cwd: new URL('../..', import.meta.url).pathname,
      encoding: 'utf8',
      timeout: 20_000,
      killSignal: 'SIGKILL',
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1); // README: a refused --link path exits 1 before anything starts
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^scs: --link \/proc\/x: [^\n]*\/proc[^\n]*\. Choose another path\.\n$/);
    expect(readdirSync('/proc').filter((f) => f.includes('scs-probe'))).toEqual([]);
  });

  it('--link is checked with a probe symlink that is removed again; a free path in a writable directory passes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scs-sim-link-'));
    expect(linkPathProblem(path.join(dir, 'gen'))).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
    expect(linkPathProblem(path.join(dir, 'no', 'gen'))).toMatch(/does not exist/);
  });

  it('--link never replaces a file that is not a symlink', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scs-sim-link-'));
    const keep = path.join(dir, 'notes.txt');
    writeFileSync(keep, 'keep me');
    const { io } = fakeIo();
    await expect(runSim(['--link', keep, '--telemetry-hz', '0'], io)).rejects.toThrow(/exists and is not a symlink/);
    expect(readFileSync(keep, 'utf8')).toBe('keep me');
  });

  it('as a process: prints the ready line and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sim', '--telemetry-hz', '0'], {
      cwd: new URL('../..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until(() => /connect with: scs --port \/dev\/pts\/\d+/.test(out), 'the ready line', 20_000);
    expect(out).toMatch(/^Simulated generator ready on (\/dev\/pts\/\d+) — connect with: scs --port \1$/m);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('stopping (SIGTERM)');
  });
});
