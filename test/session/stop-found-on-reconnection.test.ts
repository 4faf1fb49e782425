import { describe, expect, it } from 'vitest';
import type { Notice } from '../../src/session/notice.js';
import { gen, harness, measured } from './harness.js';

/**
 * bb5-N6, README (PROTOCOL.md §4.9, events are not needed): output found off after the companion saw it
 * on, with `programRev` moved and no request of its own to explain it, is a warning of its own
 * (`output`, `on` → `off`, "the generator's output stopped without a request from the companion …"),
 * once. Here the generator's watchdog ends test output while the link is down and its EVT is lost: the
 * reconnection that finds output off says so; a late copy of the EVT adds nothing.
 */

const stops = (ns: Notice[]) => ns.filter((n) => n.field === 'output' && n.requested === 'on' && n.applied === 'off');

describe('a stop found on the reconnection (bb5-N6)', () => {
  it('the watchdog stopped test output while the link was down, its EVT lost: told once, as found', async () => {
    const h = await harness();
    await measured(h, 4, 4);
    expect(gen(h).output).toBe('on');
    h.c.takeNotices();
    h.link.drop();
    await h.flush();
    h.link.advance(10_000); // the generator's watchdog ends test output; its EVT goes nowhere (link down)
    expect(gen(h).output).toBe('off');
    h.link.restore();
    await h.flush();
    await h.c.settled();
    const told = stops(h.c.takeNotices());
    expect(told).toHaveLength(1);
    expect(told[0]!.kind).toBe('warn');
    expect(told[0]!.reason).toMatch(
      /^the generator's output stopped without a request from the companion \(rev \d+ → \d+\): test stimulation ended; now .*output off; shown as found, not turned on again$/,
    );
    expect(gen(h).output).toBe('off');
    // A late copy of the stop's EVT is the same stop: nothing more is told.
    h.link.deliverEvent({ type: 'EVT', kind: 'stopped', reason: 'link-loss' });
    await h.flush();
    await h.c.settled();
    expect(h.c.takeNotices().filter((n) => /stopped/.test(n.reason))).toEqual([]);
    h.c.dispose();
  });

  it('a link loss with output still on after it: no stop is claimed (the companion turns test output off itself)', async () => {
    const h = await harness();
    await measured(h, 4, 4);
    h.c.takeNotices();
    h.link.drop();
    await h.flush();
    h.link.restore();
    await h.flush();
    await h.c.settled();
    const said = h.c.takeNotices();
    expect(said.map((n) => n.reason)).not.toContainEqual(expect.stringMatching(/stopped without a request/));
    expect(stops(said).map((n) => n.reason)).toEqual(['uncommitted test stimulation stops after a link loss']);
    h.c.dispose();
  });
});
