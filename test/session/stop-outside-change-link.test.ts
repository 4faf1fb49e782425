import { afterEach, describe, expect, it } from 'vitest';
import type { StepResult } from '../../src/session/script-runner.js';
import { COMMITTED_SCRIPT } from '../helpers/sim-script.js';
import { remoteBefore, simSession, type SimSession } from './sim-session.js';

/**
 * Black-box findings bb4-F1/F3 (H10/H17): the patient's remote raises the amplitude to 3 mA just before
 * the companion's STOP reaches the generator; its EVT is lost. STOP's short ACK carries only `out=off`
 * and `rev` (PROTOCOL.md §4.5), one more than the STOP explains; the program is known from the STATE
 * read after it. §4.5: "a program found changed is reported as changed outside the companion (H17)";
 * README H17: "shown as a warning and adopted as found, never overwritten silently", kept as a `!!`
 * difference until acknowledged. Real session, real link, in-process simulator; in every output state.
 */

let s: SimSession | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const TUNING = COMMITTED_SCRIPT.slice(0, -1); // window 0.1–0.2 mA measured, test output on at 0.1 mA
const changedOutside = (r: StepResult) =>
  r.notices.filter((n) => n.kind === 'warn' && /changed outside the companion/.test(n.reason));

const TEST_ON = TUNING;
const THERAPY = COMMITTED_SCRIPT;
const OFF = [...TUNING, 'output off'];

/** Warned on the stop line with the amplitude found, kept as a mismatch, told once. */
async function toldAndKept(setup: readonly string[]) {
  s = await simSession(setup);
  remoteBefore(s, 'STOP', 3000);
  const [stop] = await s.run(['stop']);
  expect(s.rig.generator.server.model.state.output).toBe('off');
  const warned = changedOutside(stop!);
  expect(warned, JSON.stringify(stop!.notices)).toHaveLength(1);
  expect(warned[0]!.reason).toMatch(/3 mA/);
  expect(warned[0]!.reason).toMatch(/shown as found/);
  const view = s.c.view();
  expect(view.generator?.output).toBe('off');
  expect(view.generator?.amplitudeUa).toBe(3000);
  expect(view.mismatch?.fields).toContain('amplitudeUa');
  const [next] = await s.run(['wait 0.05']);
  expect(changedOutside(next!)).toEqual([]);
}

async function stopAlone(setup: readonly string[]) {
  s = await simSession(setup);
  const [stop] = await s.run(['stop']);
  expect(changedOutside(stop!)).toEqual([]);
  expect(s.c.view().mismatch).toBeNull();
  expect(s.c.view().generator?.output).toBe('off');
}

describe('an outside change landing just before STOP (bb4-F1/F3)', () => {
  it('test stimulation: warned on the stop line with the amplitude found, kept as a mismatch', () =>
    toldAndKept(TEST_ON));
  it('committed therapy: warned on the stop line with the amplitude found, kept as a mismatch', () =>
    toldAndKept(THERAPY));
  it('output already off: warned on the stop line with the amplitude found, kept as a mismatch', () =>
    toldAndKept(OFF));
  it('test stimulation without an outside change: STOP alone, no warning, no mismatch', () => stopAlone(TEST_ON));
  it('committed therapy without an outside change: STOP alone, no warning, no mismatch', () => stopAlone(THERAPY));
  it('output already off without an outside change: STOP alone, no warning, no mismatch', () => stopAlone(OFF));
});
