import { describe, expect, it } from 'vitest';
import { describeMismatch } from '../../src/ui/session-view.js';
import { gen, harness, measured } from './harness.js';

/**
 * Issue 13: "A generator reset during therapy is shown as a reset (`!!`, with what was lost), not as
 * 'program changed outside the companion'". Through the machine, to the words of the `!!` line.
 */
describe('a generator reset during committed therapy', () => {
  it('is one reset notice naming what was lost, a !! line of kind reset, and never an outside change', async () => {
    const h = await harness();
    await measured(h, 4, 8);
    await h.do({ type: 'COMMIT' });
    const ma = gen(h).amplitudeUa / 1000;
    h.c.takeNotices();
    h.link.reset();
    await h.flush();
    await h.c.settled();
    const notices = h.c.takeNotices();
    const reset = notices.filter((n) => n.reason.startsWith('The generator was reset'));
    expect(reset).toHaveLength(1);
    expect(reset[0]!.reason).toContain(`committed therapy at ${ma} mA stopped`);
    expect(reset[0]!.reason).toContain('Output was not turned on again');
    expect(notices.filter((n) => /changed outside the companion/.test(n.reason))).toEqual([]);
    expect(gen(h).output).toBe('off');
    const m = h.c.view().mismatch;
    expect(m?.kind).toBe('reset');
    const line = describeMismatch(m!);
    expect(line).toContain('output expected on, generator off');
    expect(line).toContain(`amplitude expected ${ma.toFixed(2)} mA, generator 0.00 mA`);
    expect(line).toContain('(the generator was reset: what it ran before is lost)');
    expect(line).not.toMatch(/changed outside/);
  });
});
