import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScriptCommand } from '../../src/cli/script-command.js';
import { sink } from '../helpers/sim-script.js';
import { parseScript } from '../../src/session/script-parser.js';
import { runScript, type EventResult, type StepResult } from '../../src/session/script-runner.js';
import { gen, harness, measured, type Harness } from './harness.js';

/**
 * Black-box finding (e): during `scs script` the link is lost. README rule: a line that changes
 * something waits up to 10 s for the link (then runs, or is refused with the reason); `stop` and
 * `output off` never wait: held, answered at once, sent first when the link returns, and a notice says
 * when the generator confirmed output off; the loss and the return are each a notice on the line
 * running then (a `wait` included).
 */

async function therapy(): Promise<Harness> {
  const h = await harness();
  await measured(h, 4, 8);
  await h.do({ type: 'COMMIT' });
  h.c.takeNotices();
  return h;
}

async function run(h: Harness, text: string, during: () => void, linkWaitMs?: number): Promise<StepResult[]> {
  const parsed = parseScript(text);
  if (!parsed.ok) throw new Error('bad script');
  let first = true;
  return runScript(parsed.steps, h.c, {
    sleep: async () => {
      if (first) during();
      first = false;
      await h.flush();
    },
    ...(linkWaitMs !== undefined ? { linkWaitMs } : {}),
  });
}

const reasons = (l: StepResult) => l.notices.map((n) => n.reason).join('\n');

describe('a script while the link is lost (finding e)', () => {
  it('a line typed while the link is down waits for it and runs; the loss and the return are on the lines they happened in', async () => {
    const h = await therapy();
    const before = gen(h).amplitudeUa;
    // The link returns only after the wait line is printed (not on a timer racing it under load); it may
    // come back while `amp up` waits for it (a notice on that line) or just before it starts (an event
    // line of its own): either way the return is told exactly once, and `amp up` runs.
    const events: EventResult[] = [];
    const parsed = parseScript('wait 100\namp up');
    if (!parsed.ok) throw new Error('bad script');
    const [wait, up] = await runScript(parsed.steps, h.c, {
      sleep: async () => {
        h.link.drop();
        await h.flush();
      },
      onStep: (line) => {
        if (line.line === 1) setTimeout(() => h.link.restore(), 50);
      },
      onEvent: (e) => events.push(e),
    });
    expect(wait!.state).toBe('linkLost');
    expect(reasons(wait!)).toMatch(/the link to the generator was lost/);
    expect(up!.accepted).toBe(true);
    expect(gen(h).amplitudeUa).toBeGreaterThan(before);
    const told = [reasons(up!), ...events.map((e) => e.notices.map((n) => n.reason).join('\n'))].join('\n');
    expect(told.match(/the link to the generator is back after \d+\.\d s/g)).toHaveLength(1);
    expect(reasons(up!)).not.toMatch(/not connected/);
  });

  it('a line typed while the link is down is refused with the reason when the link does not return in time', async () => {
    const h = await therapy();
    const started = Date.now();
    const [, up] = await run(h, 'wait 100\namp up', () => h.link.drop(), 200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(up!.accepted).toBe(false);
    expect(up!.state).toBe('linkLost');
    expect(reasons(up!)).toMatch(/not connected to a generator/);
  });

  it('stop while the link is down is answered at once as held, and its confirmation is a notice when the link returns', async () => {
    const h = await therapy();
    h.link.drop();
    await h.flush();
    const lines = await run(h, 'stop\nwait 100', () => h.link.restore());
    const [stop, wait] = lines;
    expect(stop!.accepted).toBe(false);
    expect(stop!.state).toBe('linkLost');
    expect(reasons(stop!)).toMatch(/STOP held, not applied yet/);
    expect(reasons(wait!)).toMatch(/the link to the generator is back/);
    expect(reasons(wait!)).toMatch(/the STOP held while the link was down went to the generator first .*confirmed/);
    expect(gen(h).output).toBe('off');
    expect(wait!.generator).toMatchObject({ output: 'off' });
    // Said once, not again on later lines.
    const [later] = await run(h, 'wait 10', () => {});
    expect(reasons(later!)).not.toMatch(/STOP held|link to the generator/);
  });

  it('output off while the link is down: held, and confirmed by a notice when the link returns', async () => {
    const h = await therapy();
    h.link.drop();
    await h.flush();
    const [off, wait] = await run(h, 'output off\nwait 100', () => h.link.restore());
    expect(off!.accepted).toBe(false);
    expect(reasons(off!)).toMatch(/output off held, not applied yet/);
    expect(reasons(wait!)).toMatch(/went to the generator first .*confirmed/);
    expect(gen(h).output).toBe('off');
  });

  it('the rule is said where a person looks: scs script --help and the README', async () => {
    let help = '';
    const io = { stdout: sink((t) => (help += t)), stderr: sink(() => {}), stdin: process.stdin, env: {} };
    expect(await runScriptCommand(['--help'], io)).toBe(0);
    const flat = (t: string) => t.replace(/\s+/g, ' ');
    expect(flat(help)).toMatch(/waits up to 10 s for it to return, then runs or is refused with the reason/);
    expect(flat(help)).toMatch(/'stop' and 'output off' never wait/);
    const readme = flat(fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8'));
    expect(readme).toMatch(
      /waits up to 10 s for it \(as a person would\), then runs; if the link is still down it is refused/,
    );
  });
});
