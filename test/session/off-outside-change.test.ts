import { describe, expect, it } from 'vitest';
import type { GeneratorState } from '../../protocol/index.js';
import type { Notice } from '../../src/session/notice.js';
import { offExplained } from '../../src/session/off-check.js';
import { gen, harness, measured } from './harness.js';
import { remoteBeforeNextOff } from './remote-before-off.js';

/**
 * Black-box finding bb3 F-H1 (H17/H10): the remote changes the program just before the companion's own
 * `output off` reaches the generator. The off is never refused for `rev` (PROTOCOL.md §4.4), so its ACK
 * carries the remote's amplitude and a `rev` one higher than the off explains. The off stands confirmed,
 * but the change is reported as made outside the companion (shown as found) and kept as a mismatch until
 * acknowledged. (The window warning with output off, bb3 F-L9, is not given: core-reconcile says so.)
 */

const warnings = (ns: readonly Notice[]) => ns.filter((n) => n.kind === 'warn').map((n) => n.reason);

async function committedThenOff(factor: number | null) {
  const h = await harness();
  await measured(h, 4, 4);
  await h.do({ type: 'COMMIT' });
  h.c.takeNotices();
  if (factor !== null) remoteBeforeNextOff(h, factor);
  const off = await h.do({ type: 'OUTPUT_OFF' });
  await h.flush();
  return { h, off, after: h.c.takeNotices() };
}

describe('an outside change landing just before our own output off (bb3 F-H1)', () => {
  it('is warned as changed outside the companion, shown as found; the off stays confirmed', async () => {
    const { h, off, after } = await committedThenOff(5);
    expect(off.accepted).toBe(true);
    expect(gen(h).output).toBe('off');
    expect(h.c.view().generator?.output).toBe('off');
    expect(warnings(after).filter((r) => /changed outside the companion/.test(r))).toHaveLength(1);
    expect(warnings(after).join('\n')).toMatch(/shown as found/);
    expect(h.c.view().mismatch).not.toBeNull();
  });

  it('says nothing more when the off is all that changed', async () => {
    const { h, off, after } = await committedThenOff(null);
    expect(off.accepted).toBe(true);
    expect(warnings(after)).toEqual([]);
    expect(h.c.view().mismatch).toBeNull();
  });
});

describe('offExplained', () => {
  const on: GeneratorState = {
    output: 'on',
    mode: 'therapy',
    committed: true,
    rateHz: 50,
    pulseWidthUs: 300,
    amplitudeUa: 200,
    contacts: '+-000000',
    batteryPct: 90,
    faults: [],
    programRev: 13,
  };
  const off = { ...on, output: 'off' as const, mode: 'none' as const, committed: false };

  it('explains +1 from on, +0 from off, with the program the companion left', () => {
    expect(offExplained(on, 13, { ...off, programRev: 14 })).toBe(true);
    expect(offExplained(off, 13, { ...off, programRev: 13 })).toBe(true);
  });

  it('does not explain another rev or another program', () => {
    expect(offExplained(on, 13, { ...off, amplitudeUa: 2500, programRev: 15 })).toBe(false);
    expect(offExplained(on, 13, { ...off, programRev: 15 })).toBe(false);
    expect(offExplained(on, 13, { ...off, amplitudeUa: 2500, programRev: 14 })).toBe(false);
  });

  it('a watchdog stop of test output before the off is the same one change', () => {
    const test = { ...on, mode: 'test' as const, committed: false };
    expect(offExplained(test, 13, { ...off, programRev: 14 })).toBe(true);
  });
});
