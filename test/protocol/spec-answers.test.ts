import { describe, expect, it } from 'vitest';
import { createGeneratorServer } from '../../firmware-sim/generator-server.js';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import {
  CANCEL,
  ErrorCode,
  PROTOCOL_VERSION,
  decodeMessage,
  encodeMessage,
  type Request,
} from '../../protocol/index.js';
import { CapturingStream } from '../firmware-sim/capturing-stream.js';
import { openModelSession } from '../firmware-sim/model-session.js';
import { SESS, SET_BODY, generator, nak, withCrc } from './spec-generator.js';

/**
 * PROTOCOL.md §12: every question an independent firmware author had to guess under v1, answered by
 * a rule, and the codec and the simulator doing what the rule says. Lines go through the real server.
 */

describe('PROTOCOL.md §12: the questions a firmware author asks', () => {
  it('a MALFORMED NAK always has seq=0, even when a seq is in the line', () => {
    const { send } = generator();
    expect(send('STATE seq=7')).toEqual(nak(0, ErrorCode.MALFORMED)); // no CRC
    expect(send(withCrc('STATE seq=7 seq=8'))).toEqual(nak(0, ErrorCode.MALFORMED)); // a key twice
  });

  it('a lower-case CRC is MALFORMED (seq 0), nothing executed', () => {
    const { server, send } = generator();
    const line = withCrc('HB seq=9');
    const lower = line.slice(0, -4) + line.slice(-4).toLowerCase();
    if (lower === line) return; // a CRC with digits only has no lower case
    expect(send(lower)).toEqual(nak(0, ErrorCode.MALFORMED));
    expect(server.model.executions.at(-1)?.type).toBe('HELLO');
  });

  it('a bad verb: bad syntax is 12 with seq 0; well-formed but unknown is 13 with the seq', () => {
    const { send } = generator();
    expect(send(withCrc('zap seq=4'))).toEqual(nak(0, ErrorCode.MALFORMED));
    expect(send(withCrc('ZAP seq=4'))).toEqual(nak(4, ErrorCode.UNKNOWN_VERB));
  });

  it('an ACK sent to the generator is 13, complete or not', () => {
    const { send } = generator();
    expect(send(withCrc('ACK seq=6 of=STATE'))).toEqual(nak(6, ErrorCode.UNKNOWN_VERB));
    expect(send(encodeMessage({ type: 'ACK', seq: 6, of: 'STOP', output: 'off', rev: 1 }))).toEqual(
      nak(6, ErrorCode.UNKNOWN_VERB),
    );
  });

  it('leading zeros are BAD_FIELD, and a seq with one is not readable (NAK seq=0)', () => {
    const { send } = generator();
    expect(send(withCrc(SET_BODY.replace('pw_us=300', 'pw_us=0300')))).toEqual(nak(5, ErrorCode.BAD_FIELD));
    expect(send(withCrc(SET_BODY.replace('seq=5', 'seq=05')))).toEqual(nak(0, ErrorCode.BAD_FIELD));
  });

  it('quoted numbers mean the number; a space before * and a leading space are accepted', () => {
    const { send } = generator();
    expect(send(withCrc(SET_BODY.replace('pw_us=300', 'pw_us="300"')))).toEqual([
      expect.objectContaining({ type: 'ACK', of: 'SET', state: expect.objectContaining({ pulseWidthUs: 300 }) }),
    ]);
    expect(send(withCrc(`HB seq=6 sess=${SESS} `))).toEqual([
      expect.objectContaining({ type: 'ACK', of: 'HB', seq: 6 }),
    ]);
    expect(send(withCrc(` HB seq=7 sess=${SESS}`))).toEqual([
      expect.objectContaining({ type: 'ACK', of: 'HB', seq: 7 }),
    ]);
  });

  it('unknown fields are ignored, in requests too', () => {
    const { send } = generator();
    expect(send(withCrc(`HB seq=8 sess=${SESS} color=blue`))).toEqual([
      expect.objectContaining({ type: 'ACK', of: 'HB', seq: 8 }),
    ]);
  });

  it('an empty line is ignored: no reply, not counted; CAN discards a partial line an earlier connection left', () => {
    const { server, send } = generator();
    const linesIn = server.counters.linesIn;
    expect(send('')).toEqual([]);
    expect(send('\r')).toEqual([]);
    expect(server.counters.linesIn).toBe(linesIn);
    // A line torn after its CRC, then the next connection's CAN and first request: only the request runs.
    const before = server.model.executions.length;
    const torn = withCrc(SET_BODY.replace('amp_ua=0', 'amp_ua=500'));
    expect(send(`${torn}${CANCEL}${withCrc(`HB seq=9 sess=${SESS}`)}`)).toEqual([
      expect.objectContaining({ type: 'ACK', of: 'HB', seq: 9 }),
    ]);
    expect(server.model.executions.slice(before).map((e) => e.type)).toEqual(['HB']);
  });

  it('"same content" is the decoded request: the same fields in another order are a retransmission', () => {
    const { server, send } = generator();
    const first = send(withCrc(SET_BODY));
    const reordered = withCrc(`SET el=0+-00000 amp_ua=0 pw_us=300 rate_hz=50 rev=0 sess=${SESS} seq=5`);
    expect(send(reordered)).toEqual(first);
    expect(server.model.executionCount(5)).toBe(1);
  });

  it('STATE, HB, IMP and STOP need no HELLO; SET and OUTPUT do (NOT_READY)', () => {
    const model = new GeneratorModel();
    for (const type of ['STATE', 'HB', 'IMP', 'STOP'] as const)
      expect(model.handle({ type, seq: 1 } as Request, 0).type).toBe('ACK');
    expect(
      model.handle(
        {
          type: 'SET',
          seq: 2,
          sess: SESS,
          rev: 0,
          rateHz: 50,
          pulseWidthUs: 300,
          amplitudeUa: 0,
          contacts: '+-000000',
        },
        0,
      ),
    ).toMatchObject({ code: ErrorCode.NOT_READY });
  });

  it('check order inside SET: session and order first, then rev, then rules 1–5; rule 2 per parameter, range before step', () => {
    const model = new GeneratorModel({ newSessionId: () => SESS });
    const bad = { rateHz: 51, pulseWidthUs: 305, amplitudeUa: 30_000, contacts: '0+-0000' }; // rules 1 and 2 broken
    expect(model.handle({ type: 'SET', seq: 1, sess: SESS, rev: 0, ...bad }, 0)).toMatchObject({
      code: ErrorCode.NOT_READY,
    });
    const { stamp } = openModelSession(model, 2);
    expect(model.handle({ type: 'SET', seq: 3, sess: 'ffffffff', rev: 0, ...bad }, 0)).toMatchObject({
      code: ErrorCode.STALE_SESSION,
    });
    expect(model.handle({ type: 'SET', seq: 2, sess: SESS, rev: 0, ...bad }, 0)).toMatchObject({
      code: ErrorCode.STALE_SEQ,
    });
    expect(model.handle({ type: 'SET', seq: 4, sess: SESS, rev: 9, ...bad }, 0)).toMatchObject({
      code: ErrorCode.REV_MISMATCH,
    });
    expect(model.handle(stamp({ type: 'SET', seq: 5, ...bad }), 0)).toMatchObject({ code: ErrorCode.CONTACT_COUNT });
    // Rule 2 one parameter at a time: the off-step pulse width comes before the out-of-range amplitude.
    expect(model.handle(stamp({ type: 'SET', seq: 6, ...bad, rateHz: 50, contacts: '0+-00000' }), 0)).toMatchObject({
      code: ErrorCode.OFF_STEP,
    });
    expect(
      model.handle(stamp({ type: 'SET', seq: 7, ...bad, rateHz: 50, pulseWidthUs: 300, contacts: '0+-00000' }), 0),
    ).toMatchObject({ code: ErrorCode.OUT_OF_RANGE });
  });

  it('the watchdog fires after wd_ms and at most 100 ms later', () => {
    const model = new GeneratorModel({ watchdogMs: 2000 });
    const { stamp } = openModelSession(model);
    model.handle(
      stamp({ type: 'SET', seq: 2, rateHz: 50, pulseWidthUs: 300, amplitudeUa: 500, contacts: '+-000000' }),
      0,
    );
    model.handle(stamp({ type: 'OUTPUT', seq: 3, on: true, mode: 'test' }), 0);
    expect(model.tick(2000)).toEqual([]);
    expect(model.tick(2050)).toEqual([{ type: 'EVT', kind: 'stopped', reason: 'link-loss' }]);
  });

  it('code 10 only from a generator configured to NAK bad CRCs', () => {
    const bad = withCrc('HB seq=3').replace('seq=3', 'seq=4');
    const quiet = generator();
    expect(quiet.send(bad)).toEqual([]);
    const server = createGeneratorServer({ telemetryHz: 0, tickMs: 3_600_000, now: () => 0, nakBadCrc: true });
    const stream = new CapturingStream();
    server.attach(stream as never);
    stream.emit('data', Buffer.from(`${bad}\n`, 'latin1'));
    expect(stream.written.map((l) => decodeMessage(l))).toEqual([
      { ok: true, message: expect.objectContaining({ type: 'NAK', seq: 0, code: ErrorCode.BAD_CRC }) },
    ]);
  });

  it('a late copy of an older HELLO of the same companion is refused and ends nothing', () => {
    const model = new GeneratorModel({ newSessionId: () => SESS });
    const { stamp } = openModelSession(model, 10);
    model.handle(
      stamp({ type: 'SET', seq: 11, rateHz: 50, pulseWidthUs: 300, amplitudeUa: 0, contacts: '+-000000' }),
      0,
    );
    expect(model.handle({ type: 'HELLO', seq: 5, proto: PROTOCOL_VERSION, cid: 'c0ffee00' }, 0)).toMatchObject({
      type: 'NAK',
      code: ErrorCode.STALE_SEQ,
    });
    // A retransmission of the opening HELLO (nothing newer ran) gets the same session.
    const fresh = new GeneratorModel({ newSessionId: () => SESS });
    const first = fresh.handle({ type: 'HELLO', seq: 3, proto: PROTOCOL_VERSION, cid: 'c0ffee00' }, 0);
    expect(fresh.handle({ type: 'HELLO', seq: 3, proto: PROTOCOL_VERSION, cid: 'c0ffee00' }, 0)).toEqual(first);
    expect(fresh.executionCount(3)).toBe(1);
  });
});
