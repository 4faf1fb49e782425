import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runScriptCommand } from '../../src/cli/script-command.js';
import { runSim } from '../../src/cli/sim-command.js';
import { until } from '../helpers/until.js';

/**
 * `scs script --json` against `scs sim` with its own fault flags: a line is `accepted` only when the
 * generator acknowledged the change (issue 12). With inbound lines dropped, a request can exhaust its
 * retries and the link is lost while a change is being applied; that line must say it was not confirmed
 * and why, never `accepted: true`.
 */

function sink() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

// Changes of every kind, each visible in the read-back, with a search in the middle.
const SCRIPT = [
  'electrodes 1- 2+',
  ...['rate 45', 'rate 55', 'pw 300', 'rate 50'],
  'search start',
  ...Array<string>(4).fill('amp up'),
  'mark sensory',
  ...Array<string>(3).fill('amp up'),
  'mark discomfort',
  ...['rate 45', 'rate 55'],
  'output off',
].join('\n');

interface Line {
  line: number;
  command: string;
  accepted: boolean;
  state: string;
  notices: Array<{ kind: string; field: string; reason: string }>;
  generator: { output: string; rateHz: number; pulseWidthUs: number; amplitudeMa: number; contacts: string } | null;
}

describe('scs script --json under dropped inbound lines (scs sim --drop 0.4 --faults-on inbound)', () => {
  it('a line is accepted only when the generator acknowledged it; otherwise it says it was not confirmed and why', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-faults-'));
    const file = path.join(dir, 'session.scs');
    fs.writeFileSync(file, SCRIPT);
    const simOut = sink();
    const stop = new AbortController();
    // Seed 2 loses the link (four copies of one request dropped) in the middle of the script.
    const sim = runSim(
      ['--json', '--drop', '0.4', '--faults-on', 'inbound', '--seed', '2'],
      { stdout: simOut.stream, stderr: new PassThrough(), stdin: new PassThrough(), env: {} },
      { signal: stop.signal },
    );
    try {
      await until(() => simOut.text().includes('\n'), 'the simulator JSON line');
      const port = (JSON.parse(simOut.text()) as { path: string }).path;
      const out = sink();
      const code = await runScriptCommand([file, '--port', port, '--json', '--dwell-ms', '500'], {
        stdout: out.stream,
        stderr: new PassThrough(),
        stdin: new PassThrough(),
        env: {},
      });
      expect(code).toBe(0);
      const lines = out
        .text()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Line & { event?: string })
        .filter((l): l is Line => l.event === undefined);
      expect(lines).toHaveLength(18);

      // The faults did cost at least one change: some line reports the link lost instead of its effect.
      const lost = lines.filter(
        (l) => !l.accepted && l.notices.some((n) => n.field === 'link' || /link/.test(n.reason)),
      );
      expect(lost.length, 'the seed must lose the link during the script').toBeGreaterThan(0);

      for (const l of lines) {
        const where = `line ${l.line} ${l.command}`;
        if (!l.accepted) {
          // Not applied, and the line says why.
          expect(l.notices.length, where).toBeGreaterThan(0);
          continue;
        }
        // Accepted: the generator confirmed it, so the session is connected and the read-back shows it.
        expect(l.state, where).not.toBe('linkLost');
        expect(l.generator, where).not.toBeNull();
        const g = l.generator!;
        const [verb, arg] = l.command.split(' ');
        if (verb === 'rate') expect(g.rateHz, where).toBe(Number(arg));
        if (verb === 'pw') expect(g.pulseWidthUs, where).toBe(Number(arg));
        if (verb === 'electrodes') expect(g.contacts, where).toBe('-+000000');
        if (l.command === 'search start') expect(g, where).toMatchObject({ output: 'on', amplitudeMa: 0 });
        if (l.command === 'output off') expect(g.output, where).toBe('off');
      }
      // Its reply may be what was lost: "not confirmed" (PROTOCOL.md §10.5), never a claim it was not applied.
      const notConfirmed = lines.find((l) => l.notices.some((n) => /^not confirmed/.test(n.reason)));
      expect(notConfirmed, 'the line the link was lost under').toBeDefined();
      expect(notConfirmed!.accepted).toBe(false);
    } finally {
      stop.abort();
      await sim;
    }
  }, 120_000);
});
