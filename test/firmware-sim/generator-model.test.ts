import { describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION, type Reply, type Request } from '../../protocol/index.js';
import { GeneratorModel, type GeneratorConfig } from '../../firmware-sim/generator-model.js';
import { TEST_CID } from './model-session.js';

const GOOD = { rateHz: 50, pulseWidthUs: 200, amplitudeUa: 1000, contacts: '+-000000' };

/** A model after HELLO, with a helper that numbers requests and stamps SET/OUTPUT with the session and current revision. */
function connected(config: Partial<GeneratorConfig> = {}) {
  const model = new GeneratorModel({ newBootId: () => 'aaaa0001', ...config });
  let seq = 0;
  let now = 0;
  let sess = '';
  const send = (r: Record<string, unknown> & { type: Request['type'] }, atMs = now): Reply => {
    now = atMs;
    const stamp = r.type === 'SET' || r.type === 'OUTPUT' ? { sess, rev: model.state.programRev } : {};
    return model.handle({ seq: ++seq, ...stamp, ...r } as Request, atMs);
  };
  const hello = send({ type: 'HELLO', proto: PROTOCOL_VERSION, cid: TEST_CID });
  expect(hello.type).toBe('ACK');
  sess = hello.type === 'ACK' && hello.of === 'HELLO' ? hello.session! : '';
  return { model, send };
}

function nakCode(reply: Reply): number | undefined {
  return reply.type === 'NAK' ? reply.code : undefined;
}

