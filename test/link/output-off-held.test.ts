import { afterEach, describe, expect, it } from 'vitest';
import { parseScript } from '../../src/session/script-parser.js';
import { runScript } from '../../src/session/script-runner.js';
import { startPtySession, type PtySession } from '../helpers/pty-session.js';
import { until } from '../helpers/until.js';

/**
 * `output off` pressed while the link is down (PROTOCOL.md §10 step 2, README "sent first on
 * reconnection"): held like STOP, the person told so, and sent first, as a STOP before HELLO, when the
 * port comes back. Over a REAL pseudo-terminal with the real serial binding, unplugged and replugged.
 */

let session: PtySession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

describe('output off while the link is down', () => {
  it('is held, said to be held, and sent first (STOP before HELLO) when the port comes back', async () => {
    // A long watchdog: the test output must still be on when the port comes back, so only the held
    // request can be what turns it off first.
    session = await startPtySession({ telemetryHz: 0, config: { watchdogMs: 60_000 } });
    const { generator, controller } = session;
    await controller.dispatch({ type: 'CONNECT' });
    const parsed = parseScript('electrodes 1- 2+\nsearch start\namp up\namp up\n');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const lines = await runScript(parsed.steps, controller);
    expect(lines.map((l) => l.accepted)).toEqual([true, true, true, true]);
    const model = generator.server.model;
    expect(model.state).toMatchObject({ output: 'on', mode: 'test', amplitudeUa: 100 });

    generator.unplug();
    await until(() => controller.view().state === 'linkLost', 'link loss');
    controller.takeNotices();
    const outcome = await controller.dispatch({ type: 'OUTPUT_OFF' });
    // Not refused as "not connected": held, and the person is told so (it is not applied yet).
    expect(outcome.accepted).toBe(false);
    expect(outcome.notices).toEqual([
      expect.objectContaining({ field: 'output', reason: expect.stringMatching(/held/) }),
    ]);
    expect(outcome.notices[0]!.reason).toMatch(/first .*when the link returns/);
    expect(controller.view().state).toBe('linkLost');
    expect(model.state.output).toBe('on');

    const before = model.executions.length;
    await generator.replug();
    await until(() => model.state.output === 'off', 'output off after the port came back');
    await until(() => controller.view().state === 'ready', 'the session back, output off');
    const after = model.executions.slice(before).map((e) => e.type);
    expect(after[0]).toBe('STOP');
    expect(after).toContain('HELLO');
    expect(after.indexOf('STOP')).toBeLessThan(after.indexOf('HELLO'));
    expect(after).not.toContain('OUTPUT');
    expect(controller.view().generator).toMatchObject({ output: 'off' });
    expect(model.state.output).toBe('off');
  }, 60_000);
});
