import { afterEach, describe, expect, it } from 'vitest';
import { MAX_SEQ, SEQ_RENEW_MARGIN } from '../../protocol/index.js';
import { LOSS_REASON } from '../../src/link/loss-reasons.js';
import { decoded, inProcessRig, nextEvent, PROGRAM, type Rig } from './link-test-kit.js';

/**
 * PROTOCOL.md §4.1/§9: "the companion detects the reset by the boot id in HELLO and never turns output on
 * by itself afterwards". The HELLO that renews the session near the end of the seq space (§3.3) is a
 * HELLO too: when it finds another boot (a reset whose EVT boot was lost), the companion does not carry
 * on in the reset generator's fresh session; the link is lost, reconnects and reports the reset.
 */

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('a session renewal that meets a reset generator', () => {
  it('is not adopted: the write after it is never sent, the link reconnects and sees the reset', async () => {
    // HELLO, STATE, SET: the next request is due for renewal.
    rig = inProcessRig({ firstSeq: MAX_SEQ - SEQ_RENEW_MARGIN - 2, timing: { heartbeatIntervalMs: 60_000 } });
    const { link, tap, generator } = rig;
    await link.connect();
    // Amplitude 0: the reset changes no program field, so the revision basis still matches (§3.4 does not save us).
    await link.setProgram({ ...PROGRAM, amplitudeUa: 0 });
    tap.onInbound = (line, deliver) => {
      const m = decoded(line);
      if (m?.type === 'EVT' && m.kind === 'boot') return; // lost on the wire
      deliver(line);
    };
    const model = generator.server.model;
    const from = model.executions.length;
    generator.server.reset();
    const lost = nextEvent(link, 'status', (e) => e.status === 'reconnecting');
    const back = nextEvent(link, 'handshake');
    const on = await link.setOutput(true, 'test').then(
      () => 'sent',
      (e: Error) => e.name,
    );
    expect(on).toBe('ResetFoundError');
    expect((await lost).reason).toBe(LOSS_REASON.reset);
    expect((await back).resetDetected).toBe(true);
    const ran = model.executions.slice(from).map((e) => e.type);
    expect(ran).not.toContain('OUTPUT');
    expect(ran).not.toContain('SET');
    expect(model.state.output).toBe('off');
  });
});
