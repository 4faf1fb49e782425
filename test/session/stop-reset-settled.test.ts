import { runLines } from './sim-session.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import { flushEvents } from '../../src/session/script-runner.js';
import { COMMITTED_SCRIPT } from '../helpers/sim-script.js';
import { decoded, inProcessRig, until, type Rig } from '../link/link-test-kit.js';

/**
 * bb4-F11: a reset lands just before the script's `stop` (its EVT boot reaches the companion before
 * STOP's ACK, so the link is lost with the STOP unconfirmed). README: "a later notice says when the
 * generator confirmed output off"; a reset is told with what it stopped and "Output was not turned on
 * again" (every reset case). So the `stop` line says not confirmed, and a later line settles it: the held
 * STOP confirmed, and what the reset did.
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

describe('a reset just before stop (bb4-F11)', () => {
  it('the stop line says not confirmed; a later line says the STOP was confirmed and what the reset did', async () => {
    rig = inProcessRig({ timing: { heartbeatIntervalMs: 60_000 } });
    const r = rig;
    c = createSessionController({ link: r.link, dwellMs: 0 });
    await c.dispatch({ type: 'CONNECT' });
    await run(TUNING, c);
    expect(r.generator.server.model.state).toMatchObject({ output: 'on', mode: 'test' });
    let resetDone = false;
    r.tap.onOutbound = (line, deliver) => {
      // The generator resets just before the first STOP reaches it: its EVT boot goes out before the ACK.
      if (!resetDone && decoded(line)?.type === 'STOP') {
        resetDone = true;
        r.generator.server.reset();
      }
      deliver(line);
    };

    const [stop] = await run(['stop'], c);
    expect(resetDone).toBe(true);
    expect(stop!.accepted).toBe(false);
    expect(stop!.notices).toContainEqual(
      expect.objectContaining({ kind: 'reject', reason: expect.stringMatching(/^STOP not confirmed yet/) }),
    );

    await until(() => c!.view().settled && c!.view().state === 'ready', 'the session back after the reset');
    const later = flushEvents(c);
    const said = (later?.notices ?? []).map((n) => n.reason).join('\n');
    expect(said).toMatch(/the STOP held while the link was down went to the generator first .*confirmed/);
    expect(said).toMatch(/The generator was reset .*test stimulation at 0\.1 mA stopped/);
    expect(said).toMatch(/Output was not turned on again/);
    expect(c.view().stopPending).toBe(false);
    expect(later?.generator).toMatchObject({ output: 'off' });
  }, 60_000);
});
