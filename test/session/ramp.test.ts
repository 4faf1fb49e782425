import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRamp, nextRampUa, rampPauseMs, DEFAULT_RAMP_MA_PER_S, MAX_RAMP_MA_PER_S } from '../../src/session/ramp.js';
import { gen, harness, measured } from './harness.js';

/**
 * H4 (no jumps), issue 13 item 7: entering the window from below (one ↑ from 0 mA used to go straight
 * to the sensory threshold) and any `amp set` upwards ramp at a bounded rate (1 mA/s by default):
 * one generator step at a time with a pause between, shown while they run, and a STOP ends them at
 * once at any step.
 */

const PROGRAM = { rateHz: 50, pulseWidthUs: 300, amplitudeUa: 0, contacts: '-+000000' };

describe('ramp plan (pure)', () => {
  it('property: a rise of more than one step is a ramp whose steps are one step each, never past the target, at most the rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom(10, 25, 50, 100),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (a, b, step, rate) => {
          const from = a * step;
          const target = b * step;
          const ramp = planRamp(PROGRAM, from, target, step, rate);
          if (target - from <= step) {
            expect(ramp).toBeNull();
            return;
          }
          expect(ramp).not.toBeNull();
          // Rate bounded: step / pause never above the cap (µA per ms = mA per s).
          expect(ramp!.stepUa / ramp!.pauseMs).toBeLessThanOrEqual(Math.min(rate, MAX_RAMP_MA_PER_S) + 1e-9);
          let now = from;
          let steps = 0;
          while (now < target) {
            const next = nextRampUa(ramp!, now);
            expect(next - now).toBeGreaterThan(0);
            expect(next - now).toBeLessThanOrEqual(step);
            expect(next).toBeLessThanOrEqual(target);
            now = next;
            steps++;
          }
          expect(steps).toBe(Math.ceil((target - from) / step));
        },
      ),
    );
  });
  it('the default is 1 mA/s: a 0.05 mA step every 50 ms', () => {
    expect(DEFAULT_RAMP_MA_PER_S).toBe(1);
    expect(rampPauseMs(50, DEFAULT_RAMP_MA_PER_S)).toBe(50);
  });
});

/** A session whose ramp pauses wait for the test to release them (or for a STOP). */
async function heldRamp() {
  const waiting: Array<{ ms: number; go: () => void }> = [];
  const h = await harness({
    input: {
      sleep: (ms, signal) =>
        new Promise<void>((resolve, reject) => {
          waiting.push({ ms, go: resolve });
          signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
        }),
    },
  });
  const release = async () => {
    const w = waiting.shift();
    if (!w) throw new Error('no pause waiting');
    h.clock.now += w.ms;
    w.go();
    await h.flush();
  };
  return { h, waiting, release };
}

describe('ramping in the session (H4)', () => {
  it("the issue's case: output on at 0 mA, one ↑ ramps to the sensory threshold one step per pause, shown while it runs", async () => {
    const { h, waiting, release } = await heldRamp();
    await measured(h, 8, 4); // sensory 0.4 mA, discomfort 0.6 mA
    await h.do({ type: 'OUTPUT_OFF' });
    await h.do({ type: 'OUTPUT_ON' });
    expect(gen(h)).toMatchObject({ output: 'on', amplitudeUa: 0 });
    const sets = h.link.sent.length;
    h.c.send({ type: 'AMPLITUDE_UP' });
    await h.flush();
    expect(h.c.view().state).toBe('ramping');
    expect(h.c.view().ramp).toEqual({ fromUa: 0, toUa: 400, nowUa: 0, maPerS: 1 });
    // bb4-F6: the plan is said with the first step the generator confirmed, not before it.
    expect(h.c.view().notices.map((n) => n.reason)).not.toContainEqual(expect.stringMatching(/^ramping/));
    const amps: number[] = [];
    while (waiting.length) {
      expect(waiting[0]!.ms).toBe(50);
      await release();
      if (amps.length === 0)
        expect(h.c.view().notices.at(-1)!.reason).toMatch(/ramping up from 0 to 0\.4 mA at 1 mA\/s/);
      amps.push(gen(h).amplitudeUa);
      if (gen(h).amplitudeUa < 400) expect(h.c.view().ramp?.nowUa).toBe(gen(h).amplitudeUa);
    }
    expect(amps).toEqual([50, 100, 150, 200, 250, 300, 350, 400]);
    expect(
      h.link.sent
        .slice(sets)
        .filter((s) => s.type === 'SET')
        .map((s) => (s.type === 'SET' ? s.program.amplitudeUa : 0)),
    ).toEqual(amps);
    await h.c.settled();
    expect(h.c.view()).toMatchObject({ state: 'tuning', ramp: null });
  });

  it('STOP during a ramp: output off at once, the pause is not waited for, no step is sent after it', async () => {
    const { h, waiting, release } = await heldRamp();
    await measured(h, 4, 20); // 0.2 – 1.2 mA
    h.c.send({ type: 'AMPLITUDE_SET', ma: 1.2 });
    await h.flush();
    await release();
    await release();
    expect(gen(h).amplitudeUa).toBe(300);
    expect(waiting).toHaveLength(1);
    const before = h.link.sent.length;
    h.c.send({ type: 'STOP' });
    await h.flush();
    // The STOP went out while the ramp's pause was still pending (never released).
    expect(h.link.sent.slice(before).map((s) => s.type)[0]).toBe('STOP');
    expect(gen(h).output).toBe('off');
    await h.c.settled();
    expect(h.link.sent.slice(before).some((s) => s.type === 'SET')).toBe(false);
    expect(h.c.view().ramp).toBeNull();
    // bb5-N5: the STOP's answer says where the ramp stopped ("a ramp cut short says so"), not only "output off".
    expect(h.c.view().outcome).toMatchObject({ intent: 'STOP', accepted: true });
    expect(h.c.view().outcome!.notices).toContainEqual({
      kind: 'info',
      field: 'amplitude',
      requested: 1.2,
      applied: 0.3,
      reason:
        'the ramp to 1.2 mA stopped before its target, at output off (0.3 mA programmed): STOP ended it; not applied in full',
    });
  });

  it("a person's ↓ during a ramp ends it and steps down from where it is", async () => {
    const { h, release } = await heldRamp();
    await measured(h, 4, 20);
    h.c.send({ type: 'AMPLITUDE_SET', ma: 1.2 });
    await h.flush();
    await release();
    expect(gen(h).amplitudeUa).toBe(250);
    // Sent while the ramp runs (a script or the UI would wait for it; a key may come at any time).
    h.c.send({ type: 'AMPLITUDE_DOWN' });
    await h.flush();
    await h.c.settled();
    expect(gen(h).amplitudeUa).toBe(200);
    expect(h.c.view().ramp).toBeNull();
  });

  it('a fall is at once (the safe direction)', async () => {
    const h = await harness();
    await measured(h, 4, 20);
    await h.do({ type: 'AMPLITUDE_SET', ma: 1.2 });
    const before = h.link.sent.length;
    await h.do({ type: 'AMPLITUDE_SET', ma: 0.2 });
    expect(h.link.sent.slice(before).filter((s) => s.type === 'SET')).toHaveLength(1);
    expect(gen(h).amplitudeUa).toBe(200);
  });
});
