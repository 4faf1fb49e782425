import type { CohortPatient } from './cohort-patient.js';
import { type CohortReport, cohortReport } from './cohort-report.js';
import { formatCohortReport } from './cohort-report-text.js';
import type { QuantileMethod } from './descriptive-statistics.js';

/**
 * The multicentre report (pure): the paper's Results for each site and for all sites pooled, each
 * computed by the same cohortReport from the patients themselves, never by averaging site figures
 * (an SD, a median or a power cannot be pooled from summaries).
 */
export interface BySiteReport {
  sites: Record<string, CohortReport>;
  pooled: CohortReport;
}

export function bySiteReport(
  bySite: ReadonlyMap<string, readonly CohortPatient[]>,
  method: QuantileMethod,
): BySiteReport {
  const sites: Record<string, CohortReport> = {};
  for (const [site, patients] of bySite) sites[site] = cohortReport(patients, method);
  return { sites, pooled: cohortReport([...bySite.values()].flat(), method) };
}

export function formatBySiteReport(r: BySiteReport): string {
  const names = Object.keys(r.sites);
  const parts = names.map((site) => formatCohortReport(r.sites[site]!, `site ${site}`));
  parts.push(
    formatCohortReport(r.pooled, `pooled: ${names.length} site${names.length === 1 ? '' : 's'}, ${names.join(', ')}`),
  );
  return parts.join('\n');
}
