import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { ErrorCode, MAX_SEQ, PROTOCOL_VERSION, encodeMessage } from '../../protocol/index.js';
import { openModelSession } from '../firmware-sim/model-session.js';
import { SESS, generator, nak, withCrc } from './spec-generator.js';

/**
 * PROTOCOL.md v2.2 answers to blackbox-2's spec gaps: `OUTPUT on=0` is never refused for what it lacks,
 * a quoted `*` is MALFORMED, a lower-case-CRC STOP is not CRC-valid, a pre-renewal HELLO copy is stale.
 */
describe('PROTOCOL.md v2.2: blackbox-2 spec gaps', () => {
  it('OUTPUT on=0 turns output off whatever else is missing or broken (sess, rev, mode, seq), answered with the full state (v2.2)', () => {
    const { server, send } = generator();
    let seq = 5;
    const on = () => {
      const rev = server.model.state.programRev;
      send(encodeMessage({ type: 'OUTPUT', seq: ++seq, sess: SESS, rev, on: true, mode: 'test' }));
      expect(server.model.state.output).toBe('on');
    };
    send(
      encodeMessage({
        type: 'SET',
        seq,
        sess: SESS,
        rev: 0,
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 500,
        contacts: '+-000000',
      }),
    );
    const off = (line: string, replySeq: number) => {
      on();
      expect(send(withCrc(line))).toEqual([
        expect.objectContaining({
          type: 'ACK',
          seq: replySeq,
          of: 'OUTPUT',
          state: expect.objectContaining({ output: 'off', mode: 'none' }),
        }),
      ]);
      expect(server.model.state.output).toBe('off');
    };
    off('OUTPUT seq=900 on=0', 900);
    off(`OUTPUT seq=901 sess=${SESS} rev=0 on=0`, 901);
    off('OUTPUT seq=902 sess=nope rev=x on=0 mode=none', 902);
    off('OUTPUT on=0', 0);
    off('OUTPUT seq=007 on=0 mode=test', 0);
    // Such a line does not touch the session's order: the next request of the session still runs.
    on();
    // Without on=0 it is an ordinary BAD_FIELD (nothing changed); a second `on` is MALFORMED.
    expect(send(withCrc(`OUTPUT seq=903 sess=${SESS} rev=0 mode=test`))).toEqual(nak(903, ErrorCode.BAD_FIELD));
    expect(send(withCrc(`OUTPUT seq=904 sess=${SESS} on=0 on=1 mode=test`))).toEqual(nak(0, ErrorCode.MALFORMED));
    expect(server.model.state.output).toBe('on');
  });

  it('a quoted value holding * or \\ is MALFORMED (seq 0); one with an apostrophe is fine; a STOP with one still runs', () => {
    const { send } = generator();
    expect(send(withCrc('STATE seq=28 x="a*b"'))).toEqual(nak(0, ErrorCode.MALFORMED));
    expect(send(withCrc('STATE seq=28 x="a\\b"'))).toEqual(nak(0, ErrorCode.MALFORMED));
    expect(send(withCrc('STATE seq=29 x="a\'b"'))).toEqual([expect.objectContaining({ type: 'ACK', seq: 29 })]);
    expect(send(withCrc('STOP seq=30 x="a*b"'))).toEqual([
      expect.objectContaining({ type: 'ACK', seq: 30, of: 'STOP' }),
    ]);
  });

  it('a quoted * or a key twice makes a line MALFORMED, yet a CRC-valid STOP or OUTPUT on=0 with one turns output off (§12, bb3 F-L2)', () => {
    const { server, send } = generator();
    let seq = 5;
    send(withCrc(`SET seq=${seq} sess=${SESS} rev=0 rate_hz=50 pw_us=300 amp_ua=500 el=+-000000`));
    const offBy = (body: string, of: 'STOP' | 'OUTPUT') => {
      const rev = server.model.state.programRev;
      send(encodeMessage({ type: 'OUTPUT', seq: ++seq, sess: SESS, rev, on: true, mode: 'test' }));
      expect(server.model.state.output, body).toBe('on');
      expect(send(withCrc(body)), body).toEqual([expect.objectContaining({ type: 'ACK', of })]);
      expect(server.model.state.output, body).toBe('off');
    };
    offBy('STOP seq=40 note="x*y"', 'STOP');
    offBy('STOP seq=41 note="x\\y"', 'STOP');
    offBy('STOP seq=42 seq=43', 'STOP');
    offBy('OUTPUT seq=44 on=0 note="x*y"', 'OUTPUT');
    offBy('OUTPUT seq=45 on=0 mode=test mode=test', 'OUTPUT');
  });

  it('a STOP with a lower-case CRC is not CRC-valid: MALFORMED (seq 0), output stays on (§2, §4.5)', () => {
    const { server, send } = generator();
    send(
      encodeMessage({
        type: 'SET',
        seq: 5,
        sess: SESS,
        rev: 0,
        rateHz: 50,
        pulseWidthUs: 300,
        amplitudeUa: 500,
        contacts: '+-000000',
      }),
    );
    send(encodeMessage({ type: 'OUTPUT', seq: 6, sess: SESS, rev: 1, on: true, mode: 'test' }));
    // Pick a seq whose CRC has a letter, so that lower case differs.
    const line = [7, 8, 9, 10, 11, 12]
      .map((n) => `\x18${withCrc(`STOP seq=${n}`)}`)
      .find((l) => /[A-F]/.test(l.slice(-4)))!;
    expect(send(line.slice(0, -4) + line.slice(-4).toLowerCase())).toEqual(nak(0, ErrorCode.MALFORMED));
    expect(server.model.state.output).toBe('on');
  });

  it('after a renewal (same cid, seq back to 1) a late copy of a HELLO from before it is STALE_SEQ and ends nothing (v2.2)', () => {
    let n = 0;
    const model = new GeneratorModel({ newSessionId: () => `5e55a00${++n}` });
    const cid = 'c0ffee00';
    const old = MAX_SEQ - 900;
    openModelSession(model, old, 0, cid);
    const renewed = openModelSession(model, 1, 0, cid);
    const set = (seq: number) =>
      model.handle(
        renewed.stamp({ type: 'SET', seq, rateHz: 50, pulseWidthUs: 300, amplitudeUa: 0, contacts: '+-000000' }),
        0,
      );
    expect(set(2)).toMatchObject({ type: 'ACK' });
    expect(model.handle({ type: 'HELLO', seq: old, proto: PROTOCOL_VERSION, cid }, 0)).toMatchObject({
      type: 'NAK',
      code: ErrorCode.STALE_SEQ,
    });
    expect(model.session?.sess).toBe(renewed.sess);
    expect(set(3)).toMatchObject({ type: 'ACK' });
    // The companion's own next HELLO (a reconnection) still opens a session; so does another companion's.
    expect(model.handle({ type: 'HELLO', seq: 4, proto: PROTOCOL_VERSION, cid }, 0)).toMatchObject({ type: 'ACK' });
    expect(model.handle({ type: 'HELLO', seq: old, proto: PROTOCOL_VERSION, cid: 'dddddddd' }, 0)).toMatchObject({
      type: 'ACK',
    });
  });
});
