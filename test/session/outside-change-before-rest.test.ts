import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/session/notice.js';
import type { SessionEvent } from '../../src/session/session-context.js';
import { gen, harness, measured } from './harness.js';
import { remoteBeforeNextOff } from './remote-before-off.js';

/**
 * Black-box finding bb4-F10 (H17/H10): `electrodes`, `pw` or `rate` while test output is on turn output
 * off first (never refused for `rev`, PROTOCOL.md §4.4), then write the new program. When the remote
 * changed the amplitude just before that off, its ACK shows the change and a `rev` the off does not
 * explain. README H17: a change made elsewhere is "shown as a warning and adopted as found, never
 * overwritten silently"; PROTOCOL §4.2: "re-read and shown, never overwritten". So the SET computed from
 * the old program is not sent, the command is not accepted (said why), the change is warned as made
 * outside the companion with the amplitude found, and kept as a mismatch.
 */

const warnings = (ns: readonly Notice[]) => ns.filter((n) => n.kind === 'warn').map((n) => n.reason);

async function tuningThen(command: SessionEvent, remote: boolean) {
  const h = await harness();
  await measured(h, 4, 4); // a measured window, test output on at its top
  expect(gen(h).output).toBe('on');
  h.c.takeNotices();
  const before = gen(h);
  if (remote) remoteBeforeNextOff(h, 5); // five times the window's top
  const sentBefore = h.link.sent.length;
  const outcome = await h.do(command);
  await h.flush();
  return { h, before, outcome, sent: h.link.sent.slice(sentBefore), after: h.c.takeNotices() };
}

const ELECTRODES: SessionEvent = { type: 'ELECTRODES', spec: ['1-', '3+'] };
const PULSE_WIDTH: SessionEvent = { type: 'PULSE_WIDTH', us: 400 };
const RATE: SessionEvent = { type: 'RATE', hz: 55 };

/** The rest not sent; the change warned with the amplitude found, shown as found, kept as a mismatch. */
async function notOverwritten(command: SessionEvent) {
  const { h, before, outcome, sent, after } = await tuningThen(command, true);
  // Nothing computed from the old program reached the generator after the off.
  expect(sent.map((s) => s.type)).not.toContain('SET');
  expect(gen(h).amplitudeUa).toBe(before.amplitudeUa * 5);
  expect(gen(h).contacts).toBe(before.contacts);
  expect(gen(h).output).toBe('off');
  expect(outcome.accepted).toBe(false);
  expect(outcome.notices.some((n) => n.kind === 'reject' && /changed outside the companion/.test(n.reason))).toBe(true);
  const changed = warnings(after).filter((r) => /changed outside the companion/.test(r));
  expect(changed).toHaveLength(1);
  expect(changed[0]).toContain(`${(before.amplitudeUa * 5) / 1000} mA`);
  expect(changed[0]).toMatch(/shown as found/);
  expect(h.c.view().generator?.amplitudeUa).toBe(before.amplitudeUa * 5);
  expect(h.c.view().mismatch?.fields).toContain('amplitudeUa');
}

async function doneAsAsked(command: SessionEvent) {
  const { outcome, sent, after } = await tuningThen(command, false);
  expect(sent.map((s) => s.type)).toContain('SET');
  expect(outcome.accepted).toBe(true);
  expect(warnings(after).filter((r) => /changed outside/.test(r))).toEqual([]);
}

describe('an outside change shown by the ACK of our own output off, more writes to follow (bb4-F10)', () => {
  it('electrodes: the rest is not sent; warned, shown as found, kept as a mismatch', () => notOverwritten(ELECTRODES));
  it('pulse width: the rest is not sent; warned, shown as found, kept as a mismatch', () =>
    notOverwritten(PULSE_WIDTH));
  it('rate: the rest is not sent; warned, shown as found, kept as a mismatch', () => notOverwritten(RATE));
  it('electrodes without an outside change: done as asked, no warning', () => doneAsAsked(ELECTRODES));
  it('pulse width without an outside change: done as asked, no warning', () => doneAsAsked(PULSE_WIDTH));
  it('rate without an outside change: done as asked, no warning', () => doneAsAsked(RATE));
});
