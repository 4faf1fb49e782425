import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiaryStore } from '../src/diary/diary-store.js';
import { evaluateTrial } from '../src/diary/trial-criterion.js';
import { cohortReport } from '../src/outcomes/cohort-report.js';
import { siteCohortFile } from '../src/outcomes/site-cohort-file.js';
import { SiteCohortStore } from '../src/outcomes/site-cohort-store.js';
import { type StoreKind, type StoreOptions, openSqlStore } from '../src/store/sql-store.js';
import { startThrowawayServer } from '../test/pg/throwaway-server.js';
import { syntheticCohort } from './cohort.js';
import { syntheticDiary } from './diary.js';
import {
  hasFlag,
  intFlag,
  isMain,
  medianTime,
  medianTimeAsync,
  printJson,
  printTable,
  ratio,
  round,
} from './lib/stats.js';

/**
 * 9. The store on SQLite and on PostgreSQL, side by side in one run (issue 17). (a) The multicentre
 * cohort report at 10^5 patients: read every imported site record from the store and compute the
 * pooled report; anchor: the same report over the same patients already in memory. (b) One patient's
 * diary evaluation: read the patient and their current entries, evaluate the trial criterion; anchor:
 * the evaluation in memory. (c) 8 writer processes adding diary entries at once, each entry its own
 * transaction as `scs diary add` does; anchor: 1 writer on the same store. PostgreSQL is a throwaway
 * server (test/pg/throwaway-server.ts) on a Unix socket with fsync on, as durable as SQLite's
 * synchronous=FULL. The ratios are the figures to trust on a shared machine.
 */

const WRITER = fileURLToPath(new URL('./lib/store-writer.ts', import.meta.url));

export interface StoreSizes {
  patients: number;
  entries: number;
  writers: number;
  perWriter: number;
  reps: number;
}

export interface StoreSide {
  kind: StoreKind;
  cohort: { importMs: number; readMs: number; readAndReportMs: number; toMemory: number };
  diary: { readAndEvaluateMs: number; toMemory: number };
  writers: {
    oneWriterPerS: number;
    manyWritersPerS: number;
    scaling: number;
    acked: number;
    /** Entries refused because the SQLite write lock stayed taken past the 60 s wait, over both runs. */
    busy: number;
  };
}

export interface StoreResult {
  bench: 'store';
  unit: 'ms';
  sizes: StoreSizes;
  anchors: { cohortReportInMemoryMs: number; diaryEvaluateInMemoryMs: number };
  sqlite: StoreSide;
  postgres: StoreSide;
  /** PostgreSQL over SQLite: times (above 1 = PostgreSQL slower) and throughput (above 1 = PostgreSQL faster). */
  postgresToSqlite: { cohortReport: number; diaryEvaluation: number; writerThroughput: number };
}

