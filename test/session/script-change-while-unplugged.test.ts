import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandIo } from '../../src/cli/command.js';
import { runScriptCommand } from '../../src/cli/script-command.js';
import { runSim } from '../../src/cli/sim-command.js';
import { COMMITTED_SCRIPT } from '../helpers/sim-script.js';
import { until } from '../helpers/until.js';

/**
 * Black-box finding (blackbox-2, HIGH): committed therapy at 0.1 mA, the link is unplugged, the
 * patient's remote sets 0.5 mA (2.5x the discomfort threshold), the link comes back. README H17/H10
 * and PROTOCOL.md §4.2: a state whose rev differs from what the companion's own last read or write
 * left is shown as a change made elsewhere, with the measured window checked, also after a reconnect
 * (the EVT was lost with the link). Through the real CLI and simulator on a pseudo-terminal.
 */

let stopSim: AbortController | undefined;
let simDone: Promise<number> | undefined;
let dir: string | undefined;
afterEach(async () => {
  stopSim?.abort();
  await simDone;
  stopSim = simDone = undefined;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function sink(append: (s: string) => void): PassThrough {
  const s = new PassThrough();
  s.on('data', (d: Buffer) => append(d.toString()));
  return s;
}

type Line = {
  command?: string;
  event?: string;
  notices: Array<{ kind: string; field: string; reason: string }>;
  generator: { amplitudeMa: number; mode: string; programRev: number } | null;
};

describe('a change made with the remote while the link is down (H17 after a reconnect)', () => {
  it('is reported on reconnection as changed outside the companion, with the out-of-window warning, and audited', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-unplugged-'));
    // A stable path: the replugged simulator is another pseudo-terminal behind the same link.
    const port = path.join(dir, 'link');
    let simOut = '';
    let simLog = '';
    const simIn = new PassThrough();
    stopSim = new AbortController();
    simDone = runSim(
      ['--json', '--telemetry-hz', '10', '--link', port],
      { stdout: sink((s) => (simOut += s)), stderr: sink((s) => (simLog += s)), stdin: simIn, env: {} },
      { signal: stopSim.signal },
    );
    await until(() => simOut.includes('\n'), 'the simulator');
    const script = path.join(dir, 's.scs');
    const auditFile = path.join(dir, 'audit.jsonl');
    // Window 0.1–0.2 mA; therapy committed at 0.1 mA; then long waits for the unplug and replug.
    fs.writeFileSync(script, [...COMMITTED_SCRIPT, 'wait 4000', 'wait 3000'].join('\n'));
    let out = '';
    const lines = () =>
      out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Line);
    const io: CommandIo = {
      stdout: sink((s) => (out += s)),
      stderr: sink(() => {}),
      stdin: new PassThrough(),
      env: {},
    };
    const done = runScriptCommand([script, '--port', port, '--json', '--dwell-ms', '500', '--audit', auditFile], io);
    await until(() => lines().some((l) => l.command === 'commit'), 'commit', 30_000);
    const committed = lines().find((l) => l.command === 'commit')!;
    expect(committed.generator).toMatchObject({ mode: 'therapy', amplitudeMa: 0.1 });
    simIn.write('unplug\n');
    await until(() => simLog.includes('unplugged'), 'the unplug');
    simIn.write('remote amp 0.5\n');
    await until(() => simLog.includes('remote changed the program'), 'the remote change');
    simIn.write('replug\n');
    expect(await done).toBe(0);

    const all = lines();
    const outside = all.flatMap((l) =>
      l.notices.filter((n) => n.field === 'program' && /changed outside the companion/.test(n.reason)),
    );
    expect(outside, 'one H17 warning for the change made while unplugged').toHaveLength(1);
    expect(outside[0]!.kind).toBe('warn');
    expect(outside[0]!.reason).toMatch(/0\.5 mA/);
    const window = all.flatMap((l) =>
      l.notices.filter((n) => n.field === 'amplitude' && /outside the measured window 0\.1–0\.2 mA/.test(n.reason)),
    );
    expect(window, 'the out-of-window warning, at once').toHaveLength(1);
    const last = all[all.length - 1]!;
    expect(last.generator).toMatchObject({ mode: 'therapy', amplitudeMa: 0.5 });
    // The audit log keeps it too.
    const audit = fs.readFileSync(auditFile, 'utf8');
    expect(audit).toMatch(/changed outside the companion \(rev \d+ → \d+\): now [^"]*0\.5 mA/);
  }, 90_000);
});
