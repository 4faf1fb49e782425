import { spawn as spawnChild } from 'node:child_process';
import path from 'node:path';
import * as pty from 'node-pty';
import { afterEach, describe, expect, it } from 'vitest';
import { startPtyGenerator, type PtyGenerator } from '../../firmware-sim/pty-generator.js';
import { ScreenEmulator } from './screen-emulator.js';

/**
 * `scs` in a real pseudo-terminal (80×24, CI unset so Ink draws live), connected over a second
 * pseudo-terminal to a simulator this test owns: keys go in, the screen is read back, and every
 * check of stimulation is made on the simulated generator's own state.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');
const KEYS = { right: '\u001B[C', up: '\u001B[A', enter: '\r', space: ' ', ctrlC: '\u0003' };

function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && k !== 'CI' && !k.startsWith('VITEST')) env[k] = v;
  return { ...env, TERM: 'xterm-256color', NO_COLOR: '1' };
}

interface Bedside {
  term: pty.IPty;
  screen: ScreenEmulator;
  exit: Promise<number>;
  type(...keys: string[]): void;
  waitScreen(text: string | RegExp): Promise<string>;
}

function startBedside(generator: PtyGenerator): Bedside {
  const screen = new ScreenEmulator(80, 24);
  const term = pty.spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', generator.path], {
    name: 'xterm-256color',
    cols: 80,
    rows: 24,
    cwd: ROOT,
    env: childEnv(),
  });
  term.onData((d) => screen.write(d));
  const exit = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  return {
    term,
    screen,
    exit,
    type: (...keys) => {
      for (const k of keys) term.write(k);
    },
    waitScreen: (text) =>
      waitFor(
        () => (typeof text === 'string' ? screen.text().includes(text) : text.test(screen.text())),
        `screen to show ${text}`,
        () => screen.text(),
      ),
  };
}

async function waitFor<T>(check: () => T | false, what: string, show: () => string = () => ''): Promise<string> {
  for (let i = 0; i < 600; i++) {
    if (check()) return show();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}\n${show()}`);
}

const generators: PtyGenerator[] = [];
const terms: pty.IPty[] = [];
afterEach(async () => {
  for (const t of terms.splice(0)) {
    try {
      t.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const g of generators.splice(0)) await g.close();
});

async function setUp() {
  const generator = await startPtyGenerator();
  generators.push(generator);
  const bedside = startBedside(generator);
  terms.push(bedside.term);
  const model = () => generator.server.model.state;
  await bedside.waitScreen(`Link: connected (${generator.path})`);
  return { generator, bedside, model };
}

/** Electrodes 1- 2+, begin the search, one step up once the dwell allows it. */
async function stimulate(
  bedside: Bedside,
  model: () => { output: string; amplitudeUa: number; contacts: string; mode: string },
) {
  const show = () => `${JSON.stringify(model())}\n${bedside.screen.text()}`;
  bedside.type('-', KEYS.right, '+', KEYS.enter);
  await waitFor(() => model().contacts === '-+000000', 'electrodes on the generator', show);
  // As a person would: wait until the screen shows the read-back and the session ready again.
  await bedside.waitScreen(/phase: ready[\s\S]*Lead +\[ 1-\] \[ 2\+\]/);
  bedside.type('3', 'b');
  await waitFor(() => model().output === 'on' && model().mode === 'test', 'test output on', show);
  await bedside.waitScreen('Dwell: ready for the next step');
  bedside.type(KEYS.up);
  await waitFor(() => model().amplitudeUa === 50, 'one step up on the generator', show);
  await bedside.waitScreen(/OUTPUT ON test\s+Amp: 0\.05 mA/);
}

describe('scs bedside UI in a real terminal', () => {
  it('sets electrodes, searches, steps up, and Space stops the generator', async () => {
    const { bedside, model } = await setUp();
    const first = bedside.screen.text();
    expect(first.split('\n')[0]).toContain('SPACE = STOP');
    await stimulate(bedside, model);
    expect(bedside.screen.text()).toContain('Threshold search   SEARCHING');
    bedside.type(KEYS.space);
    await waitFor(() => model().output === 'off', 'generator output off');
    await bedside.waitScreen('Output: off');
    bedside.type(KEYS.ctrlC);
    expect(await bedside.exit).toBe(0);
  });

  it('Ctrl+C sends STOP before the process exits', async () => {
    const { bedside, model, generator } = await setUp();
    await stimulate(bedside, model);
    bedside.type(KEYS.ctrlC);
    expect(await bedside.exit).toBe(0);
    expect(model().output).toBe('off');
    // Off by a STOP request, not by the generator noticing that the link went away.
    expect(generator.server.model.executions.map((e) => e.type)).toContain('STOP');
    expect(bedside.screen.text()).toContain('STOP confirmed by the generator');
  });

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} sends STOP before the process exits`, async () => {
      const { bedside, model, generator } = await setUp();
      await stimulate(bedside, model);
      process.kill(bedside.term.pid, signal);
      expect(await bedside.exit).toBe(code);
      expect(model().output).toBe('off');
      expect(generator.server.model.executions.map((e) => e.type)).toContain('STOP');
      expect(bedside.screen.text()).toContain('STOP confirmed by the generator');
    });
  }

  it('the help overlay opens over any screen and Space still stops', async () => {
    const { bedside, model } = await setUp();
    await stimulate(bedside, model);
    bedside.type('?');
    await bedside.waitScreen('mark sensory threshold');
    bedside.type(KEYS.space);
    await waitFor(() => model().output === 'off', 'generator output off');
  });
});

describe('scs without a terminal', () => {
  it('says the UI needs one, points to scs script and --plain, and falls back to plain lines', async () => {
    const child = spawnChild(process.execPath, ['--import', 'tsx', MAIN], {
      cwd: ROOT,
      env: childEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await waitFor(
      () => /state: output off/.test(out),
      'plain state line',
      () => out + err,
    );
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/bedside UI needs a terminal/);
    expect(out).toMatch(/scs script FILE/);
    expect(out).toMatch(/--plain/);
    expect(err).not.toMatch(/\n\s+at /);
  });
});
