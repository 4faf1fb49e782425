import { afterEach, describe, expect, it } from 'vitest';
import type { StepResult } from '../../src/session/script-runner.js';
import { COMMITTED_SCRIPT } from '../helpers/sim-script.js';
import { decoded, until } from '../link/link-test-kit.js';
import { remoteBefore, simSession, type SimSession } from './sim-session.js';

/**
 * bb5-N1: thresholds belong to the pulse width and electrodes they were measured on (README "Threshold
 * search"), so the measured window follows what the generator holds, not what was asked. A `pw` or
 * `electrodes` line the generator did not carry out (not completed after an outside change, refused
 * REV_MISMATCH, link lost before its SET) leaves the program that still runs: its window stays, no
 * notice claims amplitude went to 0, thresholds were discarded or estimated, and the program found is
 * warned about against that window ("programmed above the measured window", README H17). A change the
 * generator confirmed discards them as before, with its notice; one found applied on reconnection or
 * made with the patient's remote is said too. Real session, real link, in-process simulator.
 */

let s: SimSession | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const TUNING = COMMITTED_SCRIPT.slice(0, -1); // window 0.1–0.2 mA measured on 300 µs, 1- 2+; test output on
const OFF = [...TUNING, 'output off'];
const WINDOW = { lowMa: 0.1, highMa: 0.2 };

const reasons = (lines: readonly StepResult[]) => lines.flatMap((l) => l.notices.map((n) => n.reason));
const FALSE_CLAIMS = /thresholds discarded|sets amplitude to 0|estimated sensory threshold|Weiss/;

/** The program still running at 300 µs on 1- 2+, its window kept and the 3 mA found warned against it. */
function keptAndWarned(line: StepResult) {
  const model = s!.rig.generator.server.model.state;
  expect(model).toMatchObject({ pulseWidthUs: 300, contacts: '-+000000', amplitudeUa: 3000 });
  expect(line.accepted).toBe(false);
  expect(line.window).toEqual(WINDOW);
  expect(reasons([line]).filter((r) => FALSE_CLAIMS.test(r))).toEqual([]);
  expect(reasons([line]).some((r) => /changed outside the companion/.test(r))).toBe(true);
  expect(reasons([line]).filter((r) => /programmed above the measured window 0\.1–0\.2 mA/.test(r))).toHaveLength(1);
  expect(s!.c.view().allThresholds).not.toEqual([]);
}

/** Not completed: the remote set 3 mA just before our own output off; its ACK showed it (bb4-F10 path). */
async function notCompleted(change: string) {
  s = await simSession(TUNING);
  remoteBefore(s, 'OUTPUT', 3000);
  const [line] = await s.run([change]);
  keptAndWarned(line!);
  expect(line!.notices.some((n) => n.kind === 'reject' && /not completed/.test(n.reason))).toBe(true);
  // The window of the program that still runs lets output on again without a new search.
  const [on] = await s.run(['output on']);
  expect(on!.accepted, JSON.stringify(on!.notices)).toBe(true);
  expect(on!.window).toEqual(WINDOW);
}

/** Output off: the SET itself is refused REV_MISMATCH (the remote set 3 mA just before it). */
async function revMismatch(change: string) {
  s = await simSession(OFF);
  remoteBefore(s, 'SET', 3000);
  const [line] = await s.run([change]);
  keptAndWarned(line!);
  expect(line!.notices.some((n) => n.kind === 'reject' && /changed elsewhere/.test(n.reason))).toBe(true);
}

/**
 * `change` from output off with the link lost under its SET (`lose` sets the tap: the SET dropped, or
 * run with its replies dropped); the link comes back. Returns every reason told until the next line.
 */
async function acrossLinkLoss(change: string, lose: (lost: { on: boolean }) => void) {
  s = await simSession(OFF);
  const lost = { on: true };
  lose(lost);
  const done = s.run([change]);
  await until(() => s!.c.view().state === 'linkLost', 'the link lost under the SET');
  lost.on = false;
  const [line] = await done;
  await until(() => s!.c.view().state === 'ready', 'reconnected');
  // Found on the reconnection, between two lines (`scs script` prints them as an event line).
  const between = s.c.takeNotices().map((n) => n.reason);
  const [next] = await s.run(['wait 0.05']);
  return { line: line!, next: next!, told: [...reasons([line!, next!]), ...between] };
}

/** The SET never reaches the generator. */
async function lostBeforeSet(change: string) {
  const { line, next, told } = await acrossLinkLoss(change, (lost) => {
    s!.rig.tap.onOutbound = (l, deliver) => {
      if (!(lost.on && decoded(l)?.type === 'SET')) deliver(l);
    };
  });
  expect(s!.rig.generator.server.model.state).toMatchObject({ pulseWidthUs: 300, contacts: '-+000000' });
  expect(line.accepted).toBe(false);
  expect(told.filter((r) => FALSE_CLAIMS.test(r))).toEqual([]);
  expect(next.window).toEqual(WINDOW);
}

