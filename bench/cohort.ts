import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatCohortCsv, parseCohortCsv } from '../src/outcomes/cohort-csv.js';
import type { CohortPatient } from '../src/outcomes/cohort-patient.js';
import { cohortReport } from '../src/outcomes/cohort-report.js';
import {
  atMost,
  hasFlag,
  isMain,
  medianTime,
  printJson,
  printTable,
  printVerdicts,
  ratio,
  round,
} from './lib/stats.js';

/**
 * 5. Cohort report (the paper's descriptive Results, effect size and power) at 10^3, 10^4, 10^5
 * patients: the report from parsed records, and what `scs cohort report --file` does (parse the CSV,
 * then report). Anchors in the same run: the previous decade (growth) and the floor of one numeric
 * sort of the same number of values. Target: report at 10^5 ≤ 2 s.
 */

const TABLE1 = fileURLToPath(new URL('../test/fixtures/cohort/table1.csv', import.meta.url));

/** The paper's Table 1 repeated with new ids and shifted ages and scores, `n` patients. */
export function syntheticCohort(n: number): CohortPatient[] {
  const parsed = parseCohortCsv(fs.readFileSync(TABLE1, 'utf8'));
  if (!parsed.ok) throw new Error(`the Table 1 fixture does not parse: ${JSON.stringify(parsed.problems[0])}`);
  const seed = parsed.patients;
  const clamp = (v: number | null, max: number, shift: number) =>
    v === null ? null : Math.max(0, Math.min(max, v + shift));
  return Array.from({ length: n }, (_, i) => {
    const p = seed[i % seed.length]!;
    const shift = (i % 3) - 1;
    return {
      ...p,
      patient: `P${String(i + 1).padStart(7, '0')}`,
      age: Math.max(18, Math.min(100, p.age + (i % 11) - 5)),
      durationMonths: p.durationMonths + (i % 7),
      nrs: { baseline: p.nrs.baseline, post: clamp(p.nrs.post, 10, shift), final: clamp(p.nrs.final, 10, -shift) },
      pdi: {
        baseline: p.pdi.baseline,
        post: clamp(p.pdi.post, 70, 2 * shift),
        final: clamp(p.pdi.final, 70, -2 * shift),
      },
    };
  });
}

export interface CohortRow {
  patients: number;
  reps: number;
  reportMs: number;
  csvBytes: number;
  parseAndReportMs: number;
  sortFloorMs: number;
  reportToSort: number;
  growth: number | null;
}

export interface CohortResult {
  bench: 'cohort';
  unit: 'ms';
  rows: CohortRow[];
  target: { largestPatients: number; largestMs: number; maxMs: 2000; met: boolean };
}

export function runCohort(sizes = [1e3, 1e4, 1e5]): CohortResult {
  const rows: CohortRow[] = [];
  cohortReport(syntheticCohort(500)); // warm the JIT
  for (const n of sizes) {
    const patients = syntheticCohort(n);
    const csv = formatCohortCsv(patients);
    const reps = n >= 1e5 ? 5 : n >= 1e4 ? 9 : 21;
    const reportMs = medianTime(reps, () => cohortReport(patients));
    const parseAndReportMs = medianTime(reps, () => {
      const parsed = parseCohortCsv(csv);
      if (!parsed.ok) throw new Error(`synthetic cohort CSV does not parse: ${JSON.stringify(parsed.problems[0])}`);
      return cohortReport(parsed.patients);
    });
    const ages = patients.map((p) => p.age + p.durationMonths / 1e4);
    const sortFloorMs = medianTime(reps, () => [...ages].sort((a, b) => a - b));
    const previous = rows[rows.length - 1];
    rows.push({
      patients: n,
      reps,
      reportMs: round(reportMs),
      csvBytes: Buffer.byteLength(csv),
      parseAndReportMs: round(parseAndReportMs),
      sortFloorMs: round(sortFloorMs),
      reportToSort: ratio(reportMs, sortFloorMs),
      growth: previous ? ratio(reportMs, previous.reportMs) : null,
    });
  }
  const last = rows[rows.length - 1]!;
  return {
    bench: 'cohort',
    unit: 'ms',
    rows,
    target: { largestPatients: last.patients, largestMs: last.reportMs, maxMs: 2000, met: last.reportMs <= 2000 },
  };
}

if (isMain(import.meta.url)) {
  const r = runCohort(hasFlag(process.argv, 'quick') ? [1e3, 1e4] : undefined);
  printTable('cohort report over a synthetic cohort (Table 1 repeated), ms (median of reps)', [
    ['patients', 'reps', 'report', 'CSV parse + report', 'CSV MB', 'sort floor', 'report/sort', 'growth/decade'],
    ...r.rows.map((x) => [
      String(x.patients),
      x.reps,
      x.reportMs,
      x.parseAndReportMs,
      round(x.csvBytes / 1e6, 2),
      x.sortFloorMs,
      x.reportToSort,
      x.growth ?? '—',
    ]),
  ]);
  printVerdicts([atMost(`report at ${r.target.largestPatients} patients (ms)`, r.target.largestMs, 2000)]);
  printJson(r);
}
