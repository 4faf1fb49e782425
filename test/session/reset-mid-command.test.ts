import { runLines } from './sim-session.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import type { StepResult } from '../../src/session/script-runner.js';
import { COMMITTED_SCRIPT } from '../helpers/sim-script.js';
import { decoded, inProcessRig, until, type Rig } from '../link/link-test-kit.js';

/**
 * Issues 12/13, README "Link loss and generator reset: … never turns output on by itself": a generator
 * reset that lands in the middle of a script line (the fault soak's `armed` invariant) disarms it.
 * Whatever the reset point (before each request of the line), with its EVT boot delivered or lost (the
 * companion then learns of it from NOT_READY), no OUTPUT on=1 and nothing else of the line runs on the
 * reset generator, the line is not accepted and says the generator was reset, and output stays off.
 * The same for a cable pulled and another companion's HELLO (STALE_SESSION), said as a link loss.
 */

let rig: Rig | undefined;
let c: SessionController | undefined;
afterEach(async () => {
  c?.dispose();
  await rig?.close();
  rig = undefined;
  c = undefined;
});

const run = runLines;

const TUNING = COMMITTED_SCRIPT.slice(0, -1); // window 0.1–0.2 mA measured, test output on at 0.1 mA

/** A session on the in-process simulator (no heartbeat, no telemetry: only the line's own requests). */
async function session(setup: readonly string[]): Promise<{ rig: Rig; c: SessionController }> {
  rig = inProcessRig({ timing: { heartbeatIntervalMs: 60_000 } });
  c = createSessionController({ link: rig.link, dwellMs: 0 });
  await c.dispatch({ type: 'CONNECT' });
  const done = await run(setup, c);
  expect(done.map((r) => [r.command, r.accepted])).toEqual(setup.map((l) => [l, true]));
  return { rig, c };
}

/** Drops the generator's EVT boot lines (lost on the wire): the companion must find the reset by itself. */
function loseBootEvents(r: Rig): void {
  r.tap.onInbound = (line, deliver) => {
    const m = decoded(line);
    if (m?.type === 'EVT' && m.kind === 'boot') return;
    deliver(line);
  };
}

/** Back on a link and settled in a stable state after the fault. */
async function recovered(controller: SessionController): Promise<void> {
  await until(
    () =>
      controller.view().link.status === 'connected' &&
      controller.view().settled &&
      controller.view().state !== 'linkLost',
    'the session to recover',
  );
}

/** SET or OUTPUT on=1 the generator ran from execution `from` on. */
const writesSince = (r: Rig, from: number) =>
  r.generator.server.model.executions.slice(from).filter((e) => e.type === 'SET' || (e.type === 'OUTPUT' && e.on));

const resetSaid = (result: StepResult) =>
  result.notices.filter((n) => n.kind === 'reject' && /the generator was (found )?reset/.test(n.reason));

interface LineCase {
  line: string;
  setup: readonly string[];
  /** The line's requests in order; the reset lands before one of them. */
  requests: readonly string[];
}

const LINES: readonly LineCase[] = [
  { line: 'search start', setup: ['electrodes 1- 2+', 'pw 300'], requests: ['IMP', 'SET', 'OUTPUT'] },
  { line: 'output on', setup: [...TUNING, 'output off'], requests: ['SET', 'OUTPUT'] },
  { line: 'commit', setup: TUNING, requests: ['OUTPUT'] },
  // A ramp 0.1 → 0.2 mA, one 0.05 mA step at a time: the reset cuts it; nothing after it is sent.
  { line: 'amp set 0.2', setup: TUNING, requests: ['SET', 'SET'] },
];

/** What lands just before one of the line's requests reaches the generator. */
const FAULTS = {
  'reset, EVT boot delivered': (r: Rig) => r.generator.server.reset(),
  'reset, EVT boot lost': (r: Rig) => {
    loseBootEvents(r);
    r.generator.server.reset();
  },
  // The request is never delivered: the cable is gone before it.
  'cable pulled': (r: Rig) => r.generator.unplug(),
  // STALE_SESSION (18) to our next write: another companion's session is the open one.
  "another companion's HELLO": (r: Rig) =>
    void r.generator.server.model.handle({ type: 'HELLO', seq: 1, proto: 2, cid: 'f0f0f0f0' }, performance.now()),
};