/** Starts `n` writer processes, lets them all go at once, and returns entries per second over the whole span. */
async function writerThroughput(where: string, n: number, perWriter: number, label: string) {
  const children = Array.from({ length: n }, (_, i) =>
    spawn(process.execPath, ['--import', 'tsx', WRITER, where, `${label}-${i}`, String(perWriter)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const outputs = children.map((c) => {
    let text = '';
    c.stdout!.on('data', (d: Buffer) => (text += d.toString()));
    const ready = new Promise<void>((resolve, reject) => {
      const check = () => (text.startsWith('ready\n') ? resolve() : undefined);
      c.stdout!.on('data', check);
      c.once('exit', (code) => reject(new Error(`writer exited with ${code} before it was ready`)));
    });
    const done = new Promise<{ acked: number; busy: number; startMs: number; endMs: number }>((resolve, reject) =>
      c.once('exit', (code) =>
        code === 0 ? resolve(JSON.parse(text.split('\n')[1]!)) : reject(new Error(`writer exited with ${code}`)),
      ),
    );
    done.catch(() => undefined);
    return { ready, done };
  });
  await Promise.all(outputs.map((o) => o.ready));
  for (const c of children) c.stdin!.end('go\n');
  const results = await Promise.all(outputs.map((o) => o.done));
  const span = Math.max(...results.map((r) => r.endMs)) - Math.min(...results.map((r) => r.startMs));
  const acked = results.reduce((s, r) => s + r.acked, 0);
  const busy = results.reduce((s, r) => s + r.busy, 0);
  return { perS: (acked * 1000) / span, acked, busy };
}

async function side(kind: StoreKind, where: StoreOptions, sizes: StoreSizes, anchors: StoreResult['anchors']) {
  const patients = syntheticCohort(sizes.patients);
  const store = await openSqlStore(where);
  let cohort: StoreSide['cohort'];
  try {
    const sites = await SiteCohortStore.on(store);
    const t0 = performance.now();
    await sites.import([{ name: 'bench', file: siteCohortFile('bench-site', patients, new Date()) }]);
    const importMs = performance.now() - t0;
    const readMs = await medianTimeAsync(sizes.reps, () => sites.bySite());
    const readAndReportMs = await medianTimeAsync(sizes.reps, async () =>
      cohortReport([...(await sites.bySite()).values()].flat()),
    );
    cohort = {
      importMs: round(importMs),
      readMs: round(readMs),
      readAndReportMs: round(readAndReportMs),
      toMemory: ratio(readAndReportMs, anchors.cohortReportInMemoryMs),
    };
  } finally {
    await store.close();
  }

  const diary = await DiaryStore.open(where);
  let diarySide: StoreSide['diary'];
  try {
    await diary.importRows(
      'P-bench',
      syntheticDiary(sizes.entries).map((entry, i) => ({ line: i + 2, entry })),
    );
    const readAndEvaluateMs = await medianTimeAsync(sizes.reps, async () => {
      const p = (await diary.getPatient('P-bench'))!;
      return evaluateTrial(await diary.current('P-bench'), { trialStart: p.trialStart, trialEnd: p.trialEnd });
    });
    diarySide = {
      readAndEvaluateMs: round(readAndEvaluateMs),
      toMemory: ratio(readAndEvaluateMs, anchors.diaryEvaluateInMemoryMs),
    };
  } finally {
    await diary.close();
  }

  const target = where.databaseUrl ?? where.dataDir!;
  const one = await writerThroughput(target, 1, sizes.perWriter, 'one');
  const many = await writerThroughput(target, sizes.writers, sizes.perWriter, 'many');
  return {
    kind,
    cohort,
    diary: diarySide,
    writers: {
      oneWriterPerS: round(one.perS, 1),
      manyWritersPerS: round(many.perS, 1),
      scaling: ratio(many.perS, one.perS),
      acked: many.acked,
      busy: one.busy + many.busy,
    },
  } satisfies StoreSide;
}

/** Runs both sides; `pgUrl` an empty database on a server the caller owns, else a throwaway server is started. */
export async function runStore(sizes: StoreSizes, pgUrl?: string): Promise<StoreResult> {
  const patients = syntheticCohort(sizes.patients);
  const entries = syntheticDiary(sizes.entries);
  cohortReport(patients); // warm the JIT
  const anchors = {
    cohortReportInMemoryMs: round(medianTime(sizes.reps, () => cohortReport(patients))),
    diaryEvaluateInMemoryMs: round(medianTime(sizes.reps, () => evaluateTrial(entries))),
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-bench-store-'));
  const server = pgUrl ? undefined : startThrowawayServer({ fsync: true });
  try {
    const url = pgUrl ?? (await server!.createDatabase('bench_store'));
    const sqlite = await side('sqlite', { dataDir, env: {} }, sizes, anchors);
    const postgres = await side('postgres', { databaseUrl: url, env: {} }, sizes, anchors);
    return {
      bench: 'store',
      unit: 'ms',
      sizes,
      anchors,
      sqlite,
      postgres,
      postgresToSqlite: {
        cohortReport: ratio(postgres.cohort.readAndReportMs, sqlite.cohort.readAndReportMs),
        diaryEvaluation: ratio(postgres.diary.readAndEvaluateMs, sqlite.diary.readAndEvaluateMs),
        writerThroughput: ratio(postgres.writers.manyWritersPerS, sqlite.writers.manyWritersPerS),
      },
    };
  } finally {
    server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const quick = hasFlag(process.argv, 'quick');
  const sizes: StoreSizes = {
    patients: intFlag(process.argv, 'patients', quick ? 10_000 : 100_000),
    entries: intFlag(process.argv, 'entries', 2_000),
    writers: intFlag(process.argv, 'writers', 8),
    perWriter: intFlag(process.argv, 'per-writer', quick ? 50 : 200),
    reps: intFlag(process.argv, 'reps', 5),
  };
  const r = await runStore(sizes);
  const s = r.sqlite;
  const p = r.postgres;
  printTable(
    `store: SQLite file vs PostgreSQL (Unix socket, fsync on); ${sizes.patients} patients, one diary of ${sizes.entries} entries, ${sizes.writers} writers × ${sizes.perWriter} entries`,
    [
      ['figure', 'SQLite', 'PostgreSQL', 'PG / SQLite', 'anchor (in memory)'],
      [
        'cohort: import one site export, ms',
        s.cohort.importMs,
        p.cohort.importMs,
        ratio(p.cohort.importMs, s.cohort.importMs),
        '—',
      ],
      ['cohort: read all records, ms', s.cohort.readMs, p.cohort.readMs, ratio(p.cohort.readMs, s.cohort.readMs), '—'],
      [
        'cohort: read + pooled report, ms',
        s.cohort.readAndReportMs,
        p.cohort.readAndReportMs,
        r.postgresToSqlite.cohortReport,
        r.anchors.cohortReportInMemoryMs,
      ],
      ['  … / in-memory report', s.cohort.toMemory, p.cohort.toMemory, '', ''],
      [
        'diary: read + evaluate one patient, ms',
        s.diary.readAndEvaluateMs,
        p.diary.readAndEvaluateMs,
        r.postgresToSqlite.diaryEvaluation,
        r.anchors.diaryEvaluateInMemoryMs,
      ],
      ['  … / in-memory evaluation', s.diary.toMemory, p.diary.toMemory, '', ''],
      [
        '1 writer, entries/s',
        s.writers.oneWriterPerS,
        p.writers.oneWriterPerS,
        ratio(p.writers.oneWriterPerS, s.writers.oneWriterPerS),
        '—',
      ],
      [
        `${sizes.writers} writers, entries/s`,
        s.writers.manyWritersPerS,
        p.writers.manyWritersPerS,
        r.postgresToSqlite.writerThroughput,
        '—',
      ],
      [`  … / 1 writer`, s.writers.scaling, p.writers.scaling, '', ''],
      ['entries refused, write lock not got in 60 s', s.writers.busy, p.writers.busy, '', ''],
    ],
  );
  printJson(r);
}
