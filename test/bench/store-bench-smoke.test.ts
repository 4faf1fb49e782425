/**
 * `npm run bench -- store` at tiny sizes (shapes only, no timing asserted): both stores measured in one
 * run, every writer's entries acknowledged, the JSON line round-trips. Uses the run's PostgreSQL server.
 */
import { describe, expect, it } from 'vitest';
import { runStore } from '../../bench/store.js';
import { freshDatabase } from '../pg/pg-database.js';

describe('bench store (tiny sizes)', () => {
  it('measures SQLite and PostgreSQL side by side with ratios', async () => {
    const sizes = { patients: 40, entries: 120, writers: 2, perWriter: 3, reps: 1 };
    const r = await runStore(sizes, await freshDatabase('bench_store'));
    expect(r).toMatchObject({ bench: 'store', unit: 'ms', sizes });
    for (const side of [r.sqlite, r.postgres]) {
      // Every entry either acknowledged or refused because the write lock stayed taken (60 s wait).
      expect(side.writers.acked + side.writers.busy).toBeGreaterThanOrEqual(sizes.writers * sizes.perWriter);
      expect(side.writers.acked).toBeGreaterThan(0);
      expect(side.cohort.readAndReportMs).toBeGreaterThan(0);
      expect(side.diary.toMemory).toEqual(expect.any(Number));
    }
    expect([r.sqlite.kind, r.postgres.kind]).toEqual(['sqlite', 'postgres']);
    expect(r.postgresToSqlite).toEqual({
      cohortReport: expect.any(Number),
      diaryEvaluation: expect.any(Number),
      writerThroughput: expect.any(Number),
    });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  }, 120_000);
});
