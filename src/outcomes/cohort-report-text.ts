/** The cohort report and the published-figure comparison as text for a terminal (pure). */
import type { Summary } from './descriptive-statistics.js';
import { GROUPS } from './cohort-patient.js';
import type { CohortReport, GroupReport, Proportion } from './cohort-report.js';
import type { ComparisonRow } from './published-comparison.js';

function f(x: number | null, decimals: number): string {
  return x === null ? '–' : x.toFixed(decimals);
}

/** Observed values as recorded: whole numbers without decimals. */
function plain(x: number | null): string {
  return x === null ? '–' : Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

/** `66.3 ± 8.9 (range 58–84); median 64.0 (IQR 58.0–72.3)` */
export function describeSummary(s: Summary, decimals = 1): string {
  if (s.n === 0) return 'no values';
  const spread = s.sd === null ? '' : ` ± ${f(s.sd, decimals)}`;
  return (
    `${f(s.mean, decimals)}${spread} (range ${plain(s.min)}–${plain(s.max)}); ` +
    `median ${f(s.median, decimals)} (IQR ${f(s.q1, decimals)}–${f(s.q3, decimals)}); n ${s.n}`
  );
}

function proportionText(p: Proportion): string {
  return p.n === 0 ? 'not decidable (no final NRS)' : `${p.count} of ${p.n} (${f(p.percent, 1)}%)`;
}

function percentList(xs: readonly (number | null)[]): string {
  return xs.map((x) => (x === null ? '–' : `${f(x, 0)}%`)).join(', ');
}

function groupLines(name: string, g: GroupReport): string[] {
  const lines = [`  ${name} — ${g.description}: n ${g.n}${g.n ? ` (patients ${g.patients.join(', ')})` : ''}`];
  if (g.n === 0) return lines;
  for (const measure of ['nrs', 'pdi'] as const) {
    for (const when of ['baseline', 'post', 'final'] as const) {
      lines.push(`    ${measure.toUpperCase().padEnd(3)} ${when.padEnd(8)}  ${describeSummary(g[measure][when])}`);
    }
  }
  lines.push(`    relief at post-op  ${percentList(g.reliefPercent.post)}`);
  lines.push(`    relief at final    ${percentList(g.reliefPercent.final)}`);
  lines.push(
    `    ≥30% at final      ${proportionText(g.responders30AtFinal)};  ≥50%: ${proportionText(g.responders50AtFinal)}`,
  );
  if (g.hospitalDays) lines.push(`    hospital stay, days  ${describeSummary(g.hospitalDays)}`);
  for (const c of g.cost ?? []) {
    const years = c.priceYears.length ? ` at ${c.priceYears.join('/')} prices` : '';
    lines.push(`    direct cost, ${c.currency}${years}  ${describeSummary(c, 0)}`);
  }
  return lines;
}

export function formatCohortReport(r: CohortReport, source: string): string {
  const d = r.dermatomes;
  const top = d.mostCommonLevels.length
    ? `; most involved ${d.mostCommonLevels.join(', ')} (${d.levelCounts[d.mostCommonLevels[0]!]} patients each)`
    : '';
  const nrsCounts = Object.entries(r.baseline.nrs.counts)
    .map(([score, n]) => `NRS ${score}: ${n}`)
    .join(', ');
  const p = r.pathway;
  const e = r.effect;
  const lines = [
    `Cohort report: ${r.n} patients (${source})`,
    `Mean ± sample SD; quantiles: ${r.quantileMethod}`,
    '',
    'Demographics',
    `  sex                    M ${r.sex.M}, F ${r.sex.F}${r.sex.X ? `, X ${r.sex.X}` : ''}`,
    `  age, years             ${describeSummary(r.age)}`,
    `  pain duration, months  ${describeSummary(r.durationMonths)}`,
    `  dermatomes             ${describeSummary(d, 2)}`,
    `                         single ${d.singleLevel}, two or more ${d.multiLevel}${top}`,
    `  side                   left ${r.side.L}, right ${r.side.R}${r.side.B ? `, bilateral ${r.side.B}` : ''}`,
    `  baseline NRS           ${describeSummary(r.baseline.nrs)}  [${nrsCounts}]`,
    `  baseline PDI           ${describeSummary(r.baseline.pdi)}`,
    '',
    `Pathway: SCS trial ${p.scsTrial} → implanted ${p.scsImplant}, not implanted ${p.scsTrialFailed} ` +
      `(${p.trialFailedConservative} conservative, ${p.drezAfterFailedTrial} DREZ); primary DREZ ${p.primaryDrez}`,
    '',
    'Groups (post = post-operative; final = final follow-up)',
    ...GROUPS.flatMap((g) => groupLines(g, r.groups[g])),
    '',
    'Relief per patient (NRS reduction from baseline)',
    `  ${'patient'.padEnd(10)} ${'groups'.padEnd(30)} ${'baseline'.padStart(8)} ${'post'.padStart(6)} ${'final'.padStart(6)}  ≥30% at final`,
    ...r.relief.map(
      (x) =>
        `  ${x.patient.padEnd(10)} ${(x.groups.join(', ') || '–').padEnd(30)} ${f(x.nrsBaseline, 0).padStart(8)} ` +
        `${(x.reliefPostPercent === null ? '–' : `${f(x.reliefPostPercent, 0)}%`).padStart(6)} ` +
        `${(x.reliefFinalPercent === null ? '–' : `${f(x.reliefFinalPercent, 0)}%`).padStart(6)}  ` +
        `${x.meets30AtFinal === null ? '–' : x.meets30AtFinal ? 'yes' : 'no'}`,
    ),
    `  ≥30% at final follow-up: ${proportionText(r.responders30AtFinal)};  ≥50%: ${proportionText(r.responders50AtFinal)}`,
    '',
    `Paired effect, ${e.measure}, n ${e.n}`,
    e.dz === null
      ? `  not computable: ${e.note}`
      : `  mean difference ${f(e.meanDifference, 2)} ± ${f(e.sdDifference, 2)}; Cohen's dz ${f(e.dz, 2)}; ` +
        `post hoc power ${f(e.power, 2)} (two-tailed paired t, α ${e.alpha}, df ${e.df}, t_crit ${f(e.tCritical, 3)}, δ ${f(e.ncp, 3)}; G*Power method)`,
  ];
  return lines.join('\n') + '\n';
}

export function formatComparison(rows: readonly ComparisonRow[]): string {
  const count = (s: ComparisonRow['status']) => rows.filter((r) => r.status === s).length;
  const keyWidth = Math.max(3, ...rows.map((r) => r.key.length));
  const lines = [
    `Published figures vs recomputed from the data: ${count('match')} match, ${count('differs')} differ, ${count('not-in-data')} not in the data`,
    `  ${'key'.padEnd(keyWidth)}  ${'published'.padStart(10)}  ${'recomputed'.padStart(10)}  status`,
  ];
  for (const r of rows) {
    const flag = r.status === 'match' ? 'ok' : r.status === 'differs' ? 'DIFFERS' : 'not in data';
    lines.push(
      `  ${r.key.padEnd(keyWidth)}  ${r.published.padStart(10)}  ${(r.recomputed ?? '–').padStart(10)}  ${flag}`,
    );
    if (r.status !== 'match') {
      lines.push(`      ${r.where}`);
      if (r.reason) lines.push(`      ${r.reason}`);
      if (r.note) lines.push(`      note: ${r.note}`);
    }
  }
  return lines.join('\n') + '\n';
}
