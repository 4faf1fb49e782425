import { afterEach, describe, expect, it } from 'vitest';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import { IgnoresOff } from '../helpers/ignores-off-model.js';
import { COMMITTED_SCRIPT } from '../helpers/sim-script.js';
import { inProcessRig, type Rig } from '../link/link-test-kit.js';
import { runLines } from './sim-session.js';

/**
 * bb5-N3 item 3: a read after our own `output off` that says output is still on is said as such, in
 * the clinician's words, on that line ("output still on … switch it off by hand"), and the line is not
 * accepted; never "stops" or a generic "another output state".
 */

let rig: Rig | undefined;
let c: SessionController | undefined;
afterEach(async () => {
  c?.dispose();
  await rig?.close();
  rig = c = undefined;
});

describe('output off answered with output still on', () => {
  it('the line says output is still on and how to end it', async () => {
    rig = inProcessRig({ server: { model: new IgnoresOff() }, timing: { heartbeatIntervalMs: 60_000 } });
    c = createSessionController({ link: rig.link, dwellMs: 0 });
    await c.dispatch({ type: 'CONNECT' });
    await runLines(COMMITTED_SCRIPT.slice(0, -1), c);
    const [off] = await runLines(['output off'], c);
    expect(off!.accepted).toBe(false);
    expect(off!.notices).toContainEqual(
      expect.objectContaining({
        kind: 'warn',
        field: 'output',
        requested: 'off',
        applied: 'on',
        reason: expect.stringMatching(/^output still on: the generator reports output on .* switch it off by hand$/),
      }),
    );
    expect(off!.notices.map((n) => n.reason).join('\n')).not.toMatch(/stops after a link loss/);
    expect(rig.generator.server.model.state.output).toBe('on');
  });
});
