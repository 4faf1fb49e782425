import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/index.js';
import { NakError } from '../../src/link/generator-link.js';
import { LOSS_REASON } from '../../src/link/loss-reasons.js';
import { PROGRAM, decoded, inProcessRig, nextEvent, until, type Rig } from './link-test-kit.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/**
 * Test output on, then a SET held on its way to the generator until a STOP has overtaken it: released,
 * the generator answers that (older) SET with STALE_SEQ and never runs it.
 */
async function setOvertakenByStop(r: Rig): Promise<{ settled: Promise<unknown>; release: () => void }> {
  await r.link.connect();
  await r.link.setProgram(PROGRAM);
  await r.link.setOutput(true, 'test');
  const heldSets: string[] = [];
  let forward: ((line: string) => void) | undefined;
  r.tap.onOutbound = (line, deliver) => {
    forward = deliver;
    if (decoded(line)?.type === 'SET') heldSets.push(line);
    else deliver(line);
  };
  const settled = r.link.setProgram({ ...PROGRAM, amplitudeUa: 1550 }).catch((e: unknown) => e);
  await until(() => heldSets.length > 0, 'the SET was written');
  await expect(r.link.stop()).resolves.toMatchObject({ output: 'off' });
  return {
    settled,
    release: () => {
      r.tap.onOutbound = (line, deliver) => deliver(line);
      for (const line of heldSets.splice(0)) forward!(line);
    },
  };
}

describe('STALE_SEQ to the companion’s own request (PROTOCOL.md §10 step 5)', () => {
  it('re-reads STATE before anything else, keeps the link, and reports the request as refused', async () => {
    rig = inProcessRig({ timing: { heartbeatIntervalMs: 60_000 } });
    const { settled, release } = await setOvertakenByStop(rig);
    const statesBefore = rig.generator.server.model.executions.filter((e) => e.type === 'STATE').length;
    const outboundBefore = rig.tap.outbound.length;
    release();

    const error = await settled;
    expect(error).toBeInstanceOf(NakError);
    expect((error as NakError).code).toBe(ErrorCode.STALE_SEQ);
    // The re-read happened before the refusal was reported: STATE went out after the NAK and ran.
    const sentAfter = rig.tap.outbound.slice(outboundBefore).map((l) => decoded(l)?.type);
    expect(sentAfter).toContain('STATE');
    const states = rig.generator.server.model.executions.filter((e) => e.type === 'STATE').length;
    expect(states).toBe(statesBefore + 1);
    expect(rig.link.state).toMatchObject({ output: 'off', amplitudeUa: PROGRAM.amplitudeUa });
    expect(rig.link.state?.programRev).toBe(rig.generator.server.model.state.programRev);
    // A refusal, not a link loss: still connected, no reconnection, and the next write goes through.
    expect(rig.link.status).toBe('connected');
    expect(rig.link.stats().linkLosses).toBe(0);
    expect(rig.generator.server.model.state.amplitudeUa).toBe(PROGRAM.amplitudeUa);
    await expect(rig.link.setProgram({ ...PROGRAM, amplitudeUa: 1600 })).resolves.toMatchObject({
      amplitudeUa: 1600,
    });
  });

  it('a reset (its EVT boot lost) before that re-read is found by the boot check, not adopted (bb4-F4)', async () => {
    rig = inProcessRig({ timing: { heartbeatIntervalMs: 60_000 } });
    const { settled, release } = await setOvertakenByStop(rig);
    const server = rig.generator.server;
    rig.tap.onInbound = (line, deliver) => {
      const m = decoded(line);
      if (m?.type === 'EVT' && m.kind === 'boot') return; // lost on the wire
      if (m?.type === 'NAK' && m.code === ErrorCode.STALE_SEQ) server.reset();
      deliver(line);
    };
    const lost = nextEvent(rig.link, 'status', (e) => e.status === 'reconnecting');
    const back = nextEvent(rig.link, 'handshake');
    release();
    expect(((await settled) as NakError).code).toBe(ErrorCode.STALE_SEQ);
    expect((await lost).reason).toBe(LOSS_REASON.reset);
    expect((await back).resetDetected).toBe(true);
  });
});
