import { describe, expect, it } from 'vitest';
import type { GeneratorState, Request } from '../../protocol/index.js';
import { OutputMismatchError } from '../../src/link/generator-link.js';
import { externalMismatch, mismatchFromError, reviewMismatch } from '../../src/session/mismatch.js';
import { gen, harness, measured, type Harness } from './harness.js';

/**
 * H10 / H17 in the controller's view: what the companion expected vs what the generator reports, since
 * when; kept until acknowledged or a re-read finds the generator holding what was expected.
 */

/** The generator applies 50 µA more than any non-zero amplitude it is sent (a faulty write path). */
function alterWrites(h: Harness): void {
  const model = h.link.model;
  const handle = model.handle.bind(model);
  model.handle = (r: Request, now: number) =>
    handle(r.type === 'SET' && r.amplitudeUa > 0 ? { ...r, amplitudeUa: r.amplitudeUa + 50 } : r, now);
}

const state: GeneratorState = {
  output: 'on',
  mode: 'therapy',
  rateHz: 50,
  pulseWidthUs: 300,
  amplitudeUa: 1500,
  contacts: '-+000000',
  batteryPct: 90,
  faults: [],
  committed: true,
  programRev: 4,
};

describe('mismatch (pure)', () => {
  it('an external change expects the last program seen; a re-read resolves it only when that program is back', () => {
    const m = externalMismatch(null, { ...state }, { ...state, amplitudeUa: 2500, programRev: 5 }, 7000)!;
    expect(m).toMatchObject({
      kind: 'external',
      fields: ['amplitudeUa'],
      expected: { amplitudeUa: 1500 },
      reported: { amplitudeUa: 2500 },
      since: 7000,
    });
    expect(reviewMismatch(m, { ...state, amplitudeUa: 2000, programRev: 6 })).toMatchObject({
      since: 7000,
      reported: { amplitudeUa: 2000 },
    });
    expect(reviewMismatch(m, { ...state, programRev: 7 })).toBeNull();
    // Same values written by someone else: nothing differs, nothing to show.
    expect(externalMismatch(null, { ...state }, { ...state, programRev: 5 }, 7000)).toBeNull();
  });
  it('only read-back and output mismatches from the link become mismatches', () => {
    const e = new OutputMismatchError({ on: false }, { ...state });
    expect(mismatchFromError(null, e, 1)).toMatchObject({
      kind: 'output',
      expected: { output: 'off' },
      fields: ['output'],
    });
    expect(mismatchFromError(null, new Error('x'), 1)).toBeNull();
  });
});

describe('mismatch in the session view', () => {
  it('a write the generator applies differently shows expected vs reported and since when', async () => {
    const h = await harness();
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
    await h.do({ type: 'SEARCH_START' });
    alterWrites(h);
    h.clock.now += 500;
    const r = await h.do({ type: 'AMPLITUDE_UP' });
    expect(r.accepted).toBe(false);
    expect(gen(h).amplitudeUa).toBe(100);
    const m = h.c.view().mismatch;
    expect(m).toMatchObject({
      kind: 'readback',
      fields: ['amplitudeUa'],
      expected: { amplitudeUa: 50 },
      reported: { amplitudeUa: 100 },
      since: h.clock.now,
    });
    // A re-read does not make it go away: the generator still holds what was not asked for.
    h.clock.now += 500;
    await h.do({ type: 'REFRESH' });
    expect(h.c.view().mismatch).toMatchObject({ kind: 'readback', since: h.clock.now - 500 });
    const sets = h.link.sent.filter((s) => s.type === 'SET').length;
    const ack = await h.do({ type: 'ACKNOWLEDGE_MISMATCH' });
    expect(ack.accepted).toBe(true);
    expect(h.c.view().mismatch).toBeNull();
    expect(h.link.sent.filter((s) => s.type === 'SET').length).toBe(sets); // acknowledging writes nothing
    expect(gen(h).amplitudeUa).toBe(100);
    expect(
      h.audit.some((a) => a.kind === 'acknowledge' && (a.mismatch as { kind?: string } | null)?.kind === 'readback'),
    ).toBe(true);
  });

  it('a change made outside the companion (H17) is shown until acknowledged', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    await h.do({ type: 'AMPLITUDE_SET', ma: 1.5 });
    await h.do({ type: 'COMMIT' });
    h.link.external({ rateHz: 50, pulseWidthUs: 300, amplitudeUa: 2500, contacts: '-+000000' });
    await h.flush();
    await h.c.settled();
    expect(h.c.view().mismatch).toMatchObject({
      kind: 'external',
      expected: { amplitudeUa: 1500 },
      reported: { amplitudeUa: 2500 },
      fields: ['amplitudeUa'],
    });
    await h.do({ type: 'REFRESH' });
    expect(h.c.view().mismatch).not.toBeNull();
    await h.do({ type: 'ACKNOWLEDGE_MISMATCH' });
    expect(h.c.view().mismatch).toBeNull();
    expect(gen(h).amplitudeUa).toBe(2500);
  });

  it('is resolved by a re-read that finds the expected program back', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    await h.do({ type: 'COMMIT' });
    const program = { rateHz: 50, pulseWidthUs: 300, amplitudeUa: gen(h).amplitudeUa, contacts: '-+000000' };
    h.link.external({ ...program, amplitudeUa: program.amplitudeUa + 200 });
    await h.flush();
    await h.c.settled();
    expect(h.c.view().mismatch?.fields).toEqual(['amplitudeUa']);
    h.link.external(program);
    await h.flush();
    await h.c.settled();
    expect(h.c.view().mismatch).toBeNull();
  });

  it('a change made while the link was down is found on reconnection', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    await h.do({ type: 'COMMIT' });
    h.link.drop();
    await h.flush();
    h.link.model.externalChange({ rateHz: 50, pulseWidthUs: 300, amplitudeUa: 1800, contacts: '-+000000' });
    h.link.restore();
    await h.flush();
    await h.c.settled();
    expect(h.c.view().mismatch).toMatchObject({ kind: 'external', reported: { amplitudeUa: 1800 } });
  });

  it('an output state other than asked is a mismatch', async () => {
    const h = await harness();
    await measured(h, 20, 20);
    h.link.failNext('setOutput', new OutputMismatchError({ on: true, mode: 'therapy' }, gen(h)));
    await h.do({ type: 'COMMIT' });
    expect(h.c.view().mismatch).toMatchObject({
      kind: 'output',
      expected: { output: 'on', mode: 'therapy' },
      reported: { mode: 'test' },
      fields: ['mode'],
    });
  });

  it('acknowledging with nothing to acknowledge says so', async () => {
    const h = await harness();
    const r = await h.do({ type: 'ACKNOWLEDGE_MISMATCH' });
    expect(r).toMatchObject({
      accepted: false,
      notices: [{ reason: expect.stringMatching(/nothing to acknowledge/) }],
    });
  });
});
