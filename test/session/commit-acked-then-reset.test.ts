import { afterEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../src/session/notice.js';
import type { StepResult } from '../../src/session/script-runner.js';
import { COMMITTED_SCRIPT } from '../helpers/sim-script.js';
import { decoded } from '../link/link-test-kit.js';
import { until } from '../helpers/until.js';
import { simSession, type SimSession } from './sim-session.js';

/**
 * Black-box finding bb4-F5 (H10): `commit` is ACKed by the generator (`mode=therapy com=1`) and the
 * generator resets right after, so the ACK and `EVT kind=boot` arrive in the same read. The ACK is the
 * generator's own word that the commit was applied (README: `accepted` reflects what the generator
 * applied); the reset then stopped it. So the commit line is accepted with "therapy committed", and the
 * reset notice says committed therapy stopped (not "test stimulation"), and output is not turned on again.
 * Real session, real link, in-process simulator; the tap holds the ACK until the boot event, then passes both.
 */

let s: SimSession | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const TUNING = COMMITTED_SCRIPT.slice(0, -1); // window 0.1–0.2 mA measured, test output on at 0.1 mA
const reasons = (r: StepResult | undefined) => (r?.notices ?? []).map((n) => n.reason);

/** Resets the generator once it has answered the first OUTPUT; that ACK and EVT boot reach the link together. */
function resetAfterOutputAck(session: SimSession): () => boolean {
  const server = session.rig.generator.server;
  let held: string | undefined;
  let both = false;
  session.rig.tap.onInbound = (line, deliver) => {
    const m = decoded(line);
    if (held === undefined && m?.type === 'ACK' && m.of === 'OUTPUT') {
      held = line;
      server.reset();
      return;
    }
    if (held !== undefined && !both && m?.type === 'EVT' && m.kind === 'boot') {
      both = true;
      deliver(held);
    }
    deliver(line);
  };
  return () => both;
}

describe('commit ACKed just before a reset, its ACK and EVT boot in one read (bb4-F5)', () => {
  it('the commit is confirmed, and the reset is told as stopping committed therapy; output stays off', async () => {
    s = await simSession(TUNING);
    const delivered = resetAfterOutputAck(s);
    const [commit] = await s.run(['commit']);
    // What the reconnection tells (between script lines): collected until the reset is told and settled.
    const after: Notice[] = [];
    await until(() => {
      after.push(...s!.c.takeNotices());
      return after.some((n) => /The generator was reset/.test(n.reason)) && s!.c.view().settled;
    }, 'the reset told after the commit line');
    expect(delivered(), 'the ACK and the boot event went together').toBe(true);
    expect(commit!.accepted, JSON.stringify(commit!.notices)).toBe(true);
    expect(reasons(commit)).toContain('therapy committed to the generator');
    expect(reasons(commit).join('\n')).not.toMatch(/not confirmed|not completed/);
    const told = [...reasons(commit), ...after.map((n) => n.reason)].filter((r) => /The generator was reset/.test(r));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/committed therapy at 0\.1 mA stopped/);
    expect(told[0]).toMatch(/Output was not turned on again/);
    expect(s.rig.generator.server.model.state.output).toBe('off');
    expect(s.c.view().generator?.output).toBe('off');
  });
});
