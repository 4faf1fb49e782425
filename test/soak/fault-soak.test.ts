import { describe, expect, it } from 'vitest';
import { runCompanionRestarts } from './companion-restart.js';
import { COVERED, FAULT_KINDS, runFaultSoak } from './fault-soak.js';

/**
 * The short fault soak inside `npm test` (the full one is `npm run soak`). Real pseudo-terminal, real
 * serial binding, 5% dropped and 5% corrupted lines both ways plus duplicates, delays and holds (all by
 * line count), unplugs and resets (also mid-command); and one companion SIGKILL + restart inside the
 * watchdog with real `scs script` processes. SOAK_SEED replays one.
 */

const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe(`fault soak, short (seed ${SEED})`, () => {
  it('keeps every invariant under line faults, unplugs and resets', { timeout: 150_000 }, async () => {
    // On a loaded machine 15 s may not reach every kind: it goes on (up to 60 s) until it has.
    const report = await runFaultSoak({ seed: SEED, durationMs: 15_000, untilCovered: true });
    expect(report.violations, `replay: SOAK_SEED=${SEED}\n${report.wireTrace ?? ''}`).toEqual([]);
    // Every kind of fault happened and every invariant was exercised, or the run proved nothing.
    for (const kind of FAULT_KINDS) expect(report.faults[kind], kind).toBeGreaterThan(0);
    for (const name of [...COVERED, 'audit'] as const) expect(report.invariants[name], name).toBeGreaterThan(0);
    expect(report.operations).toBeGreaterThan(50);
    expect(report.replayed, 'duplicated requests answered from the reply cache').toBeGreaterThan(0);
    expect(report.scheduleDigest).toMatch(/^[0-9a-f]{16}$/);
  });

  it(
    'a companion SIGKILLed mid-search and restarted inside the watchdog never inherits its test output',
    { timeout: 120_000 },
    async () => {
      const report = await runCompanionRestarts({ seed: SEED, rounds: 1 });
      expect(report.violations, `replay: SOAK_SEED=${SEED}\n${report.wireTrace ?? ''}`).toEqual([]);
      expect(report.kills).toBe(1);
      expect(report.killedDuring.test, 'the kill landed while test output was on').toBe(1);
      // The new HELLO's effect on the generator and the new companion's first state were both checked.
      expect(report.invariants.inherited).toBeGreaterThanOrEqual(2);
    },
  );
});
