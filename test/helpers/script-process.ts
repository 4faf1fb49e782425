import { spawn, type ChildProcess } from 'node:child_process';
import { trackChild } from './child-registry.js';

/** `scs script …` as a real process (bin/scs.js on this node), its output gathered as it comes. */
export interface ScriptProcess {
  child: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves with the exit code (null when ended by a signal). */
  exited: Promise<number | null>;
}

/** Starts `scs script` with `args` (the file first); tracked, so afterEach's killTrackedChildren ends it. */
export function spawnScript(args: readonly string[]): ScriptProcess {
  const child = trackChild(
    spawn(process.execPath, ['bin/scs.js', 'script', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}
