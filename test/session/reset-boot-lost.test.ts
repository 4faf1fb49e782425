import { afterEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../src/session/notice.js';
import type { StepResult } from '../../src/session/script-runner.js';
import { COMMITTED_SCRIPT } from '../helpers/sim-script.js';
import { until } from '../helpers/until.js';
import { decoded } from '../link/link-test-kit.js';
import { remoteBefore, resetWithBootLost, simSession, type SimSession } from './sim-session.js';

/**
 * Black-box finding bb4-F4 (issue 13: "A generator reset during therapy is shown as a reset (`!!`, with
 * what was lost), not as 'program changed outside the companion'"). The generator resets right after a
 * command's own write ran, and its `EVT kind=boot` is lost on the wire: only the state it then reports
 * (output off, amplitude 0, `rev` moved) is left, and STATE and HB are answered without a session.
 * PROTOCOL.md §9/§10: the companion detects a reset by the boot id in HELLO; the same reset notice as with
 * the event kept, no outside-change warning for the reset's own changes, and the requests after it use
 * the new session. Real session, real link, in-process simulator, the boot event dropped by the tap.
 */

let s: SimSession | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const TUNING = COMMITTED_SCRIPT.slice(0, -1); // window 0.1–0.2 mA measured, test output on at 0.1 mA
const ackOf = (verb: string) => (line: string) => {
  const m = decoded(line);
  return m?.type === 'ACK' && m.of === verb;
};

/** The line's notices and what came after it, until the reset is told and the session settled. */
async function toldAfter(session: SimSession, results: StepResult[]): Promise<Notice[]> {
  const told: Notice[] = results.flatMap((r) => r.notices);
  await until(() => {
    told.push(...session.c.takeNotices());
    return told.some((n) => /The generator was reset/.test(n.reason)) && session.c.view().settled;
  }, 'the reset told');
  return told;
}

/** One reset notice naming what stopped, no outside change, output off; later requests in the new session. */
async function expectToldAsReset(session: SimSession, told: Notice[], stopped: RegExp): Promise<void> {
  const reasons = told.map((n) => n.reason);
  const resets = reasons.filter((r) => /The generator was reset/.test(r));
  expect(resets, reasons.join('\n')).toHaveLength(1);
  expect(resets[0]).toMatch(stopped);
  expect(resets[0]).toMatch(/Output was not turned on again/);
  expect(reasons.join('\n')).not.toMatch(/changed outside the companion/);
  // bb5-N8: a reset ends committed therapy; the link-loss warning must not say it keeps running.
  expect(reasons.join('\n')).not.toMatch(/Committed therapy keeps running/);
  const model = session.rig.generator.server.model;
  expect(model.state.output).toBe('off');
  expect(session.c.view().generator?.output).toBe('off');
  const from = session.rig.tap.outbound.length;
  await session.rig.link.readState();
  const read = session.rig.tap.outbound
    .slice(from)
    .map(decoded)
    .find((m) => m?.type === 'STATE');
  expect(read && 'sess' in read ? read.sess : undefined).toBe(model.session?.sess);
}

describe('a reset right after a command ran, its EVT boot lost (bb4-F4)', () => {
  it('commit: confirmed, then the reset told as stopping committed therapy', async () => {
    s = await simSession(TUNING);
    const fired = resetWithBootLost(s, ackOf('OUTPUT'));
    const results = await s.run(['commit']);
    const told = await toldAfter(s, results);
    expect(fired()).toBe(true);
    expect(results[0]!.notices.map((n) => n.reason)).toContain('therapy committed to the generator');
    await expectToldAsReset(s, told, /committed therapy at 0\.1 mA stopped/);
  });

  it('patient-mode on: amplitude brought down, then the reset told as stopping committed therapy', async () => {
    s = await simSession([...COMMITTED_SCRIPT, 'amp set 0.2', 'patient-window 0.1 0.15']);
    const fired = resetWithBootLost(s, ackOf('SET'));
    const results = await s.run(['patient-mode on']);
    const told = await toldAfter(s, results);
    expect(fired()).toBe(true);
    await expectToldAsReset(s, told, /committed therapy at 0\.15 mA stopped/);
  });

  it('amp set: the ramp cut, the reset told as stopping test stimulation', async () => {
    s = await simSession(TUNING);
    const fired = resetWithBootLost(s, ackOf('SET'));
    const results = await s.run(['amp set 0.2']);
    const told = await toldAfter(s, results);
    expect(fired()).toBe(true);
    expect(results[0]!.accepted).toBe(false);
    await expectToldAsReset(s, told, /test stimulation at 0\.15 mA stopped/);
  });

  it('during a wait in committed therapy: found by the heartbeat, told during the wait', async () => {
    s = await simSession(COMMITTED_SCRIPT, { heartbeatIntervalMs: 100 });
    const fired = resetWithBootLost(s);
    const server = s.rig.generator.server;
    const timer = setTimeout(() => server.reset(), 300);
    const results = await s.run(['wait 1500']).finally(() => clearTimeout(timer));
    const told = await toldAfter(s, results);
    expect(fired()).toBe(false); // reset by the timer, not by a reply
    expect(results[0]!.notices.map((n) => n.reason).join('\n')).toMatch(/The generator was reset/);
    await expectToldAsReset(s, told, /committed therapy at 0\.1 mA stopped/);
  });
});

describe('a reset just before our output off reaches the generator, its EVT boot lost (bb6-N8)', () => {
  /** The generator resets as the first `OUTPUT on=0` reaches it; every EVT boot is dropped. */
  function resetBeforeOff(session: SimSession): () => boolean {
    resetWithBootLost(session);
    let fired = false;
    session.rig.tap.onOutbound = (line, deliver) => {
      const m = decoded(line);
      if (!fired && m?.type === 'OUTPUT' && !m.on) {
        fired = true;
        session.rig.generator.server.reset();
      }
      deliver(line);
    };
    return () => fired;
  }

  it('output off in committed therapy: told as a reset that stopped committed therapy, not as an outside change', async () => {
    s = await simSession(COMMITTED_SCRIPT);
    const fired = resetBeforeOff(s);
    const results = await s.run(['output off']);
    const told = await toldAfter(s, results);
    expect(fired()).toBe(true);
    await expectToldAsReset(s, told, /committed therapy at 0\.1 mA stopped/);
  });

  it('output off during test stimulation: told as a reset that stopped test stimulation', async () => {
    s = await simSession(TUNING);
    const fired = resetBeforeOff(s);
    const results = await s.run(['output off']);
    const told = await toldAfter(s, results);
    expect(fired()).toBe(true);
    await expectToldAsReset(s, told, /test stimulation at 0\.1 mA stopped/);
  });
});

describe('control: a real outside change read the same way (bb4-F4)', () => {
  it('the remote sets 0 mA right after commit (EVT lost): the boot is checked, the same: H17 warning, no reset', async () => {
    s = await simSession(TUNING);
    remoteBefore(s, 'STATE', 0);
    const from = s.rig.tap.outbound.length;
    const [commit] = await s.run(['commit']);
    await s.c.settled();
    const reasons = [...commit!.notices, ...s.c.takeNotices()].map((n) => n.reason);
    const sent = s.rig.tap.outbound.slice(from).map((l) => decoded(l)?.type);
    expect(sent, 'the boot was checked').toContain('HELLO');
    expect(reasons.join('\n')).toMatch(/changed outside the companion/);
    expect(reasons.join('\n')).not.toMatch(/reset|restarted|link to the generator was lost/);
    expect(s.c.view().link.status).toBe('connected');
    expect(s.rig.generator.server.model.state.output).toBe('on');
  });
});
