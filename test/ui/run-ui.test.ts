import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import { inProcessOpener } from '../../src/link/in-process-opener.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import { runBedsideUi } from '../../src/ui/run-ui.js';
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

function start() {
  const tty = new FakeTty();
  const errors = new FakeTty();
  const io = { stdin: tty, stdout: tty, stderr: errors, env: { NO_COLOR: '1' } } as unknown as CommandIo;
  const generator = createInProcessGenerator();
  generators.push(generator);
  type Listener = (...args: never[]) => void;
  const listeners = (name: 'uncaughtException' | 'SIGHUP'): Listener[] => process.listeners(name as 'SIGHUP') as Listener[];
  const before = { uncaughtException: listeners('uncaughtException'), SIGHUP: listeners('SIGHUP') };
  const done = runBedsideUi({
    io,
    openLink: () => new SerialGeneratorLink({ opener: inProcessOpener(generator) }),
    listPorts: async () => ({ paths: [] }),
    patchConsole: false,
  });
  /** The handler runBedsideUi installed, called directly (emitting would reach the test runner's own). */
  const added = (name: 'uncaughtException' | 'SIGHUP') => listeners(name).find((l) => !before[name].includes(l)) as unknown as (arg: unknown) => void;
  return { tty, errors, generator, done, added };
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

  it('refuses to start without a terminal, pointing to scs script', async () => {
    const io = { stdin: Object.assign(new EventEmitter(), { isTTY: false }), stdout: new FakeTty(), stderr: new FakeTty(), env: {} } as unknown as CommandIo;
    const run = runBedsideUi({ io, openLink: () => {
      throw new Error('must not open a link');
    } });
    await expect(run).rejects.toBeInstanceOf(UserError);
    await expect(run).rejects.toThrow(/needs a terminal.*scs script FILE/);
  });
});
