import { describe, expect, it } from 'vitest';
import { neighbourOnGrid } from '../../src/session/step-grid.js';
import { gen, harness, measured } from './harness.js';

/**
 * RATE_UP / RATE_DOWN / PULSE_WIDTH_UP / PULSE_WIDTH_DOWN: one step of the generator's own grid,
 * decided exactly as an absolute RATE / PULSE_WIDTH request (the UI does no arithmetic).
 */

const sets = (h: Awaited<ReturnType<typeof harness>>) => h.link.sent.filter((s) => s.type === 'SET').length;

describe('neighbourOnGrid', () => {
  const range = { min: 2, max: 20, step: 3 }; // 2 5 8 11 14 17 20
  it('moves to the next grid value, from on or off the grid', () => {
    expect(neighbourOnGrid(5, range, 1)).toBe(8);
    expect(neighbourOnGrid(5, range, -1)).toBe(2);
    expect(neighbourOnGrid(6, range, 1)).toBe(8);
    expect(neighbourOnGrid(6, range, -1)).toBe(5);
  });
  it('past the hardware range it goes one step beyond, for the clamp to name the limit', () => {
    expect(neighbourOnGrid(20, range, 1)).toBe(23);
    expect(neighbourOnGrid(2, range, -1)).toBe(-1);
  });
});

describe('rate steps', () => {
  it('move one generator step up and down', async () => {
    const h = await harness();
    await h.do({ type: 'RATE', hz: 50 });
    expect((await h.do({ type: 'RATE_UP' })).accepted).toBe(true);
    expect(gen(h).rateHz).toBe(51);
    await h.do({ type: 'RATE_DOWN' });
    await h.do({ type: 'RATE_DOWN' });
    expect(gen(h).rateHz).toBe(49);
  });
  it("follow the generator's own grid (step 5 Hz)", async () => {
    const h = await harness({ config: { rateHz: { min: 5, max: 200, step: 5 } } });
    await h.do({ type: 'RATE', hz: 50 });
    await h.do({ type: 'RATE_UP' });
    expect(gen(h).rateHz).toBe(55);
    await h.do({ type: 'RATE_DOWN' });
    await h.do({ type: 'RATE_DOWN' });
    expect(gen(h).rateHz).toBe(45);
  });
  it('stop at the clinical window with a clamp notice and send nothing', async () => {
    const h = await harness();
    await h.do({ type: 'RATE', hz: 60 });
    const before = sets(h);
    const up = await h.do({ type: 'RATE_UP' });
    expect(up.notices).toEqual([
      expect.objectContaining({
        kind: 'clamp',
        field: 'rate',
        requested: 61,
        applied: 60,
        reason: 'clinical window max 60 Hz',
      }),
    ]);
    await h.do({ type: 'RATE', hz: 40 });
    const down = await h.do({ type: 'RATE_DOWN' });
    expect(down.notices).toEqual([
      expect.objectContaining({
        kind: 'clamp',
        field: 'rate',
        requested: 39,
        applied: 40,
        reason: 'clinical window min 40 Hz',
      }),
    ]);
    expect(gen(h).rateHz).toBe(40);
    expect(sets(h)).toBe(before + 1); // only the absolute RATE 40
  });
  it('turn output off first while stimulating, and keep the thresholds', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    expect(gen(h).output).toBe('on');
    const r = await h.do({ type: 'RATE_UP' });
    expect(r.notices).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'warn', field: 'output', applied: 'off' })]),
    );
    expect(gen(h)).toMatchObject({ output: 'off', rateHz: 51 });
    expect(h.c.view().window).not.toBeNull();
  });
});

describe('pulse-width steps', () => {
  it('move one generator step (10 µs) and stop at 200–500 µs with a clamp notice', async () => {
    const h = await harness();
    await h.do({ type: 'PULSE_WIDTH', us: 300 });
    await h.do({ type: 'PULSE_WIDTH_UP' });
    expect(gen(h).pulseWidthUs).toBe(310);
    await h.do({ type: 'PULSE_WIDTH_DOWN' });
    await h.do({ type: 'PULSE_WIDTH_DOWN' });
    expect(gen(h).pulseWidthUs).toBe(290);
    await h.do({ type: 'PULSE_WIDTH', us: 200 });
    const down = await h.do({ type: 'PULSE_WIDTH_DOWN' });
    expect(down.notices).toEqual([
      expect.objectContaining({
        kind: 'clamp',
        field: 'pulseWidth',
        requested: 190,
        applied: 200,
        reason: 'clinical window min 200 µs',
      }),
    ]);
    await h.do({ type: 'PULSE_WIDTH', us: 500 });
    const up = await h.do({ type: 'PULSE_WIDTH_UP' });
    expect(up.notices).toEqual([
      expect.objectContaining({
        kind: 'clamp',
        field: 'pulseWidth',
        requested: 510,
        applied: 500,
        reason: 'clinical window max 500 µs',
      }),
    ]);
    expect(gen(h).pulseWidthUs).toBe(500);
  });
  it('a step while stimulating: output off first, thresholds discarded, an estimate only, charge per phase not up by more than one step (H3)', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    const before = gen(h);
    const r = await h.do({ type: 'PULSE_WIDTH_UP' });
    expect(r.accepted).toBe(true);
    const after = gen(h);
    expect(after).toMatchObject({ output: 'off', pulseWidthUs: 310 });
    expect(h.c.view().allThresholds).toEqual([]);
    expect(h.c.view().estimate).toMatchObject({ estimated: true, pulseWidthUs: 310 });
    expect(after.amplitudeUa).toBeLessThanOrEqual(before.amplitudeUa);
    expect(after.amplitudeUa * after.pulseWidthUs).toBeLessThanOrEqual(
      before.amplitudeUa * before.pulseWidthUs + 50 * after.pulseWidthUs,
    );
    expect((await h.do({ type: 'OUTPUT_ON' })).accepted).toBe(false);
  });
});

describe('step intents are refused where rate and pulse width may not change', () => {
  it('in patient mode', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    await h.do({ type: 'COMMIT' });
    await h.do({ type: 'PATIENT_MODE', on: true });
    const before = sets(h);
    for (const type of ['RATE_UP', 'RATE_DOWN', 'PULSE_WIDTH_UP', 'PULSE_WIDTH_DOWN'] as const) {
      const r = await h.do({ type });
      expect(r).toMatchObject({
        accepted: false,
        notices: [{ kind: 'reject', reason: expect.stringMatching(/patient mode/) }],
      });
    }
    expect(sets(h)).toBe(before);
    expect(gen(h)).toMatchObject({ output: 'on', rateHz: 50, pulseWidthUs: 300 });
  });
  it('on a generator the session is not bound to (H13)', async () => {
    const h = await harness({ input: { binding: { serial: 'SIM-999999', proto: 1 } } });
    for (const type of ['RATE_UP', 'PULSE_WIDTH_DOWN'] as const) expect((await h.do({ type })).accepted).toBe(false);
    expect(h.link.sent.some((s) => s.type === 'SET')).toBe(false);
  });
});
