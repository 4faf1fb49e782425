import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killTrackedChildren } from '../helpers/child-registry.js';
import { spawnScript } from '../helpers/script-process.js';
import { startSim, type ReportLine, type SimRun } from '../helpers/sim-script.js';
import { until } from '../helpers/until.js';
import { startWireProxy, type WireProxy } from '../helpers/wire-proxy.js';

/**
 * bb5-N3 as a real process: `scs script` against `scs sim` (default 2 s watchdog) through a proxy that
 * drops every STOP and every `OUTPUT … on=0`, as `bb/bb5_nooff2.py` did. README ("Scripted sessions"):
 * an `output off` the generator does not confirm becomes a held STOP, sent first on every reconnection
 * and with no heartbeat beside it, so the generator's watchdog ends the test stimulation; the line says
 * "STOP not confirmed … switch its output off by hand", and a script that ends with it still
 * unconfirmed says so on stderr and exits with 3 (output may still be on).
 */

let sim: SimRun | undefined;
let proxy: WireProxy | undefined;
let dir: string | undefined;
afterEach(async () => {
  killTrackedChildren();
  await proxy?.close();
  await sim?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  sim = proxy = dir = undefined;
});

/** The line without the CAN bytes a STOP is preceded by (PROTOCOL.md §4.5). */
const bare = (line: string) => line.split(String.fromCharCode(0x18)).join('');
const isOff = (line: string) => /^STOP\b/.test(bare(line)) || /^OUTPUT\b.* on=0\b/.test(bare(line));

describe('scs script: an output off the generator never answers (bb5-N3)', () => {
  it('becomes a held STOP, feeds no watchdog, says so on stderr and exits 3', async () => {
    sim = await startSim();
    proxy = await startWireProxy(sim.port, { dropToGenerator: isOff });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-nooff-'));
    const file = path.join(dir, 'nooff.scs');
    fs.writeFileSync(
      file,
      ['electrodes 1- 2+', 'pw 300', 'search start', 'amp up', 'output off', 'wait 6000'].join('\n'),
    );
    const run = spawnScript([file, '--port', proxy.port, '--json', '--dwell-ms', '500']);
    const code = await run.exited;
    const err = run.err();
    const out = run.out();
    const lines = out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ReportLine);
    const wire = proxy.wire();
    const why = `${err}\n${wire.join('\n')}`;

    const off = lines.find((l) => l.command === 'output off');
    expect(off?.accepted, why).toBe(false);
    const reasons = off!.notices.map((n) => n.reason).join('\n');
    expect(reasons).toMatch(/^STOP not confirmed/m);
    expect(reasons).toMatch(/switch its output off by hand/);
    // No false "stops" notice while the generator was never seen to stop (item 3).
    expect(lines.flatMap((l) => l.notices.map((n) => n.reason))).not.toContain(
      'uncommitted test stimulation stops after a link loss',
    );
    expect(err).toContain('STOP NOT confirmed by the generator. Check it and switch its output off by hand.');
    expect(code).toBe(3);

    // On the wire: after the unanswered off, only STOPs (held, sent first): no HELLO, STATE or HB that
    // would keep the watchdog fed.
    const firstOff = wire.findIndex((l) => l.startsWith('DROPC') && /OUTPUT/.test(l));
    expect(firstOff, why).toBeGreaterThan(0);
    const after = wire.slice(firstOff).filter((l) => !l.startsWith('G>C'));
    expect(after.some((l) => /STOP seq=/.test(l))).toBe(true);
    expect(after.filter((l) => /(HELLO|STATE|HB) seq=/.test(l))).toEqual([]);
    // The generator itself ended the test stimulation (its watchdog): the simulator's console says off.
    sim.type('status');
    await until(() => /state \{/.test(sim!.log()), 'the simulator status');
    const state = JSON.parse(/state (\{.*\})/.exec(sim.log())![1]!) as { output: string };
    expect(state.output).toBe('off');
  }, 120_000);
});
