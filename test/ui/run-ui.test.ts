import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyChain } from '../../src/audit/audit-chain.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import { inProcessOpener } from '../../src/link/in-process-opener.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { runBedsideUi } from '../../src/ui/run-ui.js';
import startCommand from '../../src/cli/start-command.js';
import { UsageError } from '../../src/errors/user-error.js';
import type { CommandIo } from '../../src/cli/command.js';
import { UserError } from '../../src/errors/user-error.js';
import { until } from '../helpers/until.js';

/** The process shell in-process: a crash or a hang-up is routed through STOP like a signal. */

delete process.env.CI;

class FakeTty extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  output = '';
  private data: string | null = null;
  write = (chunk: string) => {
    this.output += chunk;
    return true;
  };
  type(data: string) {
    this.data = data;
    this.emit('readable');
  }
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setRawMode() {}
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

const generators: InProcessGenerator[] = [];
afterEach(() => {
  for (const g of generators.splice(0)) g.close();
});

function start(extra: { audit?: string; patient?: string; dataDir?: string } = {}) {
  const tty = new FakeTty();
  const errors = new FakeTty();
  // The UI writes its audit log to the data directory: a temporary one, never the real home.
  const dataDir = extra.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'scs-ui-data-'));
  const io = {
    stdin: tty,
    stdout: tty,
    stderr: errors,
    env: { NO_COLOR: '1', SCS_DATA_DIR: dataDir },
  } as unknown as CommandIo;
  const generator = createInProcessGenerator();
  generators.push(generator);
  type Listener = (...args: never[]) => void;
  const listeners = (name: 'uncaughtException' | 'SIGHUP'): Listener[] =>
    process.listeners(name as 'SIGHUP') as Listener[];
  const before = { uncaughtException: listeners('uncaughtException'), SIGHUP: listeners('SIGHUP') };
  const done = runBedsideUi({
    io,
    openLink: () => new SerialGeneratorLink({ opener: inProcessOpener(generator) }),
    listPorts: async () => ({ paths: [] }),
    patchConsole: false,
    ...(extra.audit ? { audit: extra.audit } : {}),
  });
  /** The handler runBedsideUi installed, called directly (emitting would reach the test runner's own). */
  const added = (name: 'uncaughtException' | 'SIGHUP') =>
    listeners(name).find((l) => !before[name].includes(l)) as unknown as (arg: unknown) => void;
  return { tty, errors, generator, done, added, dataDir };
}

async function stimulating(tty: FakeTty, generator: InProcessGenerator) {
  const model = generator.server.model;
  await until(() => tty.output.includes('Link: connected'), 'connection');
  tty.type('-');
  tty.type('\u001B[C');
  tty.type('+');
  tty.type('\r');
  await until(() => model.state.contacts === '-+000000', 'electrodes');
  tty.type('3');
  tty.type('b');
  await until(() => model.state.output === 'on', 'test output on');
}

describe('bedside process shell', () => {
  it('a crash sends STOP before the process ends, and says so without a stack trace', async () => {
    const { tty, errors, generator, done, added } = start();
    await stimulating(tty, generator);
    added('uncaughtException')(new Error('boom'));
    expect(await done).toBe(1);
    expect(generator.server.model.state.output).toBe('off');
    expect(generator.server.model.executions.map((e) => e.type)).toContain('STOP');
    expect(errors.output).toContain('internal error: boom');
    expect(tty.output).toContain('STOP confirmed by the generator: output off.');
    expect(errors.output).not.toMatch(/\n\s+at /);
  });

  it('a hang-up (terminal closed) sends STOP too', async () => {
    const { tty, generator, done, added } = start();
    await stimulating(tty, generator);
    added('SIGHUP')('SIGHUP');
    expect(await done).toBe(129);
    expect(generator.server.model.executions.map((e) => e.type)).toContain('STOP');
  });

  it('writes the hash-chained audit log by default: one per session, in the data directory, named by date and serial, mode 0600; says where on quit (issue 13)', async () => {
    const { tty, generator, done, dataDir } = start();
    await stimulating(tty, generator);
    tty.type('q');
    await until(() => tty.output.includes('Quit'), 'the quit dialog');
    tty.type('s');
    expect(await done).toBe(0);
    const files = fs.readdirSync(dataDir).filter((f) => f.endsWith('.jsonl'));
    expect(files).toHaveLength(1);
    const serial = generator.server.model.identity.serial;
    expect(files[0]).toMatch(
      new RegExp(
        `^session-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}Z-${serial.replace(/[^A-Za-z0-9_-]/g, '_')}\\.jsonl$`,
      ),
    );
    const file = path.join(dataDir, files[0]!);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(verifyChain(text).ok).toBe(true);
    const kinds = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { entry?: { kind?: string }; kind?: string });
    expect(JSON.stringify(kinds[0])).toMatch(/"kind":"session"/);
    expect(text).toMatch(/"kind":"stop"/);
    expect(tty.output).toContain(`Audit log of this session: ${file}`);
  });

  it('--audit FILE puts the log there', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scs-ui-audit-')), 'mine.jsonl');
    const { tty, generator, done, dataDir } = start({ audit: file });
    await stimulating(tty, generator);
    tty.type('q');
    await until(() => tty.output.includes('Quit'), 'the quit dialog');
    tty.type('s');
    expect(await done).toBe(0);
    expect(verifyChain(fs.readFileSync(file, 'utf8')).ok).toBe(true);
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.jsonl'))).toEqual([]);
    expect(tty.output).toContain(`Audit log of this session: ${file}`);
  });

  it('scs start --audit with --plain or --duration is refused: the status lines write no log', async () => {
    const io = { stdin: new FakeTty(), stdout: new FakeTty(), stderr: new FakeTty(), env: {} };
    for (const extra of [['--plain'], ['--duration', '100']])
      await expect(startCommand.run(['--audit', 'x.jsonl', ...extra], io as unknown as CommandIo)).rejects.toThrow(
        UsageError,
      );
  });

  it('refuses to start without a terminal, pointing to scs script', async () => {
    const io = {
      stdin: Object.assign(new EventEmitter(), { isTTY: false }),
      stdout: new FakeTty(),
      stderr: new FakeTty(),
      env: {},
    } as unknown as CommandIo;
    const run = runBedsideUi({
      io,
      openLink: () => {
        throw new Error('must not open a link');
      },
    });
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toThrow(/needs a terminal.*scs script FILE/);
  });
});