describe('a reset (or link loss) in the middle of a command line never lets it turn output on', () => {
  for (const { line, setup, requests } of LINES)
    for (const [fault, land] of Object.entries(FAULTS))
      for (let k = 0; k < requests.length; k++)
        it(`'${line}': ${fault} before its ${requests[k]} (request ${k + 1})`, async () => {
          const { rig: r, c: s } = await session(setup);
          const model = r.generator.server.model;
          let seen = -1;
          let at = -1;
          r.tap.onOutbound = (text, deliver) => {
            const m = decoded(text);
            if (m && m.type !== 'HB' && at < 0 && ++seen === k) {
              expect(m.type).toBe(requests[k]);
              at = model.executions.length;
              land(r);
            }
            deliver(text);
          };
          const [result] = await run([line], s);
          expect(at, 'the fault landed during the line').toBeGreaterThanOrEqual(0);
          await recovered(s);
          expect(writesSince(r, at), 'nothing of the line ran after the fault').toEqual([]);
          expect(model.state.output).toBe('off');
          expect(s.view().generator?.output).toBe('off');
          expect(result!.accepted).toBe(false);
          const said = result!.notices.filter((n) => n.kind === 'reject').map((n) => n.reason);
          expect(said, JSON.stringify(result!.notices)).toEqual([
            fault.startsWith('reset')
              ? expect.stringMatching(/^not completed: the generator was reset/)
              : expect.stringMatching(/^not confirmed: the link was lost/),
          ]);
        });
});

describe('a reset or link loss while a line waits to be sent disarms it (the fault soak, seed 895807201)', () => {
  /** Holds the reply to a re-read, so the line is given while the session is still busy, and lands `fault`. */
  async function faultWhileWaiting(
    line: string,
    setup: readonly string[],
    fault: (r: Rig) => void,
    bootLost = false,
  ): Promise<{ result: StepResult; r: Rig; s: SessionController; at: number }> {
    const { rig: r, c: s } = await session(setup);
    let held: (() => void) | undefined;
    r.tap.onInbound = (text, deliver) => {
      const m = decoded(text);
      if (bootLost && m?.type === 'EVT' && m.kind === 'boot') return;
      if (m?.type === 'ACK' && m.of === 'STATE' && !held) return void (held = () => deliver(text));
      deliver(text);
    };
    s.send({ type: 'REFRESH' });
    await until(() => held !== undefined, 'the re-read under way');
    const given = run([line], s);
    const at = r.generator.server.model.executions.length;
    fault(r);
    await new Promise((done) => setTimeout(done, 5));
    held!();
    const [result] = await given;
    await recovered(s);
    return { result: result!, r, s, at };
  }

  const reset = (r: Rig) => r.generator.server.reset();
  const unplug = (r: Rig) => r.generator.unplug();

  for (const { line, setup } of LINES.slice(0, 2)) {
    it(`'${line}' given before a reset it had not met yet (EVT boot delivered) is not sent, said as a reset`, async () => {
      const { result, r, at } = await faultWhileWaiting(line, setup, reset);
      expect(writesSince(r, at)).toEqual([]);
      expect(r.generator.server.model.state.output).toBe('off');
      expect(result.accepted).toBe(false);
      const said = resetSaid(result);
      expect(said).toHaveLength(1);
      expect(said[0]!.reason).toMatch(/^not run: .*output stays off/);
    });

    it(`'${line}' given before a reset whose EVT boot is lost: its first write meets NOT_READY; nothing of it runs after`, async () => {
      const { result, r, at } = await faultWhileWaiting(line, setup, reset, true);
      expect(writesSince(r, at)).toEqual([]);
      expect(r.generator.server.model.state.output).toBe('off');
      expect(result.accepted).toBe(false);
      expect(resetSaid(result)[0]?.reason).toMatch(/^not completed: the generator was reset/);
    });

    it(`'${line}' given before the cable was pulled and plugged back is not sent after the reconnection`, async () => {
      const { result, r, at, s } = await faultWhileWaiting(line, setup, unplug);
      expect(writesSince(r, at)).toEqual([]);
      expect(s.view().generator?.output).toBe('off');
      expect(result.accepted).toBe(false);
      expect(result.notices.filter((n) => n.kind === 'reject').map((n) => n.reason)).toEqual([
        expect.stringMatching(/^not run: the link to the generator was lost while this command waited/),
      ]);
    });
  }

  it('a line reached while the link is already down still waits for it and runs (README)', async () => {
    const { rig: r, c: s } = await session(['electrodes 1- 2+', 'pw 300']);
    r.tap.onOutbound = () => {}; // the generator hears nothing: the next request times out, the link is lost
    s.send({ type: 'REFRESH' });
    await until(() => s.view().state === 'linkLost', 'the link loss');
    r.tap.onOutbound = (text, deliver) => deliver(text);
    const [result] = await run(['search start'], s);
    expect(result!.accepted).toBe(true);
    expect(r.generator.server.model.state.output).toBe('on');
  });
});
