import { runLines } from './sim-session.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import { flushEvents } from '../../src/session/script-runner.js';
import { COMMITTED_SCRIPT } from '../helpers/sim-script.js';
import { decoded, inProcessRig, until, type Rig } from '../link/link-test-kit.js';

/**
 * bb5-N3 (issues 12/13): an `output off` the generator never confirms. README (safety model, "Scripted
 * sessions") and PROTOCOL.md §10 step 2: an off whose confirmation the link lost is held as a STOP, sent
 * first on every reconnection (before HELLO), and nothing of ours feeds the generator's watchdog
 * meanwhile (no HB, no HELLO/STATE), so uncommitted test stimulation ends by the generator's watchdog.
 * The same for the companion's own off after a link loss, whose "stops" notice is said only once the
 * generator confirmed output off. bb5-N4: an `output off` cut by a reset ends like the `stop` race.
 */

let rig: Rig | undefined;
let c: SessionController | undefined;
afterEach(async () => {
  c?.dispose();
  await rig?.close();
  rig = undefined;
  c = undefined;
});

const TUNING = COMMITTED_SCRIPT.slice(0, -1); // window measured, test output on
const STOPS_SAID = 'uncommitted test stimulation stops after a link loss';
const typeOf = (line: string) => decoded(line)?.type;
const isOff = (line: string) => {
  const m = decoded(line);
  return m?.type === 'STOP' || (m?.type === 'OUTPUT' && !m.on);
};

/** A session in test stimulation; the generator's watchdog ends test output after `watchdogMs` of silence. */
async function tuning(watchdogMs: number): Promise<{ r: Rig; s: SessionController }> {
  rig = inProcessRig({ server: { config: { watchdogMs } } });
  c = createSessionController({ link: rig.link, dwellMs: 0 });
  await c.dispatch({ type: 'CONNECT' });
  await runLines(TUNING, c);
  expect(rig.generator.server.model.state).toMatchObject({ output: 'on', mode: 'test' });
  return { r: rig, s: c };
}

/** Every reason the session said so far. */
const said = (s: SessionController) => s.view().notices.map((n) => n.reason);

/** Lines sent from the first unanswered `OUTPUT on=0` on. */
function afterFirstOff(r: Rig): string[] {
  const first = r.tap.outbound.findIndex((l) => typeOf(l) === 'OUTPUT' && isOff(l));
  expect(first).toBeGreaterThanOrEqual(0);
  return r.tap.outbound.slice(first);
}

/** The generator answers STOP again: the held STOP is confirmed and said on an event line. */
async function heldStopConfirmed(r: Rig, s: SessionController): Promise<void> {
  r.tap.onOutbound = (line, deliver) => deliver(line);
  await until(() => s.view().settled && s.view().state !== 'linkLost' && !s.view().stopPending, 'the STOP confirmed');
  expect(r.generator.server.model.state.output).toBe('off');
  const event = flushEvents(s);
  expect(event?.generator).toMatchObject({ output: 'off' });
  expect((event?.notices ?? []).map((n) => n.reason).join('\n')).toMatch(
    /the STOP held while the link was down went to the generator first/,
  );
}

describe('an output off the generator never answers (bb5-N3)', () => {
  it("becomes a held STOP: no heartbeat, no HELLO, the generator's watchdog ends test output", async () => {
    const { r, s } = await tuning(1500);
    r.tap.onOutbound = (line, deliver) => void (isOff(line) || deliver(line));

    const [off] = await runLines(['output off'], s);
    expect(off!.accepted).toBe(false);
    const reasons = off!.notices.map((n) => n.reason).join('\n');
    expect(reasons).toMatch(/^STOP not confirmed: the generator did not confirm this output off/m);
    expect(reasons).toMatch(/switch its output off by hand/);
    expect(s.view().stopPending).toBe(true);

    await until(() => r.generator.server.model.state.output === 'off', "the generator's watchdog stop");
    expect(r.generator.server.model.executions.map((e) => e.type)).not.toContain('STOP');
    const sent = afterFirstOff(r);
    expect(sent.some((l) => typeOf(l) === 'STOP')).toBe(true);
    expect(sent.filter((l) => ['HB', 'HELLO', 'STATE'].includes(typeOf(l) ?? ''))).toEqual([]);
    expect(said(s)).not.toContain(STOPS_SAID);
    expect(s.view().stopPending).toBe(true);

    await heldStopConfirmed(r, s);
  }, 60_000);

  it("the companion's own off after a link loss: escalated the same way, never said done before it is", async () => {
    const { r, s } = await tuning(1500);
    // The generator hears nothing: heartbeats go unanswered and the link is lost with test output on.
    r.tap.onOutbound = () => {};
    await until(() => s.view().state === 'linkLost', 'the link loss');
    // Back, but deaf to any off: HELLO and STATE pass, the companion's own OUTPUT on=0 never arrives.
    r.tap.onOutbound = (line, deliver) => void (isOff(line) || deliver(line));
    await until(() => s.view().stopPending, 'the off escalated to a STOP');
    expect(said(s).join('\n')).toMatch(/STOP not confirmed: the generator did not confirm this output off/);
    // bb6-N3: the notice names what was not confirmed, the off, not the line before it ('one step up').
    const held = s.view().notices.filter((n) => /did not confirm this output off/.test(n.reason));
    expect(held.map((n) => n.requested)).toEqual(['output off']);

    await until(() => r.generator.server.model.state.output === 'off', "the generator's watchdog stop");
    expect(afterFirstOff(r).filter((l) => ['HB', 'HELLO', 'STATE'].includes(typeOf(l) ?? ''))).toEqual([]);
    expect(said(s)).not.toContain(STOPS_SAID);

    await heldStopConfirmed(r, s);
  }, 60_000);

  it('the off confirmed after a link loss is said as done (the notice waits for the reply)', async () => {
    const { r, s } = await tuning(60_000);
    r.tap.onOutbound = () => {};
    await until(() => s.view().state === 'linkLost', 'the link loss');
    r.tap.onOutbound = (line, deliver) => deliver(line);
    await until(() => s.view().settled && s.view().state === 'ready', 'the session back, output off');
    expect(r.generator.server.model.state.output).toBe('off');
    expect(said(s)).toContain(STOPS_SAID);
  }, 60_000);
});

describe('an output off cut by a generator reset (bb5-N4, EVT boot delivered)', () => {
  it('ends as output off confirmed, not "give the command again"', async () => {
    const { r, s } = await tuning(60_000);
    r.tap.onOutbound = (line, deliver) => {
      if (typeOf(line) === 'OUTPUT') {
        r.tap.onOutbound = (l, d) => d(l);
        r.generator.server.reset();
      }
      deliver(line);
    };
    const [off] = await runLines(['output off'], s);
    const reasons = off!.notices.map((n) => n.reason).join('\n');
    expect(reasons).not.toMatch(/give the command again/);
    expect(reasons).toMatch(/output off cut by a generator reset, which itself leaves output off/);
    await until(() => s.view().settled && s.view().state === 'ready' && !s.view().stopPending, 'settled off');
    expect(r.generator.server.model.state.output).toBe('off');
    const later = (flushEvents(s)?.notices ?? []).map((n) => n.reason).join('\n');
    expect(later).toMatch(/the STOP held while the link was down went to the generator first/);
    expect(later).toMatch(/The generator was reset/);
  }, 60_000);
});
