import { describe, expect, it } from 'vitest';
import { flaggedContacts, impedanceCheckOf } from '../../src/session/impedance-check.js';
import { gen, harness, measured } from './harness.js';

/** The last impedance check lives in the session: readings per contact, flagged contacts, when. */

describe('impedance check in the session view', () => {
  it('flags open and shorted contacts only, numbered from 1', () => {
    expect(flaggedContacts([800, 'open', 1200, 'short'])).toEqual([2, 4]);
    expect(impedanceCheckOf([900, 'open'], 5)).toEqual({ readings: [900, 'open'], flagged: [2], at: 5 });
  });

  it('IMPEDANCE_CHECK in ready measures with output off and puts the result in the view', async () => {
    const h = await harness({ config: { impedances: [900, 'open', 950, 'short'] } });
    expect(h.c.view().impedance).toBeNull();
    const r = await h.do({ type: 'IMPEDANCE_CHECK' });
    expect(r.accepted).toBe(true);
    expect(r.notices.map((n) => n.applied)).toEqual(['open', 'short']);
    const v = h.c.view();
    expect(v.state).toBe('ready');
    expect(v.impedance).toMatchObject({ flagged: [2, 4], at: h.clock.now });
    expect(v.impedance!.readings.slice(0, 4)).toEqual([900, 'open', 950, 'short']);
    expect(h.link.sent.map((s) => s.type)).toContain('IMP');
    expect(h.link.sent.some((s) => s.type === 'SET' || s.type === 'OUTPUT')).toBe(false);
    expect(gen(h).output).toBe('off');
  });

  it('a later check replaces the earlier one, with its own time', async () => {
    const h = await harness();
    await h.do({ type: 'IMPEDANCE_CHECK' });
    const first = h.c.view().impedance!;
    expect(first.flagged).toEqual([]);
    h.clock.now += 60_000;
    await h.do({ type: 'IMPEDANCE_CHECK' });
    expect(h.c.view().impedance!.at).toBe(first.at + 60_000);
  });

  it('while stimulating, output goes off first, then the check is made', async () => {
    const h = await harness();
    await measured(h, 10, 10);
    expect(gen(h).output).toBe('on');
    const r = await h.do({ type: 'IMPEDANCE_CHECK' });
    expect(r.notices).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'warn', field: 'output', applied: 'off' })]),
    );
    const types = h.link.sent.map((s) => s.type);
    expect(types.lastIndexOf('OUTPUT')).toBeLessThan(types.lastIndexOf('IMP'));
    expect(gen(h).output).toBe('off');
    expect(h.c.view().impedance).not.toBeNull();
  });

  it('the check before a search is kept too', async () => {
    const h = await harness({ config: { impedances: [900, 900, 'open'] } });
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2+'] });
    await h.do({ type: 'SEARCH_START' });
    expect(h.c.view().impedance).toMatchObject({ flagged: [3], at: h.clock.now });
  });
});
