/**
 * `npm run bench -- web-diary` at a tiny size: the shape of its report and its integrity check
 * (every entry answered 2xx is stored, none twice). No timing is asserted.
 */
import { describe, expect, it } from 'vitest';
import { runWebDiary } from '../../bench/web-diary.js';

describe('web-diary benchmark (tiny size, shape only)', () => {
  it('sends every entry to the server and the anchor and finds each stored exactly once', async () => {
    const r = await runWebDiary(6, 2, 3, 60);
    const spreadShape = {
      n: 12,
      median: expect.any(Number),
      p99: expect.any(Number),
      min: expect.any(Number),
      max: expect.any(Number),
    };
    expect(r).toMatchObject({
      bench: 'web-diary',
      host: '127.0.0.1',
      server: { latencyMs: spreadShape, answered2xx: 12, failed: 0 },
      anchor: { latencyMs: spreadShape },
      integrity: { sent: 12, stored: 12, lost: 0, duplicated: 0, timedOut: false },
      ok: true,
    });
    expect(r.ratio.p50).toBeGreaterThan(0);
  }, 120_000);
});
