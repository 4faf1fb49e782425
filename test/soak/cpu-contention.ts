import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { trackChild } from '../helpers/child-registry.js';

/**
 * Runs `work` while one busy-looping child process per core competes for the CPU (issue 12: the soak
 * must hold under contention). Each child spins for at most `maxMs` and ends by itself; all are
 * SIGKILLed by pid as soon as `work` settles, whatever happened.
 */
export async function withCpuContention<T>(
  maxMs: number,
  work: () => Promise<T>,
): Promise<{ result: T; busy: number }> {
  const spin = `const end = Date.now() + ${Math.ceil(maxMs)}; let x = 0; while (Date.now() < end) x++;`;
  const children: ChildProcess[] = os
    .cpus()
    .map(() => trackChild(spawn(process.execPath, ['-e', spin], { stdio: 'ignore' })));
  const exited = children.map((c) => new Promise<void>((resolve) => c.once('exit', () => resolve())));
  const killAll = () => {
    for (const c of children)
      if (c.exitCode === null && c.signalCode === null && c.pid !== undefined) c.kill('SIGKILL');
  };
  // Even if this process is torn down mid-phase, the spinners do not outlive it.
  process.once('exit', killAll);
  try {
    return { result: await work(), busy: children.length };
  } finally {
    killAll();
    await Promise.all(exited);
    process.off('exit', killAll);
  }
}
