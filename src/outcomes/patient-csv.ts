import { csvLine } from '../diary/csv.js';
import type { PatientRecord } from './patient-record.js';

export const PATIENT_CSV_COLUMNS = [
  'patient',
  'visit',
  'months',
  'date',
  'nrs',
  'pdi',
  'pdi_domains',
  'relief_percent',
] as const;

/** One patient's follow-up visits as CSV (pure), for spreadsheets and statistics packages. */
export function patientCsv(r: PatientRecord): string {
  const rows = r.followUps.map((f) => [
    r.patient.id,
    f.visit.label,
    f.visit.months === null ? '' : String(f.visit.months),
    f.date ?? '',
    f.nrs === null ? '' : String(f.nrs),
    f.pdi === null ? '' : String(f.pdi),
    f.pdiDomains ? f.pdiDomains.join(';') : '',
    f.reliefPercent === null ? '' : String(Number(f.reliefPercent.toFixed(2))),
  ]);
  return [PATIENT_CSV_COLUMNS, ...rows].map(csvLine).join('\n') + '\n';
}
