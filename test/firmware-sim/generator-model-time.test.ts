import { describe, expect, it } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION, type Reply, type Request } from '../../protocol/index.js';
import { GeneratorModel, type GeneratorConfig } from '../../firmware-sim/generator-model.js';
import { openModelSession, TEST_CID } from './model-session.js';

const PROGRAM = { rateHz: 50, pulseWidthUs: 200, amplitudeUa: 1000, contacts: '+-000000' };

function runningSession(mode: 'test' | 'therapy', config: Partial<GeneratorConfig> = {}) {
  let ids = 0;
  const model = new GeneratorModel({ newBootId: () => `0000000${++ids}`, ...config });
  const { stamp, sess } = openModelSession(model);
  model.handle(stamp({ type: 'SET', seq: 2, ...PROGRAM }), 0);
  expect(model.handle(stamp({ type: 'OUTPUT', seq: 3, on: true, mode }), 0).type).toBe('ACK');
  return { model, stamp, sess };
}
const running = (mode: 'test' | 'therapy', config: Partial<GeneratorConfig> = {}) => runningSession(mode, config).model;

describe('watchdog', () => {
  it('stops uncommitted test stimulation when the link is silent past the timeout, and says why', () => {
    const model = running('test');
    expect(model.tick(2000)).toEqual([]);
    expect(model.state.output).toBe('on');
    expect(model.tick(2001)).toEqual([{ type: 'EVT', kind: 'stopped', reason: 'link-loss' }]);
    expect(model.state).toMatchObject({ output: 'off', mode: 'none', amplitudeUa: 1000 });
    expect(model.tick(5000)).toEqual([]);
  });

  it("the session's own lines feed it: heartbeats with its sess keep test stimulation running", () => {
    const { model, sess } = runningSession('test');
    for (let t = 500, seq = 10; t <= 10_000; t += 500, seq++) {
      model.handle({ type: 'HB', seq, sess }, t);
      expect(model.tick(t + 400)).toEqual([]);
    }
    expect(model.state.output).toBe('on');
    model.noteLinkActivity(11_000);
    expect(model.tick(12_900)).toEqual([]);
    expect(model.state.output).toBe('on');
  });

  it("while a session is open, another session's or no session's HB/STATE does not feed it (§7)", () => {
    const { model } = runningSession('test');
    for (let t = 500, seq = 10; t <= 4_000; t += 500, seq++) {
      model.handle({ type: 'HB', seq, sess: '0badc0de' }, t);
      model.handle({ type: 'STATE', seq: seq + 100 }, t);
    }
    expect(model.state.output).toBe('off');
  });

  it('fires on the next request too, before it is executed, when nobody ticked', () => {
    const model = running('test', { watchdogMs: 1000 });
    const reply = model.handle({ type: 'STATE', seq: 9 }, 5000);
    expect(reply).toMatchObject({ type: 'ACK', state: { output: 'off' } });
    expect(model.tick(5000)).toEqual([{ type: 'EVT', kind: 'stopped', reason: 'link-loss' }]);
  });

  it('keeps committed therapy running without the link', () => {
    const model = running('therapy');
    expect(model.tick(60 * 60 * 1000)).toEqual([]);
    expect(model.state).toMatchObject({ output: 'on', mode: 'therapy', committed: true });
  });
});

