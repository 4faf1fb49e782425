import { describe, expect, it } from 'vitest';
import { NakError } from '../../src/link/generator-link.js';
import { parseScript } from '../../src/session/script-parser.js';
import { runScript, type StepResult } from '../../src/session/script-runner.js';
import { gen, harness, measured } from './harness.js';

/**
 * Issue 13, item 5: a STOP the generator executed but whose reply was refused or lost is not reported
 * as just "refused": the session re-reads the generator and the report states its actual output.
 */

describe('STOP executed, reply refused', () => {
  it('the stop line reports output off as read back, and says the STOP took effect', async () => {
    const h = await harness();
    await measured(h, 4, 4);
    expect(gen(h).output).toBe('on');
    // The generator executes the STOP, but the companion receives a refusal instead of the reply.
    await h.link.stop();
    h.link.failNext('stop', new NakError(99, 'garbled reply'));
    const parsed = parseScript('stop\n');
    if (!parsed.ok) throw new Error('bad');
    const lines: StepResult[] = [];
    await runScript(parsed.steps, h.c, { onStep: (r) => lines.push(r) });
    expect(lines[0]!.generator).toMatchObject({ output: 'off' });
    expect(
      lines[0]!.notices.some(
        (n) => n.field === 'output' && /the generator reads output off: the STOP took effect/.test(n.reason),
      ),
    ).toBe(true);
    expect(h.c.view().stopPending).toBe(false);
  });

  it('when the generator still stimulates, the report says so and STOP stays pending (the !! line)', async () => {
    const h = await harness();
    await measured(h, 4, 4);
    h.link.failNext('stop', new NakError(99, 'garbled reply'));
    const parsed = parseScript('stop\n');
    if (!parsed.ok) throw new Error('bad');
    const lines: StepResult[] = [];
    await runScript(parsed.steps, h.c, { onStep: (r) => lines.push(r) });
    expect(lines[0]!.generator).toMatchObject({ output: 'on' });
    expect(lines[0]!.notices.some((n) => n.kind === 'warn' && /output still on/.test(n.reason))).toBe(true);
    expect(h.c.view().stopPending).toBe(true);
  });
});
