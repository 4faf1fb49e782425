import { describe, expect, it } from 'vitest';
import { DisconnectedError, type Program } from '../../src/link/generator-link.js';
import { parseScript } from '../../src/session/script-parser.js';
import { runScript, type StepResult } from '../../src/session/script-runner.js';
import { gen, harness, measured, type Harness } from './harness.js';

/**
 * Black-box finding (c): a ramp stopped short by a real change made elsewhere left its JSON line
 * `accepted: true` with the target as applied. README: `accepted` is true only when applied; the line
 * says where amplitude stopped and why. And the commit line: "therapy committed to the generator"
 * must not stand next to "not confirmed" when the commit's reply is lost.
 */

/** After `steps` ramp steps the patient's remote sets `remoteUa` (with or without its event line). */
function remoteDuringRamp(h: Harness, steps: number, remoteUa: number, withEvent: boolean): void {
  const original = h.link.setProgram.bind(h.link);
  let n = 0;
  h.link.setProgram = async (program: Program) => {
    const reply = await original(program);
    if (++n === steps) {
      const g = gen(h);
      const change = { rateHz: g.rateHz, pulseWidthUs: g.pulseWidthUs, amplitudeUa: remoteUa, contacts: g.contacts };
      if (withEvent) h.link.external(change);
      else {
        // The event line is lost: only telemetry shows the change.
        h.link.model.externalChange(change, h.link.now);
        h.link.emitTelemetry(gen(h));
      }
    }
    return reply;
  };
}

async function rampLine(withEvent: boolean): Promise<{ h: Harness; line: StepResult }> {
  const h = await harness();
  await measured(h, 4, 20); // window 0.2–1.2 mA, amplitude at 0.2 mA
  h.c.takeNotices();
  remoteDuringRamp(h, 3, 250, withEvent);
  const parsed = parseScript('amp set 1');
  if (!parsed.ok) throw new Error('bad script');
  const [line] = await runScript(parsed.steps, h.c);
  return { h, line: line! };
}

describe('a ramp stopped short by a change made elsewhere (finding c)', () => {
  async function expectCutShort(withEvent: boolean): Promise<void> {
    const { h, line } = await rampLine(withEvent);
    expect(gen(h).amplitudeUa).toBe(250);
    expect(line.accepted).toBe(false);
    expect(line.generator).toMatchObject({ amplitudeMa: 0.25 });
    const cut = line.notices.filter((n) => /the ramp to 1 mA stopped before its target/.test(n.reason));
    expect(cut).toHaveLength(1);
    expect(cut[0]).toMatchObject({ kind: 'warn', field: 'amplitude', requested: 1, applied: 0.25 });
    expect(cut[0]!.reason).toMatch(/at 0\.25 mA: the generator (changed without the companion|reported a change)/);
    // The change itself is warned about too (H17), once.
    expect(line.notices.filter((n) => /changed outside the companion/.test(n.reason))).toHaveLength(1);
  }

  it('is not accepted, and says where amplitude stopped and why (event)', () => expectCutShort(true));
  it('is not accepted, and says where amplitude stopped and why (telemetry only)', () => expectCutShort(false));

  it('a ramp that reaches its target is accepted with no such warning', async () => {
    const h = await harness();
    await measured(h, 4, 20);
    const parsed = parseScript('amp set 1');
    if (!parsed.ok) throw new Error('bad script');
    const [line] = await runScript(parsed.steps, h.c);
    expect(line!.accepted).toBe(true);
    expect(line!.generator).toMatchObject({ amplitudeMa: 1 });
    expect(line!.notices.filter((n) => /stopped before its target/.test(n.reason))).toEqual([]);
  });
});

describe('the commit line when the reply is lost (finding c)', () => {
  it('the commit line when its reply is lost says "not confirmed" only, never "therapy committed"', async () => {
    const h = await harness();
    await measured(h, 4, 4);
    const original = h.link.setOutput.bind(h.link);
    h.link.setOutput = async (on, mode) => {
      h.link.setOutput = original;
      await original(on, mode); // the generator commits; its reply is lost with the link
      h.link.drop();
      throw new DisconnectedError('port closed');
    };
    const lost = await h.do({ type: 'COMMIT' });
    expect(lost.accepted).toBe(false);
    const said = lost.notices.map((n) => n.reason).join('\n');
    expect(said).toMatch(/not confirmed/);
    expect(said).not.toMatch(/committed to the generator/);
    h.link.restore();
    await h.flush();
    await h.c.settled();
    expect(
      h.c
        .takeNotices()
        .map((n) => n.reason)
        .join('\n'),
    ).not.toMatch(/therapy committed to the generator/);

    const ok = await harness();
    await measured(ok, 4, 4);
    const done = await ok.do({ type: 'COMMIT' });
    expect(done.accepted).toBe(true);
    expect(done.notices.map((n) => n.reason)).toContain('therapy committed to the generator');
  });
});