describe('GeneratorModel: SET applies exactly or refuses (never clamps)', () => {
  it('ACKs the applied values and bumps programRev', () => {
    const { model, send } = connected();
    const reply = send({ type: 'SET', ...GOOD });
    expect(reply).toMatchObject({ type: 'ACK', of: 'SET', state: { ...GOOD, programRev: 1, output: 'off' } });
    expect(model.state).toMatchObject(GOOD);
    // Re-sending the same program is not a change.
    send({ type: 'SET', ...GOOD });
    expect(model.state.programRev).toBe(1);
  });

  it.each([
    ['rate below range', { rateHz: 1 }, ErrorCode.OUT_OF_RANGE],
    ['rate above range', { rateHz: 1201 }, ErrorCode.OUT_OF_RANGE],
    ['pulse width below range', { pulseWidthUs: 10 }, ErrorCode.OUT_OF_RANGE],
    ['pulse width above range', { pulseWidthUs: 1010, amplitudeUa: 0 }, ErrorCode.OUT_OF_RANGE],
    ['amplitude above range', { amplitudeUa: 25_550, contacts: '++++----' }, ErrorCode.OUT_OF_RANGE],
    ['amplitude off step', { amplitudeUa: 1025 }, ErrorCode.OFF_STEP],
    ['pulse width off step', { pulseWidthUs: 205 }, ErrorCode.OFF_STEP],
    ['too few contacts', { contacts: '+-00000' }, ErrorCode.CONTACT_COUNT],
    ['too many contacts', { contacts: '+-0000000' }, ErrorCode.CONTACT_COUNT],
    ['amplitude without an anode', { contacts: '0-000000' }, ErrorCode.NO_ANODE],
    ['amplitude without a cathode', { contacts: '+0000000' }, ErrorCode.NO_CATHODE],
    ['charge density over 30 µC/cm² (18.4 mA at 200 µs)', { amplitudeUa: 18_400 }, ErrorCode.CHARGE_DENSITY],
    [
      'charge density over 30 µC/cm² (7.4 mA at 500 µs)',
      { pulseWidthUs: 500, amplitudeUa: 7_400 },
      ErrorCode.CHARGE_DENSITY,
    ],
  ])('refuses %s and changes nothing', (_name, change, code) => {
    const { model, send } = connected();
    const before = model.state;
    const reply = send({ type: 'SET', ...GOOD, ...change });
    expect(nakCode(reply)).toBe(code);
    expect(model.state).toEqual(before);
  });

  it('accepts the boundary values exactly', () => {
    const { send } = connected();
    expect(send({ type: 'SET', ...GOOD, amplitudeUa: 18_350 }).type).toBe('ACK');
    expect(send({ type: 'SET', ...GOOD, pulseWidthUs: 500, amplitudeUa: 7_350 }).type).toBe('ACK');
    expect(send({ type: 'SET', ...GOOD, rateHz: 2, pulseWidthUs: 20 }).type).toBe('ACK');
    expect(send({ type: 'SET', rateHz: 1200, pulseWidthUs: 1000, amplitudeUa: 0, contacts: '00000000' }).type).toBe(
      'ACK',
    );
  });

  it('allows amplitude 0 without an anode or a cathode (a program may be built up)', () => {
    const { send } = connected();
    expect(send({ type: 'SET', ...GOOD, amplitudeUa: 0, contacts: '00000000' }).type).toBe('ACK');
  });

  it('respects its own configured limits', () => {
    const { send } = connected({
      amplitudeUa: { min: 0, max: 10_000, step: 100 },
      contactCount: 4,
      maxChargeDensity: 10,
    });
    expect(nakCode(send({ type: 'SET', ...GOOD, amplitudeUa: 1050, contacts: '+-00' }))).toBe(ErrorCode.OFF_STEP);
    expect(nakCode(send({ type: 'SET', ...GOOD, amplitudeUa: 6_200, contacts: '+-00' }))).toBe(
      ErrorCode.CHARGE_DENSITY,
    );
    expect(send({ type: 'SET', ...GOOD, amplitudeUa: 6_100, contacts: '+-00' }).type).toBe('ACK');
  });

  it('while output is on, refuses any change but amplitude (LIVE_CHANGE) and allows amplitude', () => {
    const { model, send } = connected();
    send({ type: 'SET', ...GOOD });
    send({ type: 'OUTPUT', on: true, mode: 'test' });
    expect(nakCode(send({ type: 'SET', ...GOOD, rateHz: 60 }))).toBe(ErrorCode.LIVE_CHANGE);
    expect(nakCode(send({ type: 'SET', ...GOOD, pulseWidthUs: 210 }))).toBe(ErrorCode.LIVE_CHANGE);
    expect(nakCode(send({ type: 'SET', ...GOOD, contacts: '-+000000' }))).toBe(ErrorCode.LIVE_CHANGE);
    expect(send({ type: 'SET', ...GOOD, amplitudeUa: 1050 })).toMatchObject({
      type: 'ACK',
      state: { amplitudeUa: 1050, output: 'on' },
    });
    expect(model.state).toMatchObject({ ...GOOD, amplitudeUa: 1050 });
  });

  it('needs HELLO before SET or OUTPUT on=1 (NOT_READY), but never before STOP, OUTPUT on=0, STATE, HB or IMP', () => {
    const model = new GeneratorModel();
    const sess = 'abcdef01';
    expect(nakCode(model.handle({ type: 'SET', seq: 1, sess, rev: 0, ...GOOD }, 0))).toBe(ErrorCode.NOT_READY);
    expect(nakCode(model.handle({ type: 'OUTPUT', seq: 2, sess, rev: 0, on: true, mode: 'test' }, 0))).toBe(
      ErrorCode.NOT_READY,
    );
    // Turning output off is always safe: never refused for session, order or revision reasons (§4.4).
    expect(model.handle({ type: 'OUTPUT', seq: 4, sess, rev: 7, on: false, mode: 'test' }, 0)).toMatchObject({
      type: 'ACK',
      of: 'OUTPUT',
      state: { output: 'off' },
    });
    expect(model.handle({ type: 'STOP', seq: 3 }, 0)).toMatchObject({ type: 'ACK', of: 'STOP', output: 'off' });
    for (const type of ['STATE', 'HB', 'IMP'] as const)
      expect(model.handle({ type, seq: 5 }, 0)).toMatchObject({ type: 'ACK', of: type });
  });
});

