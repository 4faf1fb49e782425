import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as pty from 'node-pty';
import { sleep } from './stats.js';

/**
 * A program of this repository started in a real pty as a person would start it (node running the
 * given script from the repository root, CI unset so Ink renders live), with its screen text.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export interface PtyProcess {
  readonly pid: number;
  readonly exited: boolean;
  /** The last ~20 kB of output without escape sequences. */
  screen(): string;
  /** Resolves with ms since spawn when `text` is on screen; rejects on exit or timeout. */
  waitFor(text: string, timeoutMs?: number): Promise<number>;
  /** SIGTERM, then SIGKILL after 3 s; resolves when it has exited. */
  stop(): Promise<void>;
}

export function spawnInPty(args: readonly string[]): PtyProcess {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'CI') env[k] = v;
  const t0 = performance.now();
  const child = pty.spawn(process.execPath, [...args], { name: 'xterm-256color', cols: 100, rows: 30, cwd: ROOT, env });
  let raw = '';
  let exited = false;
  const waiters = new Set<() => void>();
  child.onData((data) => {
    raw = (raw + data).slice(-20_000);
    for (const w of [...waiters]) w();
  });
  const exit = new Promise<void>((resolve) =>
    child.onExit(() => {
      exited = true;
      for (const w of [...waiters]) w();
      resolve();
    }),
  );
  const screen = () => raw.replace(ANSI, '');
  return {
    pid: child.pid,
    get exited() {
      return exited;
    },
    screen,
    waitFor(text, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (screen().includes(text)) {
            done();
            resolve(performance.now() - t0);
          } else if (exited) {
            done();
            reject(new Error(`${args.join(' ')} exited before showing '${text}': ${screen().slice(-400)}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${args.join(' ')}: no '${text}' within ${timeoutMs} ms: ${screen().slice(-400)}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const killed = await Promise.race([exit.then(() => true), sleep(3000).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exit;
      }
    },
  };
}

/** Resident set size of a process, MB, from /proc/PID/status (Linux). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for pid ${pid}`);
  return kb / 1024;
}