/** Control: the generator confirmed the change; thresholds discarded, said on its line. */
async function confirmedChange(change: string, said: RegExp) {
  s = await simSession(TUNING);
  const [line] = await s.run([change]);
  expect(line!.accepted).toBe(true);
  expect(line!.window).toBeNull();
  expect(reasons([line!]).filter((r) => /measured thresholds discarded/.test(r))).toHaveLength(1);
  expect(reasons([line!]).some((r) => said.test(r))).toBe(true);
  expect(s.c.view().allThresholds).toEqual([]);
}

describe('a pw / electrodes change the generator did not make keeps the measured window (bb5-N1)', () => {
  it('pw 400 not completed (outside change found by our output off): window kept, no false notice', () =>
    notCompleted('pw 400'));
  it('electrodes not completed (outside change found by our output off): window kept, no false notice', () =>
    notCompleted('electrodes 1- 3+'));
  it('pw 400 refused REV_MISMATCH with output off: window kept, no false notice', () => revMismatch('pw 400'));
  it('electrodes refused REV_MISMATCH with output off: window kept, no false notice', () =>
    revMismatch('electrodes 1- 3+'));
  it(
    'pw 400 with the link lost before its SET reached the generator: window kept, nothing claimed',
    () => lostBeforeSet('pw 400'),
    30_000,
  );
  it(
    'electrodes with the link lost before its SET reached the generator: window kept, nothing claimed',
    () => lostBeforeSet('electrodes 1- 3+'),
    30_000,
  );
  it('pw 400 confirmed by the generator: thresholds discarded and estimated, said on its line', () =>
    confirmedChange('pw 400', /estimated sensory threshold .* at 400 µs/));
  it('electrodes confirmed by the generator: amplitude to 0 and thresholds discarded, said on its line', () =>
    confirmedChange('electrodes 1- 3+', /^an electrode change sets amplitude to 0$/));

  it('a SET applied whose reply was lost: found applied on reconnection, thresholds discarded and said', async () => {
    const { next, told } = await acrossLinkLoss('pw 400', (lost) => {
      let setSent = false;
      s!.rig.tap.onOutbound = (l, deliver) => {
        if (decoded(l)?.type === 'SET') setSent = true; // the SET runs; its replies are lost
        deliver(l);
      };
      s!.rig.tap.onInbound = (l, deliver) => {
        if (!(lost.on && setSent)) deliver(l);
      };
    });
    expect(s!.rig.generator.server.model.state.pulseWidthUs).toBe(400);
    expect(next.window).toBeNull();
    expect(told.filter((r) => /measured thresholds discarded/.test(r))).toEqual([
      'measured thresholds discarded: they were measured at 300 µs on 1- 2+ and the generator now runs 400 µs on 1- 2+; measure again (search start) before using a window',
    ]);
    expect(s!.c.view().allThresholds).toEqual([]);
  }, 30_000);
});

/** The remote changes pulse width or contacts with output off (EVT lost); `stop` re-reads and finds it. */
async function remoteFound(change: { pulseWidthUs?: number; contacts?: string }, words: RegExp) {
  s = await simSession(OFF);
  s.rig.tap.onInbound = (l, deliver) => {
    const m = decoded(l);
    if (m?.type === 'EVT' && m.kind === 'program-changed') return;
    deliver(l);
  };
  const g = s.rig.generator.server.model.state;
  s.rig.generator.server.externalChange({
    rateHz: g.rateHz,
    pulseWidthUs: g.pulseWidthUs,
    contacts: g.contacts,
    amplitudeUa: g.amplitudeUa,
    ...change,
  });
  const lines = await s.run(['stop', 'wait 0.05']);
  expect(lines[0]!.window).toBeNull();
  const told = reasons(lines).filter((r) => /measured thresholds discarded/.test(r));
  expect(told).toHaveLength(1);
  expect(told[0]).toMatch(/measured at 300 µs on 1- 2\+/);
  expect(told[0]).toMatch(words);
  expect(s.c.view().allThresholds).toEqual([]);
}

describe("the patient's remote changes pulse width or contacts (bb5 nit): the window goes, said once", () => {
  it("remote pulse width 600 µs found by the STOP's re-read: window dropped with one notice", () =>
    remoteFound({ pulseWidthUs: 600 }, /now runs 600 µs on 1- 2\+/));
  it("remote contacts 1- 3+ found by the STOP's re-read: window dropped with one notice", () =>
    remoteFound({ contacts: '-0+00000' }, /now runs 300 µs on 1- 3\+/));
});