describe('GeneratorModel: HELLO', () => {
  it('reports identity and hardware limits', () => {
    const model = new GeneratorModel({ newBootId: () => '0badcafe', newSessionId: () => '5e550001' });
    expect(model.handle({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION, cid: TEST_CID }, 0)).toEqual({
      type: 'ACK',
      seq: 1,
      of: 'HELLO',
      session: '5e550001',
      ended: 'none',
      identity: { proto: 2, firmware: '1.0.0', serial: 'SIM-000001', bootId: '0badcafe' },
      limits: {
        amplitudeUa: { min: 0, max: 25_500, step: 50 },
        pulseWidthUs: { min: 20, max: 1000, step: 10 },
        rateHz: { min: 2, max: 1200, step: 1 },
        contactCount: 8,
        contactAreaCm2: 0.1225,
        maxChargeDensity: 30,
        watchdogMs: 2000,
      },
    });
  });

  it('refuses another protocol version, and then refuses programming (even after an earlier good HELLO)', () => {
    const model = new GeneratorModel({ newSessionId: () => '5e550001' });
    const sess = '5e550001';
    expect(nakCode(model.handle({ type: 'HELLO', seq: 1, proto: 1 }, 0))).toBe(ErrorCode.VERSION_MISMATCH);
    expect(nakCode(model.handle({ type: 'SET', seq: 2, sess, rev: 0, ...GOOD }, 0))).toBe(ErrorCode.NOT_READY);
    expect(model.handle({ type: 'HELLO', seq: 3, proto: PROTOCOL_VERSION, cid: TEST_CID }, 0).type).toBe('ACK');
    expect(model.handle({ type: 'SET', seq: 4, sess, rev: 0, ...GOOD }, 0).type).toBe('ACK');
    expect(nakCode(model.handle({ type: 'HELLO', seq: 5, proto: 99, cid: TEST_CID }, 0))).toBe(
      ErrorCode.VERSION_MISMATCH,
    );
    expect(nakCode(model.handle({ type: 'SET', seq: 6, sess, rev: 1, ...GOOD, amplitudeUa: 500 }, 0))).toBe(
      ErrorCode.NOT_READY,
    );
  });
});

describe('GeneratorModel: OUTPUT and STOP', () => {
  it('refuses output without a valid program (NO_PROGRAM)', () => {
    const { model, send } = connected();
    expect(nakCode(send({ type: 'OUTPUT', on: true, mode: 'test' }))).toBe(ErrorCode.NO_PROGRAM);
    expect(model.state.output).toBe('off');
  });

  it('therapy mode commits, test mode does not; switching to therapy while on commits the running program', () => {
    const { send } = connected();
    send({ type: 'SET', ...GOOD });
    expect(send({ type: 'OUTPUT', on: true, mode: 'test' })).toMatchObject({
      state: { output: 'on', mode: 'test', committed: false },
    });
    expect(send({ type: 'OUTPUT', on: true, mode: 'therapy' })).toMatchObject({
      state: { output: 'on', mode: 'therapy', committed: true },
    });
    expect(send({ type: 'OUTPUT', on: false, mode: 'therapy' })).toMatchObject({
      state: { output: 'off', mode: 'none', committed: false },
    });
  });

  it('STOP always turns output off, is idempotent and keeps the program', () => {
    const { model, send } = connected();
    send({ type: 'SET', ...GOOD });
    send({ type: 'OUTPUT', on: true, mode: 'therapy' });
    const rev = model.state.programRev;
    const first = send({ type: 'STOP' });
    // The short ACK (§4.5): output and the revision, which moved once (output on → off).
    expect(first).toEqual({ type: 'ACK', seq: 4, of: 'STOP', output: 'off', rev: rev + 1 });
    expect(model.state).toMatchObject({ output: 'off', committed: false, ...GOOD });
    const second = send({ type: 'STOP' });
    expect(second).toEqual({ type: 'ACK', seq: 5, of: 'STOP', output: 'off', rev: rev + 1 });
    expect(model.state.output).toBe('off');
  });

  it('measures impedance per contact, open and short included', () => {
    const { send } = connected({ contactCount: 4, impedances: [950, 'open', 'short'] });
    const reply = send({ type: 'IMP' });
    expect(reply.type === 'ACK' && reply.of === 'IMP' && reply.ohms).toEqual([
      950,
      'open',
      'short',
      expect.any(Number),
    ]);
    if (reply.type === 'ACK' && reply.of === 'IMP') {
      const last = reply.ohms[3] as number;
      expect(last).toBeGreaterThanOrEqual(800);
      expect(last).toBeLessThanOrEqual(1200);
    }
  });
});
