import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../protocol/index.js';
import { NakError } from '../../src/link/generator-link.js';
import { PROGRAM, decoded, inProcessRig, until, type Rig } from './link-test-kit.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('STALE_SEQ to the companion’s own request (PROTOCOL.md §10 step 5)', () => {
  it('re-reads STATE before anything else, keeps the link, and reports the request as refused', async () => {
    rig = inProcessRig({ timing: { heartbeatIntervalMs: 60_000 } });
    await rig.link.connect();
    await rig.link.setProgram(PROGRAM);
    await rig.link.setOutput(true, 'test');
    // Hold every copy of the next SET on its way to the generator until a STOP has overtaken it:
    // the generator then answers the (older) SET with STALE_SEQ and never runs it.
    const heldSets: string[] = [];
    let forward: ((line: string) => void) | undefined;
    rig.tap.onOutbound = (line, deliver) => {
      forward = deliver;
      if (decoded(line)?.type === 'SET') heldSets.push(line);
      else deliver(line);
    };
    const set = rig.link.setProgram({ ...PROGRAM, amplitudeUa: 1550 });
    const settled = set.catch((e: unknown) => e);
    await until(() => heldSets.length > 0, 'the SET was written');
    await expect(rig.link.stop()).resolves.toMatchObject({ output: 'off' });
    const statesBefore = rig.generator.server.model.executions.filter((e) => e.type === 'STATE').length;
    const outboundBefore = rig.tap.outbound.length;
    rig.tap.onOutbound = (line, deliver) => deliver(line);
    for (const line of heldSets.splice(0)) forward!(line);

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
});
