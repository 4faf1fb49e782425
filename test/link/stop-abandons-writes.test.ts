import { afterEach, describe, expect, it } from 'vitest';
import { StaleCommandError } from '../../src/link/generator-link.js';
import { CANCEL } from '../../protocol/index.js';
import { decoded, inProcessRig, PROGRAM, until, type Rig } from './link-test-kit.js';

/**
 * README: "commands still waiting to be sent are dropped, never sent later". A SET on its way when STOP is
 * pressed (its line lost, so it is unanswered) must never be retransmitted after the STOP: it settles as
 * overtaken by the STOP and the generator's state after the STOP is read instead (black-box F-L6).
 */

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('a confirmed STOP abandons the writes it overtook', () => {
  it('no SET or OUTPUT line goes on the wire after the STOP; the lost SET settles as not confirmed', async () => {
    rig = inProcessRig({ timing: { heartbeatIntervalMs: 60_000 } });
    const { link, tap, generator } = rig;
    await link.connect();
    await link.setProgram(PROGRAM);
    await link.setOutput(true, 'test');
    // The next SET line is lost on the way: without STOP it would be retransmitted after 100 ms.
    let dropped = false;
    tap.onOutbound = (line, deliver) => {
      if (!dropped && decoded(line)?.type === 'SET') {
        dropped = true;
        return;
      }
      deliver(line);
    };
    const set = link.setProgram({ ...PROGRAM, amplitudeUa: PROGRAM.amplitudeUa + 50 }).then(
      () => undefined,
      (e: Error) => e,
    );
    await until(() => dropped, 'the SET on the wire');
    const stopped = await link.stop();
    expect(stopped.output).toBe('off');
    expect(await set).toBeInstanceOf(StaleCommandError);
    // Well past every retransmission the SET had left (3 retries × 100 ms).
    await new Promise((r) => setTimeout(r, 600));
    const stopAt = tap.outbound.findIndex((line) => line.includes(`${CANCEL}STOP`) || decoded(line)?.type === 'STOP');
    expect(stopAt).toBeGreaterThanOrEqual(0);
    const after = tap.outbound.slice(stopAt + 1).map((line) => decoded(line)?.type);
    expect(after).not.toContain('SET');
    expect(after).not.toContain('OUTPUT');
    expect(generator.server.model.state).toMatchObject({ output: 'off', amplitudeUa: PROGRAM.amplitudeUa });
    // The link still works: a new write after the STOP is sent and accepted.
    tap.onOutbound = (line, deliver) => deliver(line);
    await expect(link.setProgram(PROGRAM)).resolves.toMatchObject({ output: 'off' });
  });
});
