import { describe, expect, it } from 'vitest';
import { ErrorCode, type Reply, type Request } from '../../protocol/index.js';
import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import { openModelSession } from './model-session.js';

/**
 * PROTOCOL.md §4.3.1/§9: the generator's charge-density limit (rule 5) holds whatever happened since the
 * program's SET. OUTPUT on=1 re-checks it with the impedances measured now; an impedance that puts a
 * running program over the limit stops output with EVT stopped reason=charge-density.
 * Worked example (blackbox-12 CD2/CD3): cathodes 250/1000/1000/1000 Ω at 500 µs allow 12862 µA; with
 * contacts 2–4 at 100 kΩ contact 1 carries ~99 % → at most 7405 µA; one contact open → 7350 µA.
 */

const FOUR_BY_FOUR = '----++++';
const PROGRAM = { rateHz: 50, pulseWidthUs: 500, amplitudeUa: 12_850, contacts: FOUR_BY_FOUR };

function connected() {
  const model = new GeneratorModel({
    newBootId: () => 'aaaa0001',
    impedances: [250, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
  });
  let seq = 1;
  const { sess } = openModelSession(model, seq);
  const send = (r: Record<string, unknown> & { type: Request['type'] }): Reply => {
    const stamp = r.type === 'SET' || r.type === 'OUTPUT' ? { sess, rev: model.state.programRev } : {};
    return model.handle({ seq: ++seq, ...stamp, ...r } as Request, 0);
  };
  expect(send({ type: 'SET', ...PROGRAM })).toMatchObject({ type: 'ACK', state: { amplitudeUa: 12_850 } });
  return { model, send };
}

describe('charge density is re-checked when output goes on', () => {
  it.each(['test', 'therapy'] as const)(
    'OUTPUT on=1 mode=%s after the impedances changed: CHARGE_DENSITY, output stays off',
    (mode) => {
      const { model, send } = connected();
      for (const c of [2, 3, 4]) model.setImpedance(c, 100_000);
      const reply = send({ type: 'OUTPUT', on: true, mode });
      expect(reply).toMatchObject({ type: 'NAK', code: ErrorCode.CHARGE_DENSITY });
      expect(reply.type === 'NAK' && reply.message).toMatch(/at most 7405 uA/);
      expect(model.state.output).toBe('off');
    },
  );

  it('test -> therapy is re-checked too: the commit is refused and the test output it would commit stops', () => {
    const { model, send } = connected();
    expect(send({ type: 'OUTPUT', on: true, mode: 'test' })).toMatchObject({
      type: 'ACK',
      state: { output: 'on', mode: 'test' },
    });
    model.setImpedance(2, 'open');
    // The impedance change already stopped the running program (below); a commit finds nothing safe to commit.
    expect(send({ type: 'OUTPUT', on: true, mode: 'therapy' })).toMatchObject({
      type: 'NAK',
      code: ErrorCode.CHARGE_DENSITY,
    });
    expect(model.state).toMatchObject({ output: 'off', committed: false });
  });

  it('within the limit with the impedances now, OUTPUT on=1 still runs', () => {
    const { send } = connected();
    expect(send({ type: 'OUTPUT', on: true, mode: 'therapy' })).toMatchObject({
      type: 'ACK',
      state: { output: 'on', mode: 'therapy' },
    });
  });
});

describe('an impedance measured while output is on', () => {
  it.each(['test', 'therapy'] as const)(
    'that puts the running %s program over the limit stops output with EVT stopped charge-density',
    (mode) => {
      const { model, send } = connected();
      send({ type: 'OUTPUT', on: true, mode });
      model.tick(10);
      model.setImpedance(2, 'open');
      expect(model.state.output).toBe('off');
      expect(model.tick(20)).toEqual([{ type: 'EVT', kind: 'stopped', reason: 'charge-density' }]);
    },
  );

  it('that keeps the program within the limit changes nothing', () => {
    const { model, send } = connected();
    send({ type: 'OUTPUT', on: true, mode: 'therapy' });
    model.tick(10);
    model.setImpedance(5, 900);
    expect(model.state.output).toBe('on');
    expect(model.tick(20)).toEqual([]);
  });
});
