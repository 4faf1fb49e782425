import { describe, expect, it } from 'vitest';
import { runFaultSoak } from './fault-soak.js';

/**
 * The short fault soak inside `npm test` (the full one is `npm run soak`). Real pseudo-terminal, real
 * serial binding, 5% dropped and 5% corrupted lines both ways plus duplicates and delays, unplugs and
 * resets (also mid-command). SOAK_SEED replays one.
 */

const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe(`fault soak, short (seed ${SEED})`, () => {
  it('keeps every invariant under line faults, unplugs and resets', { timeout: 90_000 }, async () => {
    const report = await runFaultSoak({ seed: SEED, durationMs: 15_000 });
    expect(report.violations, `replay: SOAK_SEED=${SEED}`).toEqual([]);
    // Every kind of fault happened and every invariant was exercised, or the run proved nothing.
    for (const kind of ['drop', 'corrupt', 'duplicate', 'delay', 'hold', 'unplugs', 'resets', 'midCommand'] as const) {
      expect(report.faults[kind], kind).toBeGreaterThan(0);
    }
    for (const name of ['window', 'armed', 'once', 'order', 'refusals', 'view', 'recovery', 'stop', 'audit'] as const) {
      expect(report.invariants[name], name).toBeGreaterThan(0);
    }
    expect(report.operations).toBeGreaterThan(50);
    expect(report.replayed, 'duplicated requests answered from the reply cache').toBeGreaterThan(0);
  });
});
