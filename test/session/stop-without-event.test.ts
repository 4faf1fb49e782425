import { describe, expect, it } from 'vitest';
import type { GeneratorEvent } from '../../protocol/index.js';
import type { Notice } from '../../src/session/notice.js';
import { gen, harness, measured, type Harness } from './harness.js';

/**
 * Black-box finding F-H4 (bb3): an output stop the companion did not ask for was reported only when
 * its EVT arrived. PROTOCOL.md §4.9: "Events are not acknowledged and not retransmitted: the companion
 * must not depend on receiving one. The state (STATE, TEL) always tells the same story". README H10/H17:
 * what the generator does differently from what was asked is shown, never silently adopted. So a state
 * showing output off that no request explains is told once, EVT or not, and never twice when the EVT
 * comes too (README: every notice on exactly one line, never repeated).
 */

const WATCHDOG: GeneratorEvent = { type: 'EVT', kind: 'stopped', reason: 'link-loss' };

const stopFound = (n: Notice) => n.field === 'output' && /stopped without a request from the companion/.test(n.reason);
const stoppedByItself = (n: Notice) => n.field === 'generator' && /stopped its output by itself/.test(n.reason);
const anyStop = (n: Notice) => stopFound(n) || stoppedByItself(n);

async function settle(h: Harness): Promise<void> {
  for (let i = 0; i < 2; i++) {
    await h.flush();
    await h.c.settled();
  }
}

/** Test output on at the measured window, then the generator stops it by itself with its events withheld. */
async function stoppedSilently(): Promise<{ h: Harness; events: GeneratorEvent[] }> {
  const h = await harness();
  await measured(h, 4, 8);
  await settle(h);
  expect(gen(h).output).toBe('on');
  h.c.takeNotices();
  h.link.now += 5_000;
  const events = h.link.model.tick(h.link.now);
  expect(gen(h).output, 'the watchdog stopped test output').toBe('off');
  return { h, events };
}

describe('an output stop the companion did not ask for is told from the state (PROTOCOL.md §4.9)', () => {
  it('EVT lost: the telemetry showing output off gives one warning saying what stopped, as found', async () => {
    const { h } = await stoppedSilently();
    const before = h.c.view().generator!;
    h.link.emitTelemetry(gen(h));
    await settle(h);
    const told = h.c.takeNotices();
    expect(told.filter(stopFound)).toHaveLength(1);
    const n = told.find(stopFound)!;
    expect(n).toMatchObject({ kind: 'warn', requested: 'on', applied: 'off' });
    expect(n.reason).toContain(`rev ${before.programRev} → ${gen(h).programRev}`);
    expect(n.reason).toMatch(/test stimulation ended; now .*output off/);
    expect(h.c.view().generator?.output).toBe('off');
    // The EVT arriving late (delayed on the wire) is the same stop: nothing more.
    h.link.deliverEvent(WATCHDOG);
    await settle(h);
    h.link.emitTelemetry(gen(h));
    await settle(h);
    expect(h.c.takeNotices().filter(anyStop)).toEqual([]);
    h.c.dispose();
  });

  it('EVT first: its notice alone, the state that follows adds none', async () => {
    const { h, events } = await stoppedSilently();
    expect(events).toContainEqual(expect.objectContaining({ kind: 'stopped' }));
    for (const e of events) h.link.deliverEvent(e);
    await settle(h);
    h.link.emitTelemetry(gen(h));
    await settle(h);
    const told = h.c.takeNotices();
    expect(told.filter(anyStop)).toHaveLength(1);
    expect(told.filter(stoppedByItself)).toHaveLength(1);
    h.c.dispose();
  });

  it("the companion's own output off is no surprise", async () => {
    const h = await harness();
    await measured(h, 4, 8);
    await settle(h);
    h.c.takeNotices();
    await h.do({ type: 'OUTPUT_OFF' });
    await settle(h);
    h.link.emitTelemetry(gen(h));
    await settle(h);
    expect(gen(h).output).toBe('off');
    expect(h.c.takeNotices().filter(anyStop)).toEqual([]);
    h.c.dispose();
  });
});
