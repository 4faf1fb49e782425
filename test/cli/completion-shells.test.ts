/**
 * `scs completion zsh|fish` checked by the shells themselves (issue 15): each script parses
 * (`zsh -n`, `fish -n`) and completes a command, a subcommand after a global option with a value,
 * and an option. zsh's completion system needs a terminal, so its builtins (`_describe`, `compadd`,
 * `_arguments`, `_files`) are replaced by ones that print what `_scs` offers; fish runs its own
 * `complete -C`. A missing shell fails the test with the command that installs it (.ci/run does).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScs } from '../reliability/run-scs.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-completion-shells-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function requireShell(shell: 'zsh' | 'fish'): void {
  const found = spawnSync('sh', ['-c', `command -v ${shell}`], { encoding: 'utf8' }).status === 0;
  expect(found, `${shell} is not installed: apt-get install -y ${shell} (.ci/run installs it)`).toBe(true);
}

async function script(shell: 'zsh' | 'fish'): Promise<string> {
  const r = await runScs(['completion', shell]);
  expect(r.code).toBe(0);
  const file = path.join(dir, `scs.${shell}`);
  fs.writeFileSync(file, r.out);
  return file;
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('scs completion zsh', () => {
  it('parses (zsh -n) and offers commands, subcommands past --data-dir DIR, and options', async () => {
    requireShell('zsh');
    const file = await script('zsh');
    const syntax = spawnSync('zsh', ['-n', file], { encoding: 'utf8' });
    expect([syntax.status, syntax.stderr]).toEqual([0, '']);
    const stubs = [
      'compdef() { :; }',
      '_describe() { print -l -- "${(@P)4}"; }',
      'compadd() { shift; print -l -- "$@"; }',
      '_arguments() { print -l -- "$@"; }',
      '_files() { print FILES; }',
    ].join('; ');
    const complete = (words: string[]) => {
      const set = `words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}`;
      const run = spawnSync('zsh', ['-f', '-c', `${stubs}; source '${file}'; ${set}; _scs`], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      return lines(run.stdout);
    };
    const commands = complete(['scs', '']);
    expect(commands).toContain(
      'diary:trial diary: add, import, export, show, correct; evaluate the 48 h ≥30% criterion',
    );
    expect(commands).toContain('completion:print a shell completion script: scs completion bash|zsh|fish');
    expect(complete(['scs', '--data-dir', '/tmp', 'diary', ''])).toEqual([
      'add',
      'import',
      'export',
      'show',
      'correct',
      'trial',
      'evaluate',
      'invite',
      'serve',
    ]);
    expect(complete(['scs', 'diary', 'show', ''])).toEqual(['FILES']);
    expect(complete(['scs', 'diary', 'show', '--js']).filter((w) => w.startsWith('--json'))).toHaveLength(1);
  });
});

describe('scs completion fish', () => {
  it('parses (fish -n) and completes commands, subcommands past --data-dir DIR, and options', async () => {
    requireShell('fish');
    const file = await script('fish');
    const syntax = spawnSync('fish', ['-n', file], { encoding: 'utf8' });
    expect([syntax.status, syntax.stderr]).toEqual([0, '']);
    const complete = (line: string) => {
      const run = spawnSync('fish', ['--no-config', '-c', `source '${file}'; complete -C '${line}'`], {
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      return lines(run.stdout).map((l) => l.split('\t')[0]);
    };
    expect(complete('scs di')).toEqual(['diary']);
    expect(complete('scs co')).toEqual(['cohort', 'completion']);
    expect(complete('scs --data-dir /tmp di')).toEqual(['diary']);
    expect(complete('scs --data-dir /tmp diary ev')).toEqual(['evaluate']);
    expect(complete('scs diary show --js')).toEqual(['--json']);
  });
});
