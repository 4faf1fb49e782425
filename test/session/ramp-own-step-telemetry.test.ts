import { describe, expect, it } from 'vitest';
import type { Program } from '../../src/link/generator-link.js';
import { gen, harness, measured } from './harness.js';

/**
 * Black-box finding (blackbox-2, F-FALSE-OUTSIDE): under delays and duplicates, telemetry showing the
 * ramp's own step arrived before that step's ACK; the companion called its own step "changed outside
 * the companion", stopped the ramp short and still reported the line accepted. A rev the companion
 * itself produced is never an outside change (H17); the ramp goes on to its target (H4).
 */
describe('a ramp step seen in telemetry before its ACK (finding 4)', () => {
  it("is the companion's own change: no outside-change warning, the ramp reaches its target, accepted", async () => {
    const h = await harness();
    await measured(h, 4, 20); // window 0.2 – 1.2 mA
    const original = h.link.setProgram.bind(h.link);
    let overtaken = 0;
    h.link.setProgram = async (program: Program) => {
      // The generator applies the step and its telemetry goes out before the ACK is read.
      const reply = original(program);
      await Promise.resolve();
      h.link.emitTelemetry(gen(h));
      overtaken++;
      await new Promise((r) => setImmediate(r));
      return reply;
    };
    h.c.takeNotices();
    const outcome = await h.do({ type: 'AMPLITUDE_SET', ma: 0.5 });
    await h.c.settled();
    const notices = h.c.takeNotices();
    expect(notices.filter((n) => /changed outside the companion/.test(n.reason))).toEqual([]);
    expect(overtaken).toBeGreaterThan(1);
    expect(gen(h).amplitudeUa).toBe(500);
    expect(outcome.accepted).toBe(true);
    expect(h.c.view().mismatch).toBeNull();
  });
});
