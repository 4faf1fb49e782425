import { describe, expect, it } from 'vitest';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { PROTOCOL_VERSION } from '../../protocol/index.js';
import type { Intent } from '../../src/session/session-types.js';
import { openModelSession } from '../firmware-sim/model-session.js';
import { gen, harness, measured, type Harness } from '../session/harness.js';

/**
 * H13 (wrong generator or firmware): the session binds to the serial number and protocol version of
 * the first generator it meets. A different one, met later on the same link (a swapped trial
 * generator on the same cable), or a binding the session was started with that does not match,
 * blocks programming until the person re-binds explicitly. Turning output off stays possible.
 */

/** Another generator appears on the cable: the link drops and comes back to it. */
function swapGenerator(h: Harness, serial: string, prepare: (m: GeneratorModel) => void = () => {}): GeneratorModel {
  let n = 0;
  const other = new GeneratorModel({ serial, newBootId: () => (0x2000_0000 + n++).toString(16) });
  prepare(other);
  h.link.drop();
  (h.link as unknown as { model: GeneratorModel }).model = other;
  h.link.restore();
  return other;
}

const PROGRAMMING: Intent[] = [
  { type: 'ELECTRODES', spec: ['3-', '4+'] },
  { type: 'RATE', hz: 45 },
  { type: 'PULSE_WIDTH', us: 400 },
  { type: 'SEARCH_START' },
  { type: 'AMPLITUDE_UP' },
  { type: 'AMPLITUDE_SET', ma: 1 },
  { type: 'OUTPUT_ON' },
  { type: 'COMMIT' },
  { type: 'IMPEDANCE_CHECK' },
  { type: 'MARK_SENSORY' },
  { type: 'POSTURE', posture: 'sitting' },
];

describe('H13: a different generator or protocol version blocks programming until re-bound', () => {
  it('a generator swapped on the same link mid-session: blocked, every programming intent refused, nothing sent', async () => {
    const h = await harness();
    await measured(h, 4, 4);
    expect(h.c.view().binding).toEqual({ serial: 'SIM-000001', proto: PROTOCOL_VERSION });
    const other = swapGenerator(h, 'SIM-000002');
    await h.c.settled();
    expect(h.c.view().state).toBe('blocked');
    expect(
      h.c
        .view()
        .notices.some(
          (n) =>
            n.kind === 'reject' &&
            n.requested === 'SIM-000001 v2' &&
            n.applied === 'SIM-000002 v2' &&
            /re-bind explicitly/.test(n.reason),
        ),
    ).toBe(true);
    const before = h.link.sent.length;
    for (const intent of PROGRAMMING) {
      const r = await h.do(intent);
      expect(r.accepted, intent.type).toBe(false);
      expect(h.c.view().state).toBe('blocked');
    }
    expect(h.link.sent.slice(before).filter((s) => s.type === 'SET' || (s.type === 'OUTPUT' && s.on))).toEqual([]);
    expect(other.state.programRev).toBe(0);
  });

  it('output off and STOP still work on the unbound generator', async () => {
    const h = await harness();
    const other = swapGenerator(h, 'SIM-000003', (m) => {
      const { stamp } = openModelSession(m, 1, 0, 'beef0001');
      m.handle(
        stamp({ type: 'SET', seq: 2, rateHz: 50, pulseWidthUs: 300, amplitudeUa: 1000, contacts: '-+000000' }),
        0,
      );
      m.handle(stamp({ type: 'OUTPUT', seq: 3, on: true, mode: 'therapy' }), 0);
    });
    await h.c.settled();
    expect(h.c.view().state).toBe('blocked');
    expect(other.state.output).toBe('on');
    expect((await h.do({ type: 'OUTPUT_OFF' })).accepted).toBe(true);
    expect(other.state.output).toBe('off');
    // Another companion turns therapy on again; STOP from this one still stops it.
    const another = openModelSession(other, 50, 0, 'beef0002');
    other.handle(another.stamp({ type: 'OUTPUT', seq: 51, on: true, mode: 'therapy' }), 0);
    expect(other.state.output).toBe('on');
    await h.do({ type: 'STOP' });
    expect(other.state.output).toBe('off');
    expect(h.c.view().state).toBe('blocked');
  });

  it('re-binding is explicit, discards the thresholds of the other generator, and then programming works', async () => {
    const h = await harness();
    await measured(h, 4, 4);
    swapGenerator(h, 'SIM-000002');
    await h.c.settled();
    expect(h.c.view().allThresholds).not.toEqual([]);
    // Nothing but REBIND re-binds: refreshing, reconnecting and time do not.
    await h.do({ type: 'REFRESH' });
    h.link.drop();
    h.link.restore();
    await h.c.settled();
    expect(h.c.view()).toMatchObject({ state: 'blocked', binding: { serial: 'SIM-000001' } });
    await h.do({ type: 'REBIND' });
    expect(h.c.view()).toMatchObject({
      state: 'ready',
      binding: { serial: 'SIM-000002', proto: PROTOCOL_VERSION },
      allThresholds: [],
      estimate: null,
    });
    expect((await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] })).accepted).toBe(true);
    expect(gen(h).contacts).toBe('-+000000');
  });

  it('the same serial with another protocol version is a different binding', async () => {
    const h = await harness({ input: { binding: { serial: 'SIM-000001', proto: PROTOCOL_VERSION + 1 } } });
    expect(h.c.view().state).toBe('blocked');
    expect((await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] })).accepted).toBe(false);
    expect(h.link.sent.some((s) => s.type === 'SET')).toBe(false);
    await h.do({ type: 'REBIND' });
    expect(h.c.view().binding).toEqual({ serial: 'SIM-000001', proto: PROTOCOL_VERSION });
  });

  it('the same generator coming back (unplug, replug, reset) stays bound', async () => {
    const h = await harness();
    await measured(h, 4, 4);
    h.link.drop();
    h.link.restore();
    await h.c.settled();
    h.link.reset();
    await h.c.settled();
    expect(h.c.view().state).toBe('ready');
    expect((await h.do({ type: 'ELECTRODES', spec: ['3-', '4+'] })).accepted).toBe(true);
  });
});
