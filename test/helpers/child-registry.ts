import type { ChildProcess } from 'node:child_process';

/**
 * Every child process a soak or reliability helper starts (diary writers, companions, CPU spinners),
 * so a soak that ends early (its hard limit, SIGINT, SIGTERM) can SIGKILL them by pid and leave
 * nothing behind. A child leaves the set when it exits.
 */
const live = new Set<ChildProcess>();

/** Tracks `child` until it exits; returns it. */
export function trackChild<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGKILLs every tracked child still running (synchronous: safe inside an 'exit' handler). */
export function killTrackedChildren(): number {
  let killed = 0;
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill('SIGKILL');
      killed++;
    }
  }
  live.clear();
  return killed;
}

/**
 * From now on this process kills its tracked children whenever it ends: a normal exit, process.exit()
 * (a hard limit), or SIGINT/SIGTERM/SIGHUP (then it exits 128 + signal number, as a shell reports it).
 */
export function killChildrenOnExit(onSignal?: (signal: NodeJS.Signals) => void): void {
  process.once('exit', killTrackedChildren);
  const codes: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
  for (const [signal, n] of Object.entries(codes) as [NodeJS.Signals, number][]) {
    process.once(signal, () => {
      killTrackedChildren();
      try {
        onSignal?.(signal);
      } finally {
        process.exit(128 + n);
      }
    });
  }
}
