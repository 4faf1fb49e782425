import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildCommand, ChildReport } from './paced-child.js';

const CHILD = fileURLToPath(new URL('./paced-child.ts', import.meta.url));

/** When the generator is next left with output off, armed before the STOP is sent (stop-core.ts). */
export interface OutputOffWatch {
  /** Resolves with that time, in this process's performance.now() frame. */
  arm(): Promise<number>;
  restore(): void;
}

/**
 * The simulator and its 115200-baud pacer in a child process (paced-child.ts), on a pty whose slave
 * path the companion opens here: the paced bench's truer setting, where the generator's UART timing
 * and the companion's event loop do not share one thread.
 */
export interface ChildRig {
  readonly path: string;
  /** The child's process id. */
  readonly pid: number;
  serveSimulator(baud?: number, fifo?: boolean): Promise<void>;
  outputOffWatch(): OutputOffWatch;
  close(): Promise<void>;
}

export async function startChildRig(telemetryHz: number): Promise<ChildRig> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, String(telemetryHz)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = (type: ChildReport['type']) =>
    new Promise<ChildReport>((resolve, reject) => {
      const onMessage = (report: ChildReport) => {
        if (report.type !== type) return;
        child.off('message', onMessage);
        resolve(report);
      };
      child.on('message', onMessage);
      void exited.then(() => reject(new Error(`the paced simulator exited before '${type}'`)));
    });
  const command = (c: ChildCommand) => child.send(c);
  const ready = await next('ready');
  if (ready.type !== 'ready') throw new Error('unreachable');
  return {
    path: ready.path,
    pid: child.pid!,
    async serveSimulator(baud, fifo) {
      const served = next('served');
      command({ type: 'serve', baud, fifo });
      await served;
    },
    outputOffWatch() {
      let waiting: { since: number; resolve: (at: number) => void } | undefined;
      const onMessage = (report: ChildReport) => {
        if (report.type !== 'off' || !waiting) return;
        const at = report.at - performance.timeOrigin;
        if (at < waiting.since) return; // an off from before this STOP
        waiting.resolve(at);
        waiting = undefined;
      };
      child.on('message', onMessage);
      return {
        arm: () => new Promise<number>((resolve) => (waiting = { since: performance.now(), resolve })),
        restore: () => child.off('message', onMessage),
      };
    },
    async close() {
      if (child.exitCode === null && child.connected) command({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
