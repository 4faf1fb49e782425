import { runLines } from './sim-session.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import { flushEvents } from '../../src/session/script-runner.js';
import { decoded, inProcessRig, until, type Rig } from '../link/link-test-kit.js';

/**
 * bb4-F8: late copies of `EVT kind=stopped reason=link-loss` and of the EVT boot of a reset already
 * told reach the companion during a healthy search. PROTOCOL.md §4.9: "The state always tells the same
 * story; events only make it faster": the re-read says output on, so nothing is stopped and no stop is
 * told. A real stop (the state reads off) is still told (test/session/event-once.test.ts).
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

describe('late copies of a stop event and of a told reset (bb4-F8)', () => {
  it('leave a healthy search running and tell no stop', async () => {
    rig = inProcessRig({ server: { config: { watchdogMs: 60_000 } } });
    const r = rig;
    c = createSessionController({ link: r.link, dwellMs: 0 });
    await c.dispatch({ type: 'CONNECT' });
    await run(['electrodes 1- 2+', 'pw 300'], c);
    r.generator.server.reset();
    // The reset's EVT boot is handled a macrotask after it is read (430fb1b): wait until it was told.
    await until(() => {
      const v = c!.view();
      const told = v.notices.some((n) => n.field === 'generator' && /reset/.test(n.reason));
      return told && v.settled && v.state === 'ready' && v.link.status === 'connected';
    }, 'reset told');
    const bootLine = r.tap.inbound.find((l) => decoded(l)?.type === 'EVT' && /kind=boot/.test(l))!;
    expect(bootLine).toBeDefined();
    await run(['search start', 'amp up'], c);
    flushEvents(c);
    expect(r.generator.server.model.state).toMatchObject({ output: 'on', mode: 'test', amplitudeUa: 50 });
    const executed = r.generator.server.model.executions.length;

    // The copies ride in front of the next line from the generator.
    let injected = false;
    r.tap.onInbound = (line, deliver) => {
      if (!injected) {
        injected = true;
        deliver(bootLine);
        deliver('EVT kind=stopped reason=link-loss*9347');
        deliver('EVT kind=program-changed reason=external*C8DE');
      }
      deliver(line);
    };
    await until(() => injected, 'the copies delivered');
    const [wait] = await run(['wait 300'], c);
    expect(wait!.generator).toMatchObject({ output: 'on', mode: 'test', amplitudeMa: 0.05 });
    expect(wait!.state).toBe('search');
    expect(wait!.notices.map((n) => n.reason).join('\n')).not.toMatch(/stopped its output|stops after a link loss/);
    const after = r.generator.server.model.executions.slice(executed);
    expect(after.filter((e) => e.type === 'OUTPUT' || e.type === 'STOP')).toEqual([]);
    expect(r.generator.server.model.state.output).toBe('on');
  }, 60_000);
});
