import { describe, expect, it } from 'vitest';
import type { GeneratorState } from '../../protocol/index.js';
import { DisconnectedError } from '../../src/link/generator-link.js';
import type { Notice } from '../../src/session/notice.js';
import { settleUnconfirmed } from '../../src/session/reconnect-check.js';
import { gen, harness, measured, type Harness } from './harness.js';

/**
 * Black-box finding bb3 F-H2 (H17/H4): a `commit` whose reply is lost with the link, applied by the
 * generator, then the program changed by the remote while the link was down (rev moved by 2). PROTOCOL.md
 * §10 step 6: confirmed only when `rev` moved by exactly the request's own write and the generator holds
 * what was asked; otherwise "not confirmed … shown as found", a change made outside the companion (H17),
 * with the measured window checked — the same comparison as for `amp set`.
 */

/** The next OUTPUT reaches the generator, then the link goes down before its reply arrives. */
function loseReplyOfNextOutput(h: Harness): void {
  const original = h.link.setOutput.bind(h.link);
  h.link.setOutput = async (on, mode) => {
    h.link.setOutput = original;
    await original(on, mode);
    h.link.drop();
    throw new DisconnectedError('port closed');
  };
}

const text = (ns: readonly Notice[]) => ns.map((n) => n.reason).join('\n');

/** Commit with its reply lost; `remote` (a factor on the amplitude) changes it while the link is down. */
async function commitLostThenRemote(remote: number | null) {
  const h = await harness();
  await measured(h, 4, 4);
  loseReplyOfNextOutput(h);
  const lost = await h.do({ type: 'COMMIT' });
  await h.flush();
  h.c.takeNotices();
  expect(gen(h)).toMatchObject({ output: 'on', mode: 'therapy', committed: true });
  if (remote !== null) {
    const g = gen(h);
    h.link.external({
      rateHz: g.rateHz,
      pulseWidthUs: g.pulseWidthUs,
      contacts: g.contacts,
      amplitudeUa: Math.round((g.amplitudeUa * remote) / 50) * 50,
    });
  }
  h.link.restore();
  await h.flush();
  return { h, lost, after: h.c.takeNotices() };
}

describe('a commit whose reply was lost, settled on reconnection (bb3 F-H2)', () => {
  it('is not "confirmed" when the remote changed the amplitude meanwhile: not confirmed, changed outside, out of window', async () => {
    const { h, lost, after } = await commitLostThenRemote(5);
    expect(lost.accepted).toBe(false);
    expect(text(after)).not.toMatch(/confirmed after reconnection/);
    const warn = after.filter((n) => n.kind === 'warn' && /not confirmed/.test(n.reason));
    expect(warn).toHaveLength(1);
    expect(warn[0]!.reason).toMatch(/changed outside the companion/);
    expect(warn[0]!.reason).toMatch(/shown as found/);
    expect(after.filter((n) => n.field === 'amplitude' && /outside the measured window/.test(n.reason))).toHaveLength(
      1,
    );
    expect(h.c.view().mismatch).not.toBeNull();
  });

  it('is not "confirmed" when the rev moved by more than its own write, even inside the window', async () => {
    const { after } = await commitLostThenRemote(0.75);
    expect(text(after)).not.toMatch(/confirmed after reconnection/);
    expect(
      after.filter((n) => n.kind === 'warn' && /not confirmed.*changed outside the companion/.test(n.reason)),
    ).toHaveLength(1);
  });

  it('is "confirmed after reconnection" when the generator holds exactly what the commit left', async () => {
    const { h, after } = await commitLostThenRemote(null);
    expect(after.filter((n) => /confirmed after reconnection/.test(n.reason))).toHaveLength(1);
    expect(text(after)).not.toMatch(/changed outside the companion|not confirmed/);
    expect(h.c.view().mismatch).toBeNull();
  });
});

describe('settleUnconfirmed (the one comparison for every request)', () => {
  const before: GeneratorState = {
    output: 'on',
    mode: 'test',
    committed: false,
    rateHz: 50,
    pulseWidthUs: 300,
    amplitudeUa: 300,
    contacts: '+-000000',
    batteryPct: 90,
    faults: [],
    programRev: 12,
  };
  const commit = {
    intent: 'COMMIT',
    ops: [{ op: 'setOutput' as const, on: true, mode: 'therapy' as const }],
    ramp: null,
  };
  const therapy = { ...before, mode: 'therapy' as const, committed: true };

  it('confirms only rev +1 with what was asked and the rest unchanged', () => {
    expect(settleUnconfirmed(before, 12, commit, { ...therapy, programRev: 13 })).toBe('confirmed');
    expect(settleUnconfirmed(before, 12, commit, { ...therapy, programRev: 14 })).toBe('elsewhere');
    expect(settleUnconfirmed(before, 12, commit, { ...therapy, amplitudeUa: 2500, programRev: 14 })).toBe('elsewhere');
    expect(settleUnconfirmed(before, 12, commit, { ...therapy, amplitudeUa: 2500, programRev: 13 })).toBe('elsewhere');
  });

  it('says not applied when nothing moved, or only the watchdog stopped the test output', () => {
    expect(settleUnconfirmed(before, 12, commit, before)).toBe('notApplied');
    const stopped = { ...before, output: 'off' as const, mode: 'none' as const, programRev: 13 };
    expect(settleUnconfirmed(before, 12, commit, stopped)).toBe('notApplied');
  });

  it('a SET applied and then the watchdog stop is still confirmed (no false outside change)', () => {
    const set = {
      intent: 'AMPLITUDE_SET',
      ops: [
        {
          op: 'setProgram' as const,
          program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 350, contacts: '+-000000' },
        },
      ],
      ramp: null,
    };
    const found = { ...before, amplitudeUa: 350, output: 'off' as const, mode: 'none' as const, programRev: 14 };
    expect(settleUnconfirmed(before, 12, set, found)).toBe('confirmed');
    expect(settleUnconfirmed(before, 12, set, { ...found, amplitudeUa: 2500 })).toBe('elsewhere');
  });
});