describe('reply cache: a retransmitted request is never executed twice', () => {
  it('replays the cached reply for the same seq and content while it is the newest of the session', () => {
    const { model, stamp } = runningSession('test');
    const set = stamp({ type: 'SET', seq: 20, ...PROGRAM, amplitudeUa: 1500 });
    const first = model.handle(set, 100);
    const again = model.handle(set, 200);
    expect(again).toEqual(first);
    expect(model.executionCount(20)).toBe(1);
    expect(model.state.amplitudeUa).toBe(1500);
  });

  it('an older retransmission is refused STALE_SEQ, not replayed, once a newer request ran (§3.3)', () => {
    const { model, stamp } = runningSession('test');
    const set = stamp({ type: 'SET', seq: 20, ...PROGRAM, amplitudeUa: 1500 });
    model.handle(set, 100);
    // Meanwhile the amplitude changes under another seq; the retransmission must not undo it.
    model.handle(stamp({ type: 'SET', seq: 21, ...PROGRAM, amplitudeUa: 2000 }), 150);
    expect(model.handle(set, 200)).toMatchObject({ type: 'NAK', seq: 20, code: ErrorCode.STALE_SEQ });
    expect(model.executionCount(20)).toBe(1);
    expect(model.state.amplitudeUa).toBe(2000);
  });

  it("an OUTPUT on=1 retransmitted after a STOP gets STALE_SEQ, never its cached 'out=on' ACK (blackbox-12 #6)", () => {
    const { model, stamp, sess } = runningSession('test');
    model.handle({ type: 'STOP', seq: 4, sess }, 0);
    const on = stamp({ type: 'OUTPUT', seq: 5, on: true, mode: 'test' });
    expect(model.handle(on, 10)).toMatchObject({ type: 'ACK', state: { output: 'on' } });
    expect(model.handle({ type: 'STOP', seq: 6, sess }, 20)).toMatchObject({ type: 'ACK', of: 'STOP', output: 'off' });
    expect(model.handle(on, 30)).toMatchObject({ type: 'NAK', seq: 5, code: ErrorCode.STALE_SEQ });
    expect(model.state.output).toBe('off');
  });

  it("no cached reply is replayed after any STOP, even one without this session's sess, nor after OUTPUT on=0 (§3.3, bb3 F-L1)", () => {
    // Each of these turns output off without raising `hi`; the newest request's retransmission that
    // follows must not get its cached `out=on` ACK after the reply that said output is off.
    const offs: [string, (m: GeneratorModel) => Reply][] = [
      ['STOP without sess', (m) => m.handle({ type: 'STOP', seq: 5 }, 20)],
      ['STOP with an unreadable seq', (m) => m.stopUnread(0, 20)],
      ['OUTPUT on=0 without sess', (m) => m.outputOffUnread(0, 20)],
    ];
    for (const [what, off] of offs) {
      const { model, stamp } = runningSession('test');
      const set = stamp({ type: 'SET', seq: 4, ...PROGRAM, amplitudeUa: 1500 });
      const first = model.handle(set, 5);
      expect(first, what).toMatchObject({ type: 'ACK', state: { output: 'on' } });
      expect(model.handle(set, 10), `${what}: replayed before`).toEqual(first);
      off(model);
      expect(model.state.output, what).toBe('off');
      expect(model.handle(set, 30), what).toMatchObject({ type: 'NAK', seq: 4, code: ErrorCode.STALE_SEQ });
      expect(model.executionCount(4), what).toBe(1);
    }
  });

  it('replays a NAK too; a different request with an old seq is refused STALE_SEQ, not executed', () => {
    const { model, stamp } = runningSession('test');
    const bad = stamp({ type: 'SET', seq: 30, ...PROGRAM, rateHz: 60 });
    expect(model.handle(bad, 0)).toMatchObject({ type: 'NAK', code: ErrorCode.LIVE_CHANGE });
    expect(model.handle(bad, 10)).toMatchObject({ type: 'NAK', code: ErrorCode.LIVE_CHANGE });
    expect(model.executionCount(30)).toBe(1);
    expect(model.handle(stamp({ type: 'SET', seq: 30, ...PROGRAM, amplitudeUa: 500 }), 20)).toMatchObject({
      type: 'NAK',
      code: ErrorCode.STALE_SEQ,
    });
    expect(model.executionCount(30)).toBe(1);
    expect(model.state.amplitudeUa).toBe(PROGRAM.amplitudeUa);
  });

  it('never replays a STOP: STOP always runs and reports the output now', () => {
    const { model, stamp } = runningSession('test');
    model.handle({ type: 'STOP', seq: 40 }, 0);
    model.handle(stamp({ type: 'OUTPUT', seq: 41, on: true, mode: 'test' }), 10);
    const again = model.handle({ type: 'STOP', seq: 40 }, 20);
    expect(again).toMatchObject({ type: 'ACK', of: 'STOP', output: 'off', rev: model.state.programRev });
    expect(model.state.output).toBe('off');
  });

  it('HELLO starts a new session: requests of the earlier one are refused, not replayed or executed', () => {
    const { model, stamp } = runningSession('test');
    const old = stamp({ type: 'SET', seq: 50, ...PROGRAM, amplitudeUa: 1500 });
    model.handle(old, 0);
    model.handle(stamp({ type: 'SET', seq: 51, ...PROGRAM, amplitudeUa: 1000 }), 0);
    openModelSession(model, 52, 10);
    expect(model.handle(old, 20)).toMatchObject({ type: 'NAK', code: ErrorCode.STALE_SESSION });
    expect(model.executionCount(50)).toBe(1);
    expect(model.state.amplitudeUa).toBe(1000);
  });
});

