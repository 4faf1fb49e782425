import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The soak leaves nothing behind (issue 12): when it is interrupted (SIGINT, SIGTERM) or hits its hard
 * limit mid-phase, every child it started (here: diary writers of the SIGKILL phase) is killed by pid
 * before it exits. Real processes: the soak is spawned with a tiny budget, its descendants are read from
 * /proc while it runs, and each must be gone once it has exited.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const KILLS_ONLY = ['--fuzz-cases', '0', '--kills', '6000', '--restarts', '0', '--long-requests', '0'];

/** Every live (not zombie) process whose parent chain reaches `root`. */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat && stat.state !== 'Z') parent.set(Number(entry), stat.ppid);
  }
  const found: number[] = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        found.push(pid);
        break;
      }
    }
  }
  return found;
}

function readStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    // pid (comm) state ppid ...; comm may hold spaces and parentheses, so split after the last ')'.
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}
const readArgs = (pid: number): string[] => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
};
const alive = (pid: number) => {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
};

async function runSoak(args: string[], interrupt?: NodeJS.Signals) {
  const soak = spawn(process.execPath, ['--import', 'tsx', 'test/soak/run.ts', '--seed', '5', ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  soak.stdout.on('data', (d: Buffer) => (output += d.toString()));
  soak.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => soak.on('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  const seen = new Set<number>();
  const tempDirs = new Set<string>();
  let interrupted = false;
  while (!done) {
    for (const pid of descendants(soak.pid!)) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      // A diary writer's argv names its data directory (writer, dir, run).
      const dir = readArgs(pid).find((a) => a.includes('scs-soak-kill-'));
      if (dir) tempDirs.add(dir);
    }
    // Interrupt once the SIGKILL phase has writers running (two seen: at least one is past start-up).
    if (interrupt && !interrupted && seen.size >= 2) {
      interrupted = true;
      soak.kill(interrupt);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const code = await exited;
  // SIGKILLed orphans are reaped by init; give it a moment before calling one a survivor.
  for (let i = 0; i < 40 && [...seen].some(alive); i++) await new Promise((r) => setTimeout(r, 50));
  return { code, output, seen: [...seen], survivors: [...seen].filter(alive), tempDirs: [...tempDirs] };
}

describe('the soak leaves no child process behind', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s in the middle of the SIGKILL phase: every diary writer is killed, exit %i',
    async (signal, exitCode) => {
      const r = await runSoak(['--minutes', '2', ...KILLS_ONLY], signal);
      expect(r.seen.length, r.output).toBeGreaterThan(0);
      expect(r.output).toContain(`INTERRUPTED by ${signal}`);
      expect(r.survivors).toEqual([]);
      expect(r.code).toBe(exitCode);
      // Nor does it leave the writers' data directories.
      expect(r.tempDirs.length).toBeGreaterThan(0);
      expect(r.tempDirs.filter((d) => fs.existsSync(d))).toEqual([]);
    },
    120_000,
  );

  it('its hard limit in the middle of the SIGKILL phase: FAIL, and every diary writer is killed', async () => {
    const r = await runSoak(['--minutes', '2', '--hard-limit-s', '12', ...KILLS_ONLY]);
    expect(r.output).toContain('did not finish within 12 s');
    expect(r.seen.length, r.output).toBeGreaterThan(0);
    expect(r.survivors).toEqual([]);
    expect(r.code).toBe(1);
  }, 120_000);
});
