import { afterEach, describe, expect, it } from 'vitest';
import { CANCEL } from '../../protocol/index.js';
import { createSessionController } from '../../src/session/session-controller.js';
import { decoded, inProcessRig, PROGRAM, until, type Rig } from './link-test-kit.js';

/**
 * PROTOCOL.md §4.5 (v2.2): the generator cuts the line on the wire for STOP's ACK (CAN), then re-sends
 * it whole. The host discards the torn part without counting anything, and STOP is confirmed on the
 * short ACK itself (`out=off` is the generator's statement): a STATE read after it is for the view only.
 */

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const NEXT = { ...PROGRAM, amplitudeUa: PROGRAM.amplitudeUa + 50 };

/** A link with output on in test mode at PROGRAM; the SET's ACK that follows is held for `onSetAck`. */
async function outputOn(): Promise<Rig> {
  rig = inProcessRig({ timing: { heartbeatIntervalMs: 60_000 } });
  await rig.link.connect();
  await rig.link.setProgram(PROGRAM);
  await rig.link.setOutput(true, 'test');
  return rig;
}

describe('STOP against a reply torn by CAN, confirmed on its short ACK', () => {
  it("a reply torn by CAN for STOP's ACK is discarded unseen; its whole copy is taken once; nothing counted", async () => {
    const { link, tap } = await outputOn();
    const before = link.stats();
    let setAck: string | undefined;
    tap.onInbound = (line, deliver) => {
      const m = decoded(line);
      if (m?.type === 'ACK' && m.of === 'SET' && setAck === undefined) {
        setAck = line;
        return;
      }
      if (m?.type === 'ACK' && m.of === 'STOP' && setAck !== undefined) {
        // What the generator's UART sends: the SET's ACK cut after 40 bytes, CAN, STOP's ACK, the SET's ACK whole.
        deliver(`${setAck.slice(0, 40)}${CANCEL}${line}`);
        deliver(setAck);
        return;
      }
      deliver(line);
    };
    const set = link.setProgram(NEXT);
    await until(() => setAck !== undefined, "the SET's ACK");
    const stopped = await link.stop();
    expect(await set).toMatchObject({ amplitudeUa: NEXT.amplitudeUa, output: 'on' });
    expect(stopped).toMatchObject({ output: 'off', amplitudeUa: NEXT.amplitudeUa });
    const after = link.stats();
    for (const counter of ['decodeErrors', 'badCrc', 'overruns', 'unmatchedReplies', 'naks', 'retries'] as const)
      expect(after[counter], counter).toBe(before[counter]);
    expect(link.status).toBe('connected');
    expect(link.state).toMatchObject({ output: 'off', amplitudeUa: NEXT.amplitudeUa });
  });

  it('link.stop() resolves on the short ACK, before any STATE reply; the re-read comes after, for the view', async () => {
    const { link, tap, generator } = await outputOn();
    const order: string[] = [];
    let heldState: (() => void) | undefined;
    let heldSet: (() => void) | undefined;
    tap.onInbound = (line, deliver) => {
      const m = decoded(line);
      if (m?.type === 'ACK' && m.of === 'SET' && !heldSet) {
        heldSet = () => deliver(line);
        return;
      }
      if (m?.type === 'ACK' && m.of === 'STATE' && !order.includes('STOP confirmed')) {
        // Held until STOP is confirmed: a link that waits for it never confirms (its retries run out).
        heldState = () => (order.push('STATE reply'), deliver(line));
        return;
      }
      deliver(line);
      if (m?.type === 'ACK' && m.of === 'STOP') heldSet?.();
    };
    const set = link.setProgram(NEXT).catch((e: Error) => e);
    await until(() => heldSet !== undefined, "the SET's ACK");
    const stopped = await link.stop();
    order.push('STOP confirmed');
    expect(order).toEqual(['STOP confirmed']);
    expect(stopped).toMatchObject({ output: 'off', mode: 'none', amplitudeUa: NEXT.amplitudeUa });
    expect(generator.server.model.state).toMatchObject({ output: 'off', programRev: stopped.programRev });
    heldState?.();
    await set;
    await expect(link.setProgram(PROGRAM), 'the basis moved past the STOP').resolves.toMatchObject({
      output: 'off',
      amplitudeUa: PROGRAM.amplitudeUa,
    });
  });

  it('when the revision is not what the overtaken SET explains, the re-read after STOP shows the truth (H17)', async () => {
    const { link, tap, generator, events } = await outputOn();
    const REMOTE = { ...PROGRAM, amplitudeUa: PROGRAM.amplitudeUa + 200 };
    tap.onOutbound = (line, deliver) => {
      // The patient's remote changes the program just before our SET arrives: the SET is refused by rev.
      if (decoded(line)?.type === 'SET') generator.server.externalChange(REMOTE);
      deliver(line);
    };
    let heldSet: (() => void) | undefined;
    tap.onInbound = (line, deliver) => {
      const m = decoded(line);
      if (m?.type === 'NAK' && !heldSet) {
        heldSet = () => deliver(line);
        return;
      }
      deliver(line);
      if (m?.type === 'ACK' && m.of === 'STOP') heldSet?.();
    };
    const set = link.setProgram(NEXT).catch((e: Error) => e);
    await until(() => heldSet !== undefined, "the SET's refusal");
    const stopped = await link.stop();
    expect(stopped.output).toBe('off');
    expect(await set).toBeInstanceOf(Error);
    await until(
      () => link.state?.amplitudeUa === REMOTE.amplitudeUa,
      'the re-read',
      3000,
      () => JSON.stringify({ s: link.state, st: stopped, out: tap.outbound.slice(-5), inb: tap.inbound.slice(-6) }),
    );
    expect(link.state).toMatchObject({ output: 'off', amplitudeUa: REMOTE.amplitudeUa });
    expect(events.some((e) => e.type === 'telemetry' && e.state.amplitudeUa === REMOTE.amplitudeUa)).toBe(true);
  });

  it('the session shows STOP confirmed (output off, the program its own step left) before any STATE reply', async () => {
    rig = inProcessRig({ timing: { heartbeatIntervalMs: 60_000 } });
    const { link, tap } = rig;
    const controller = createSessionController({ link, dwellMs: 0 });
    try {
      await controller.dispatch({ type: 'CONNECT' });
      expect((await controller.dispatch({ type: 'ELECTRODES', spec: ['1+', '2-'] })).accepted).toBe(true);
      expect((await controller.dispatch({ type: 'SEARCH_START' })).accepted).toBe(true);
      const order: string[] = [];
      let heldSet: (() => void) | undefined;
      let stepAmplitude: number | undefined;
      const held: (() => void)[] = [];
      tap.onInbound = (line, deliver) => {
        const m = decoded(line);
        if (m?.type === 'ACK' && m.of === 'SET' && !heldSet) {
          stepAmplitude = m.state.amplitudeUa;
          heldSet = () => deliver(line);
          return;
        }
        if (m?.type === 'ACK' && m.of === 'STATE' && !order.includes('session settled')) {
          held.push(() => (order.push('STATE reply'), deliver(line)));
          return;
        }
        deliver(line);
        if (m?.type === 'ACK' && m.of === 'STOP') heldSet?.();
      };
      controller.send({ type: 'AMPLITUDE_UP' });
      await until(() => heldSet !== undefined, "the step's ACK");
      controller.send({ type: 'STOP' });
      const view = await controller.settled();
      order.push('session settled');
      expect(order).toEqual(['session settled']);
      for (const release of held) release();
      expect(view.generator).toMatchObject({ output: 'off', amplitudeUa: stepAmplitude });
      expect(view.notices.filter((n) => n.kind === 'warn')).toEqual([]);
    } finally {
      controller.dispose();
    }
  });
});
