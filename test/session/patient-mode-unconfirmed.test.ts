import { runLines } from './sim-session.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import type { StepResult } from '../../src/session/script-runner.js';
import { COMMITTED_SCRIPT } from '../helpers/sim-script.js';
import { decoded, inProcessRig, until, type Rig } from '../link/link-test-kit.js';

/**
 * bb4-F6: `patient-mode on` brings amplitude down into the patient window with a SET; when the link is
 * lost before the generator confirmed it, the line is not accepted and says "not confirmed". README: a
 * notice is one true sentence, `accepted` only when applied; so the line carries no notice saying it was
 * done ("amplitude brought down at once …", "patient mode on: …"). Confirmed, it says both.
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

// Window 0.1–0.2 mA measured, test output on; the patient window 0.1–0.15 mA and amplitude above it.
const ABOVE = [...COMMITTED_SCRIPT.slice(0, -1), 'patient-window 0.1 0.15', 'amp set 0.2'];
const said = (l: StepResult) => l.notices.map((n) => n.reason).join('\n');

async function session(): Promise<{ r: Rig; c: SessionController }> {
  rig = inProcessRig({ timing: { heartbeatIntervalMs: 60_000 }, server: { config: { watchdogMs: 60_000 } } });
  c = createSessionController({ link: rig.link, dwellMs: 0 });
  await c.dispatch({ type: 'CONNECT' });
  await run(ABOVE, c);
  expect(rig.generator.server.model.state).toMatchObject({ output: 'on', amplitudeUa: 200 });
  return { r: rig, c };
}

describe('patient-mode on not confirmed (bb4-F6)', () => {
  it('says not confirmed and nothing that claims it was done', async () => {
    const { r, c: controller } = await session();
    let dropReplies = false;
    r.tap.onOutbound = (line, deliver) => {
      if (decoded(line)?.type === 'SET') dropReplies = true; // the SET runs; every reply to it is lost
      deliver(line);
    };
    r.tap.onInbound = (line, deliver) => {
      if (!dropReplies) deliver(line);
    };
    const done = run(['patient-mode on'], controller);
    await until(() => controller.view().state === 'linkLost', 'the link lost under the SET');
    dropReplies = false;
    r.tap.onOutbound = (line, deliver) => deliver(line);
    const [line] = await done;
    expect(line!.accepted).toBe(false);
    expect(said(line!)).toMatch(/not confirmed/);
    expect(said(line!)).not.toMatch(/brought down at once/);
    expect(said(line!)).not.toMatch(/patient mode on: the patient may change amplitude only/);
  }, 60_000);

  it('confirmed, the line says what it did', async () => {
    const { c: controller } = await session();
    const [line] = await run(['patient-mode on'], controller);
    expect(line!.accepted).toBe(true);
    expect(line!.generator).toMatchObject({ amplitudeMa: 0.15 });
    expect(said(line!)).toMatch(/patient mode on: amplitude brought down at once to the patient window max 0\.15 mA/);
    expect(said(line!)).toMatch(/patient mode on: the patient may change amplitude only/);
  }, 60_000);
});
