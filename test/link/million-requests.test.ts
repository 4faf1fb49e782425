import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { ErrorCode, MAX_SEQ, type Reply } from '../../protocol/index.js';
import { CompanionSession } from '../../src/link/companion-session.js';

/**
 * No lock-out (PROTOCOL.md §3.3): one companion session of 1.2 million requests (heartbeats, sets,
 * STOPs and output on again) with a simulated clock, the companion's own session logic against the
 * generator model. It starts 600 000 before the end of the sequence space, so it must renew its
 * session on the way (same cid: test output keeps running), and nothing is ever refused as stale.
 */

const PROGRAM = { rateHz: 50, pulseWidthUs: 300, contacts: '+-000000' };

describe('no lock-out over a million requests', () => {
  it('1.2 million requests across the end of the seq space: never stale, never locked out, output kept through the renewal', () => {
    // 1.2 million half-seconds is a week of output: no battery drain, so only the protocol is under test.
    const model = new GeneratorModel({ batteryDrainPctPerS: 0 });
    const companion = new CompanionSession({ cid: 'c0a1c0a1', firstSeq: MAX_SEQ - 600_000 });
    let now = 0;
    let renewals = 0;
    const refusals: Record<number, number> = {};
    const send = (reply: Reply): Reply => {
      if (reply.type === 'NAK') refusals[reply.code] = (refusals[reply.code] ?? 0) + 1;
      if (reply.type === 'ACK' && 'state' in reply && reply.of !== 'HB') companion.noteRead(reply.state);
      return reply;
    };
    const hello = () => {
      const r = send(model.handle(companion.hello(), now));
      if (r.type !== 'ACK' || r.of !== 'HELLO' || !r.session) throw new Error(`HELLO refused: ${JSON.stringify(r)}`);
      expect(r.ended).toBe('none');
      companion.opened(r.session);
    };
    hello();
    send(model.handle(companion.plain('STATE'), now));
    send(
      model.handle({ type: 'SET', seq: companion.nextSeq(), ...companion.stamp(), ...PROGRAM, amplitudeUa: 1000 }, now),
    );
    send(model.handle({ type: 'OUTPUT', seq: companion.nextSeq(), ...companion.stamp(), on: true, mode: 'test' }, now));
    const sessionBefore = model.session!.sess;
    let requests = 4;
    while (requests < 1_200_000) {
      now += 500; // a heartbeat period: the watchdog (2 s) never fires while requests flow
      if (companion.renewalDue) {
        hello();
        renewals++;
        requests++;
        expect(model.state.output, `output survives the renewal (${requests}, ${JSON.stringify(refusals)})`).toBe('on');
      }
      const k = requests % 1000;
      const seq = companion.nextSeq();
      if (k === 500) {
        const stop = send(model.handle(companion.stopRequest(), now));
        if (stop.type === 'ACK' && stop.of === 'STOP') companion.afterStop(stop);
        expect(model.state.output).toBe('off');
        companion.noteRead(model.state);
      } else if (k === 501)
        send(model.handle({ type: 'OUTPUT', seq, ...companion.stamp(), on: true, mode: 'test' }, now));
      else if (k % 10 === 0)
        send(
          model.handle({ type: 'SET', seq, ...companion.stamp(), ...PROGRAM, amplitudeUa: 1000 + 50 * (k % 20) }, now),
        );
      else send(model.handle(companion.plain('HB', seq), now));
      requests++;
    }
    expect(renewals).toBe(1);
    expect(model.session!.sess).not.toBe(sessionBefore);
    expect(model.session!.cid).toBe('c0a1c0a1');
    expect(refusals[ErrorCode.STALE_SEQ] ?? 0).toBe(0);
    expect(refusals[ErrorCode.STALE_SESSION] ?? 0).toBe(0);
    expect(refusals[ErrorCode.REV_MISMATCH] ?? 0).toBe(0);
    expect(refusals).toEqual({});
    expect(model.state.output).toBe('on');
  });
});
