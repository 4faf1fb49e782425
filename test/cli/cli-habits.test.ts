import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands.js';
import { commandArgs, takeLeadingGlobals } from '../../src/cli/global-options.js';
import { runScs } from '../reliability/run-scs.js';

/**
 * Issue 15, CLI habits: global options before or after the command, "did you mean" for a misspelt
 * command or option, `scs completion bash|zsh|fish`. Exit codes as README says: 2 for a usage mistake.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

function scs(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, CI: '', ...env },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('global options', () => {
  it('are taken from before the command, with their values, and moved behind it', () => {
    expect(takeLeadingGlobals(['--data-dir', '/d', '--json', 'diary', 'show'])).toEqual({
      globals: ['--data-dir', '/d', '--json'],
      rest: ['diary', 'show'],
    });
    expect(takeLeadingGlobals(['--data-dir=/d', '-h', 'cohort'])).toEqual({
      globals: ['--data-dir=/d', '-h'],
      rest: ['cohort'],
    });
    expect(takeLeadingGlobals(['--port', 'x'])).toEqual({ globals: [], rest: ['--port', 'x'] });
    // Between a command and its subcommand too; never past a `--`.
    expect(commandArgs(['--json', 'show', '--patient', 'P'], ['--data-dir', '/d'])).toEqual([
      'show',
      '--patient',
      'P',
      '--json',
      '--data-dir',
      '/d',
    ]);
    expect(commandArgs(['verify', '--', '--odd-file'], ['--json'])).toEqual(['verify', '--json', '--', '--odd-file']);
  });

  it('scs --data-dir DIR diary show works like scs diary show --data-dir DIR (and --json before the command too)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-globals-'));
    const added = scs([
      'diary',
      'add',
      '--patient',
      'P-1',
      '--phase',
      'baseline',
      '--nrs',
      '7',
      '--at',
      '2024-03-20T08:00+01:00',
      '--data-dir',
      dir,
    ]);
    expect(added.code).toBe(0);
    const before = scs(['--data-dir', dir, '--json', 'diary', 'show', '--patient', 'P-1']);
    expect(before.err).toBe('');
    expect(before.code).toBe(0);
    const after = scs(['diary', 'show', '--patient', 'P-1', '--json', '--data-dir', dir]);
    expect(after.code).toBe(0);
    expect(before.out).toBe(after.out);
    expect(JSON.stringify(JSON.parse(before.out))).toContain('"nrs":7');
    // Without the option the entry is not found: it lives only in DIR.
    const elsewhere = scs(['diary', 'show', '--patient', 'P-1', '--json'], { SCS_DATA_DIR: path.join(dir, 'other') });
    expect(elsewhere.code).toBe(1);
  });

  it("scs --help COMMAND shows that command's help", () => {
    const r = scs(['--help', 'diary']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: scs diary/);
  });
});

describe('did you mean', () => {
  it('a misspelt command exits 2 with a suggestion instead of the whole help', () => {
    const r = scs(['diarry']);
    expect(r.code).toBe(2);
    expect(r.err).toBe("scs: unknown command 'diarry'. Did you mean 'diary'? Run 'scs --help' for what each does.\n");
    expect(r.out).toBe('');
  });

  it('a misspelt option exits 2 naming the option it was probably meant to be', async () => {
    const r = await runScs(['diary', 'show', '--patient', 'P-1', '--jsn']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("Unknown option '--jsn' (did you mean --json?)");
    const sim = await runScs(['sim', '--telemetry-hs', '0']);
    expect(sim.code).toBe(2);
    expect(sim.err).toContain('(did you mean --telemetry-hz?)');
  });

  it('a misspelt subcommand gets a suggestion too', async () => {
    expect((await runScs(['diary', 'shwo'])).err).toContain("Did you mean 'show'?");
    expect((await runScs(['cohort', 'reprot'])).err).toContain("Did you mean 'report'?");
    expect((await runScs(['audit', 'verfy', 'x'])).err).toContain("Did you mean 'verify'?");
  });
});

describe('scs completion', () => {
  it('every subcommand the completion offers is one its command accepts', async () => {
    for (const [name, entry] of Object.entries(commands)) {
      for (const sub of entry.subcommands ?? []) {
        const r = await runScs([name, sub, '--help']);
        expect(r.code, `scs ${name} ${sub} --help: ${r.err}`).toBe(0);
      }
    }
  });

  it('bash: the script parses (bash -n) and completes commands, subcommands and options', async () => {
    const r = await runScs(['completion', 'bash']);
    expect(r.code).toBe(0);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scs-completion-')), 'scs.bash');
    fs.writeFileSync(file, r.out);
    expect(spawnSync('bash', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    const complete = (words: string[]) => {
      const set = `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}`;
      const run = spawnSync(
        'bash',
        ['-c', `source '${file}'; ${set}; _scs_complete; printf '%s\\n' "\${COMPREPLY[@]}"`],
        { encoding: 'utf8' },
      );
      return run.stdout.trim().split('\n');
    };
    expect(complete(['scs', 'di'])).toEqual(['diary']);
    expect(complete(['scs', '--data-dir', '/tmp', 'diary', 'ev'])).toEqual(['evaluate']);
    expect(complete(['scs', 'diary', 'show', '--js'])).toEqual(['--json']);
    expect(complete(['scs', 'co'])).toEqual(['cohort', 'completion']);
  });

  it('zsh and fish: every command is offered; an unknown shell is a usage mistake', async () => {
    const zsh = await runScs(['completion', 'zsh']);
    const fish = await runScs(['completion', 'fish']);
    expect(zsh.out.startsWith('#compdef scs\n')).toBe(true);
    for (const name of Object.keys(commands)) {
      expect(zsh.out).toContain(`'${name}:`);
      expect(fish.out).toContain(`-a ${name} -d `);
    }
    const bad = await runScs(['completion', 'bsh']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('(did you mean bash?)');
  });
});
