import { runLines } from './sim-session.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import { flushEvents } from '../../src/session/script-runner.js';
import { COMMITTED_SCRIPT } from '../helpers/sim-script.js';
import { decoded, inProcessRig, until, type Rig } from '../link/link-test-kit.js';

/**
 * bb4-F12 through the session and the script runner: a `stop` the generator never answers. README:
 * `stop` "their line is printed at once"; PROTOCOL.md §3.3: after REQUEST_RETRIES retransmissions the
 * link counts as lost. So the line is printed, not accepted, says the STOP is not confirmed and why; the
 * STOP stays pending (the UI's `!!` line) and the script goes on with its next lines. When the
 * generator answers again, the held STOP goes first and a later line says it was confirmed.
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

const TUNING = COMMITTED_SCRIPT.slice(0, -1); // window measured, test output on

describe('scs script: a stop the generator never answers (bb4-F12)', () => {
  it('prints the stop line as not confirmed, keeps the STOP pending, and goes on', async () => {
    rig = inProcessRig({ server: { config: { watchdogMs: 60_000 } } });
    const r = rig;
    c = createSessionController({ link: r.link, dwellMs: 0 });
    await c.dispatch({ type: 'CONNECT' });
    await run(TUNING, c);
    expect(r.generator.server.model.state).toMatchObject({ output: 'on', mode: 'test' });
    let dropStops = true;
    r.tap.onOutbound = (line, deliver) => {
      if (!(dropStops && decoded(line)?.type === 'STOP')) deliver(line);
    };

    const [stop, wait] = await run(['stop', 'wait 10'], c);
    expect(stop!.command).toBe('stop');
    expect(stop!.accepted).toBe(false);
    expect(stop!.notices).toContainEqual(
      expect.objectContaining({ kind: 'reject', field: 'link', reason: expect.stringMatching(/^STOP not confirmed/) }),
    );
    expect(stop!.notices.map((n) => n.reason).join('\n')).toMatch(/the generator did not answer it/);
    // The script went on to its next line; the STOP is still pending (shown as `!!` in the UI).
    expect(wait!.command).toBe('wait 10');
    expect(c.view().stopPending).toBe(true);
    expect(r.generator.server.model.state.output).toBe('on');

    // The generator answers again: the held STOP goes first and is confirmed.
    dropStops = false;
    await until(() => r.generator.server.model.state.output === 'off', 'the held STOP run by the generator');
    await until(() => c!.view().settled && c!.view().state !== 'linkLost', 'the session back');
    expect(c.view().stopPending).toBe(false);
    // What happened between two lines comes on an event line of its own (README).
    const event = flushEvents(c);
    expect(event?.generator).toMatchObject({ output: 'off' });
    expect((event?.notices ?? []).map((n) => n.reason).join('\n')).toMatch(
      /the STOP held while the link was down went to the generator first/,
    );
  }, 60_000);
});
