import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent, inProcessRig, PROGRAM, type Rig } from '../link/link-test-kit.js';

/**
 * H12 (host or link lost mid-session: no stale command). A request still waiting in the queue when
 * the link is lost was decided for a generator state that no longer holds: it is rejected and never
 * sent after the reconnect; the companion interrogates first (HELLO, STATE).
 */

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('H12: nothing queued before a link loss is sent after it', () => {
  it('a SET queued behind a request that never gets its reply is rejected and never reaches the generator', async () => {
    rig = inProcessRig();
    await rig.link.connect();
    const before = rig.generator.server.model.executions.length;
    const pass = rig.tap.onInbound;
    rig.tap.onInbound = () => {}; // the generator goes silent: the first request times out, the link is lost
    const lost = nextEvent(rig.link, 'status', (e) => e.status === 'reconnecting');
    const first = rig.link.readState();
    const queued = rig.link.setProgram(PROGRAM);
    const results = await Promise.allSettled([first, queued]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await lost;
    const handshake = nextEvent(rig.link, 'handshake');
    rig.tap.onInbound = pass; // the generator answers again
    await handshake;
    await new Promise((r) => setTimeout(r, 100));
    const after = rig.generator.server.model.executions.slice(before).map((e) => e.type);
    expect(after).not.toContain('SET');
    expect(rig.generator.server.model.state.programRev).toBe(0);
  });
});
