import { PassThrough } from 'node:stream';
import { UserError } from '../../src/errors/user-error.js';
import { exitCodeOf } from '../../src/cli/cli-error.js';
import { commands } from '../../src/cli/commands.js';

/**
 * Runs `scs COMMAND ARGS` in-process, the way src/cli/main.ts does: a UserError becomes its exit code
 * and `scs: MESSAGE` on stderr; anything else is a crash and is rethrown (a person would see a stack
 * trace, which the bad-input tests must catch).
 */
export async function runScs(
  argv: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; out: string; err: string }> {
  const [name, ...args] = argv;
  const entry = commands[name!];
  if (!entry) throw new Error(`no such command ${name}`);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdin.end(options.stdin ?? '');
  let code: number;
  try {
    code = await (await entry.load()).run(args, { stdout, stderr, stdin, env: options.env ?? {} });
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    code = exitCodeOf(e);
    err += `scs: ${e.message}\n`;
  }
  return { code, out, err };
}