describe('reset', () => {
  it('reboots: new boot id, output off, amplitude 0, session and reply cache gone, EVT boot', () => {
    const { model, stamp } = runningSession('therapy');
    const oldBoot = model.bootId;
    const set = stamp({ type: 'SET', seq: 60, ...PROGRAM, amplitudeUa: 1500 });
    model.handle(set, 0);
    const event = model.reset(100);
    expect(model.bootId).not.toBe(oldBoot);
    expect(event).toEqual({ type: 'EVT', kind: 'boot', bootId: model.bootId });
    expect(model.tick(100)).toEqual([event]);
    expect(model.state).toMatchObject({ output: 'off', amplitudeUa: 0, committed: false, contacts: PROGRAM.contacts });
    expect(model.handle(set, 200)).toMatchObject({ code: ErrorCode.NOT_READY });
    expect(model.executionCount(60)).toBe(1);
  });

  it('makes a random boot id by default', () => {
    const ids = new Set<string>();
    const model = new GeneratorModel();
    for (let i = 0; i < 20; i++) ids.add(model.reset(i).bootId!);
    expect(ids.size).toBeGreaterThan(15);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('battery', () => {
  it('drains only while output is on', () => {
    const model = running('therapy', { batteryDrainPctPerS: 1 });
    model.tick(10_000);
    expect(model.state.batteryPct).toBe(90);
    model.handle({ type: 'STOP', seq: 9 }, 10_000);
    model.tick(50_000);
    expect(model.state.batteryPct).toBe(90);
  });

  it('reports battery-low under 20%, then stops output when empty and refuses to start again', () => {
    const { model, stamp } = runningSession('therapy', { batteryPct: 25, batteryDrainPctPerS: 1 });
    model.tick(5_000);
    expect(model.state.faults).toEqual([]);
    expect(model.tick(5_500)).toEqual([{ type: 'EVT', kind: 'battery', reason: 'low' }]);
    expect(model.state.faults).toEqual(['battery-low']);
    expect(model.tick(30_000)).toEqual([
      { type: 'EVT', kind: 'battery', reason: 'empty' },
      { type: 'EVT', kind: 'stopped', reason: 'battery-empty' },
    ]);
    expect(model.state).toMatchObject({ output: 'off', batteryPct: 0, faults: ['battery-empty'] });
    expect(model.handle(stamp({ type: 'OUTPUT', seq: 70, on: true, mode: 'therapy' }), 31_000)).toMatchObject({
      code: ErrorCode.BATTERY_EMPTY,
    });
  });
});

describe('external change (a patient remote, H17)', () => {
  it('applies the program, bumps programRev and raises EVT program-changed', () => {
    const model = running('therapy');
    const rev = model.state.programRev;
    const event = model.externalChange({ ...PROGRAM, amplitudeUa: 1200 }, 10);
    expect(event).toEqual({ type: 'EVT', kind: 'program-changed', reason: 'external' });
    expect(model.tick(20)).toEqual([event]);
    expect(model.state).toMatchObject({ amplitudeUa: 1200, programRev: rev + 1 });
  });

  it('obeys the same rules as SET', () => {
    const model = running('therapy');
    expect(() => model.externalChange({ ...PROGRAM, amplitudeUa: 20_000 }, 10)).toThrow(/charge density/);
    expect(model.state.amplitudeUa).toBe(1000);
  });
});

describe('HELLO retransmission window (§4.1 rule 3)', () => {
  it('after HB/STATE/IMP with sess the HELLO that opened the session still gets its ACK again (blackbox-12 #8)', () => {
    const model = new GeneratorModel({ newSessionId: () => '5e550001' });
    const hello = { type: 'HELLO' as const, seq: 1, proto: PROTOCOL_VERSION, cid: 'aaaaaaaa' };
    const first = model.handle(hello, 0);
    model.handle({ type: 'HB', seq: 2, sess: '5e550001' }, 10);
    model.handle({ type: 'STATE', seq: 3, sess: '5e550001' }, 20);
    model.handle({ type: 'IMP', seq: 4, sess: '5e550001' }, 30);
    expect(model.handle(hello, 40)).toEqual(first);
  });

  it.each(['SET', 'OUTPUT', 'STOP'] as const)('after a %s of the session it is refused STALE_SEQ', (type) => {
    const model = new GeneratorModel({ newSessionId: () => '5e550001' });
    const hello = { type: 'HELLO' as const, seq: 1, proto: PROTOCOL_VERSION, cid: 'aaaaaaaa' };
    model.handle(hello, 0);
    const sess = '5e550001';
    const rev = model.state.programRev;
    const r: Request =
      type === 'SET'
        ? { type, seq: 2, sess, rev, ...PROGRAM }
        : type === 'OUTPUT'
          ? { type, seq: 2, sess, rev, on: true, mode: 'test' }
          : { type, seq: 2, sess };
    model.handle(r, 10);
    expect(model.handle(hello, 20)).toMatchObject({ type: 'NAK', code: ErrorCode.STALE_SEQ });
  });
});

describe('remote change to the same values (§3.4, §4.9)', () => {
  it('moves neither rev nor raises EVT program-changed; a real change does both (blackbox-12 #9b)', () => {
    const model = running('therapy');
    model.tick(10);
    const rev = model.state.programRev;
    expect(model.externalChange({ ...PROGRAM }, 20)).toBeUndefined();
    expect(model.state.programRev).toBe(rev);
    expect(model.tick(30)).toEqual([]);
    model.externalChange({ ...PROGRAM, amplitudeUa: 1100 }, 40);
    expect(model.state.programRev).toBe(rev + 1);
    expect(model.tick(50)).toEqual([{ type: 'EVT', kind: 'program-changed', reason: 'external' }]);
  });
});

describe('a HELLO of another protocol version (§4.1 rule 1, F-WD-FOREIGN)', () => {
  it('ends the session and stops uncommitted test output, whoever sent it', () => {
    const { model } = runningSession('test');
    expect(model.handle({ type: 'HELLO', seq: 4, proto: 1, cid: TEST_CID }, 10)).toMatchObject({
      type: 'NAK',
      code: ErrorCode.VERSION_MISMATCH,
    });
    expect(model.state).toMatchObject({ output: 'off', mode: 'none', amplitudeUa: 1000 });
    expect(model.session).toBeUndefined();
    // The companion's next v2 HELLO finds nothing to end.
    expect(model.handle({ type: 'HELLO', seq: 6, proto: PROTOCOL_VERSION, cid: TEST_CID }, 20)).toMatchObject({
      type: 'ACK',
      ended: 'none',
    });
  });

  it('leaves committed therapy running', () => {
    const { model } = runningSession('therapy');
    model.handle({ type: 'HELLO', seq: 4, proto: 1 }, 10);
    expect(model.state).toMatchObject({ output: 'on', mode: 'therapy', committed: true });
  });
});

describe('which lines feed the watchdog for test output (§7)', () => {
  it('a HELLO without cid or with another version, and lines without sess, do not keep test output alive', () => {
    const { model } = runningSession('test');
    for (let t = 500, seq = 10; t <= 2_000; t += 500, seq++) {
      // Answered NAK 14 (no cid): the session stays open, but the line is not the session's.
      expect(model.handle({ type: 'HELLO', seq, proto: PROTOCOL_VERSION }, t)).toMatchObject({
        code: ErrorCode.BAD_FIELD,
      });
      model.handle({ type: 'HB', seq: seq + 100 }, t);
      expect(model.state.output).toBe('on');
    }
    expect(model.tick(2_001)).toEqual([{ type: 'EVT', kind: 'stopped', reason: 'link-loss' }]);
    expect(model.state.output).toBe('off');
  });

  it("a v2 HELLO with the session's own cid feeds it (the same companion)", () => {
    const { model } = runningSession('test');
    model.handle({ type: 'HELLO', seq: 10, proto: PROTOCOL_VERSION, cid: TEST_CID }, 1_500);
    expect(model.tick(3_000)).toEqual([]);
    expect(model.state.output).toBe('on');
  });
});

describe('rev range (§3.4)', () => {
  it('counts up by one and wraps from 999999999 to 0', async () => {
    const { nextRev } = await import('../../firmware-sim/generator-model.js');
    expect(nextRev(0)).toBe(1);
    expect(nextRev(999_999_998)).toBe(999_999_999);
    expect(nextRev(999_999_999)).toBe(0);
  });
});
