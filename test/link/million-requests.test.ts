import { describe, expect, it } from 'vitest';
import { MAX_SEQ } from '../../protocol/index.js';
import { runLongSession } from '../soak/long-session.js';

/**
 * No lock-out (PROTOCOL.md §3.3): one companion session of 1.2 million requests (heartbeats, sets,
 * STOPs and output on again) with a simulated clock, the companion's own session logic against the
 * generator model (test/soak/long-session.ts, also a soak phase). It starts 600 000 before the end of
 * the sequence space, so it must renew its session on the way (same cid: test output keeps running),
 * and nothing is ever refused as stale.
 */

describe('no lock-out over a million requests', () => {
  it('1.2 million requests across the end of the seq space: never stale, never locked out, output kept through the renewal', () => {
    const report = runLongSession({ requests: 1_200_000, firstSeq: MAX_SEQ - 600_000 });
    expect(report.requests).toBeGreaterThanOrEqual(1_200_000);
    expect(report.renewals).toBe(1);
    expect(report.sessionsOpened).toBe(2);
    expect(report.outputAtRenewals, 'output survives the renewal').toEqual(['on']);
    expect(report.endedTest).toBe(0);
    expect(report.cidAtEnd).toBe('c0a1c0a1');
    expect(report.stopsNotOff).toBe(0);
    expect(report.refusals, 'no STALE_SEQ, STALE_SESSION, REV_MISMATCH or any other refusal').toEqual({});
    expect(report.outputAtEnd).toBe('on');
  });
});
