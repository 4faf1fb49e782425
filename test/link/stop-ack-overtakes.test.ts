import { afterEach, describe, expect, it } from 'vitest';
import { decoded, inProcessRig, PROGRAM, until, type Rig } from './link-test-kit.js';

/**
 * PROTOCOL.md §4.5: the generator may send STOP's ACK ahead of the reply to a request sent before the
 * STOP (its transmit queue lets STOP's ACK overtake queued lines). The link matches replies by seq, so it
 * must confirm the STOP, take the earlier reply for what it is (older than the STOP), and end with the
 * generator's true state: output off, the program the SET left, and a revision basis that still works.
 */

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("the link copes with STOP's ACK arriving before an earlier request's reply", () => {
  it('STOP confirmed off; the late SET ACK never leaves the link showing output on; the next write is accepted', async () => {
    rig = inProcessRig({ timing: { heartbeatIntervalMs: 60_000 } });
    const { link, tap, generator } = rig;
    await link.connect();
    await link.setProgram(PROGRAM);
    await link.setOutput(true, 'test');
    // From here the SET's ACK is held back until STOP's ACK has reached the companion.
    let held: (() => void) | undefined;
    let order: string[] = [];
    tap.onInbound = (line, deliver) => {
      const m = decoded(line);
      if (m?.type === 'ACK' && m.of === 'SET' && !held) {
        held = () => deliver(line);
        return;
      }
      if (m?.type === 'ACK') order.push(m.of);
      deliver(line);
      if (m?.type === 'ACK' && m.of === 'STOP' && held) {
        order.push('SET');
        held();
      }
    };
    const next = { ...PROGRAM, amplitudeUa: PROGRAM.amplitudeUa + 50 };
    const set = link.setProgram(next).then(
      (s) => s,
      (e: Error) => e,
    );
    // STOP only after the SET is on its way (a SET still queued in the link would be cancelled instead).
    await until(() => held !== undefined, "the SET's ACK");
    const stopped = await link.stop();
    expect(order.slice(0, 2), 'the STOP ACK did come first').toEqual(['STOP', 'SET']);
    expect(stopped.output).toBe('off');
    expect(generator.server.model.state).toMatchObject({ output: 'off', amplitudeUa: next.amplitudeUa });
    await set;
    // Whatever the late SET ACK said (output on), the link's view is the generator's: off, new amplitude.
    expect(link.state).toMatchObject({ output: 'off', amplitudeUa: next.amplitudeUa });
    expect(stopped).toMatchObject({ output: 'off', amplitudeUa: next.amplitudeUa });
    order = [];
    // The revision basis moved past both: a new write is not refused REV_MISMATCH.
    await expect(link.setProgram(PROGRAM)).resolves.toMatchObject({ output: 'off', amplitudeUa: PROGRAM.amplitudeUa });
  });
});
