import { CsvSyntaxError, csvLine, parseCsv } from '../diary/csv.js';
import { patientIdProblem } from '../diary/patient-id.js';
import { parseDermatomeRange } from './dermatome-range.js';
import {
  AGE_MAX,
  COST_MAX,
  DURATION_MONTHS_MAX,
  HOSPITAL_DAYS_MAX,
  NRS_MAX,
  PDI_MAX,
  SEXES,
  SIDES,
  type CohortPatient,
  type Sex,
  type Side,
  type YesNo,
} from './cohort-patient.js';

export const COHORT_COLUMNS = [
  'patient',
  'sex',
  'age',
  'location',
  'side',
  'duration_months',
  'scs_trial',
  'scs_implant',
  'drez',
  'nrs_baseline',
  'nrs_post',
  'nrs_final',
  'pdi_baseline',
  'pdi_post',
  'pdi_final',
] as const;
export const OPTIONAL_COHORT_COLUMNS = ['hospital_days', 'cost', 'currency', 'price_year'] as const;
type Column = (typeof COHORT_COLUMNS)[number] | (typeof OPTIONAL_COHORT_COLUMNS)[number];

export interface CohortCsvProblem {
  line: number;
  /** 1-based column number; 0 when the problem is the whole row. */
  column: number;
  field: string;
  reason: string;
}

export type CohortCsvResult = { ok: true; patients: CohortPatient[] } | { ok: false; problems: CohortCsvProblem[] };

const DECIMAL = /^\d+(?:\.\d+)?$/;
const INTEGER = /^\d+$/;

class RowReader {
  constructor(
    private readonly line: number,
    private readonly fields: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
    private readonly problems: CohortCsvProblem[],
  ) {}

  raw(col: Column): string {
    const i = this.index.get(col);
    return i === undefined ? '' : (this.fields[i] ?? '').trim();
  }

  fail(col: Column, reason: string): null {
    this.problems.push({ line: this.line, column: (this.index.get(col) ?? -1) + 1, field: col, reason });
    return null;
  }

  text(col: Column): string | null {
    const v = this.raw(col);
    return v === '' ? this.fail(col, 'is empty; a value is required') : v;
  }

  choice<T extends string>(col: Column, allowed: readonly T[], optional = false): T | null {
    const v = this.raw(col).toUpperCase();
    if (v === '' && optional) return null;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    return this.fail(col, `'${this.raw(col)}' is not one of ${allowed.join(', ')}${optional ? ' or empty' : ''}`);
  }

  /** `Y`, `N`, or empty for not done; a lone dash (as Table 1 prints it) also means not done. */
  yesNo(col: Column): YesNo {
    if (/^[-–—]$/.test(this.raw(col))) return null;
    return this.choice(col, ['Y', 'N'] as const, true);
  }

  /** A non-negative number within [min, max]; integers only when asked. Empty → null if optional. */
  number(
    col: Column,
    opts: { min: number; max: number; integer?: boolean; optional?: boolean; unit?: string },
  ): number | null {
    const v = this.raw(col);
    if (v === '') return opts.optional ? null : this.fail(col, 'is empty; a value is required');
    const pattern = opts.integer ? INTEGER : DECIMAL;
    const what = opts.integer ? 'a whole number' : 'a number (digits, optional decimal point)';
    if (!pattern.test(v)) return this.fail(col, `'${v}' is not ${what}`);
    const n = Number(v);
    if (n < opts.min || n > opts.max)
      return this.fail(col, `${v} is outside ${opts.min}–${opts.max}${opts.unit ? ` ${opts.unit}` : ''}`);
    return n;
  }
}

/**
 * The cohort CSV contract: one row per patient, header
 * `patient,sex,age,location,side,duration_months,scs_trial,scs_implant,drez,nrs_baseline,nrs_post,
 * nrs_final,pdi_baseline,pdi_post,pdi_final` (+ optional `hospital_days,cost,currency,price_year`).
 * Parsing is all-or-nothing: every problem is collected with line, column and reason, and a file
 * with any problem yields no patients.
 *
 * Parses and validates a cohort CSV. Never throws for bad content: problems come back as data.
 */
export function parseCohortCsv(text: string): CohortCsvResult {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError)
      return { ok: false, problems: [{ line: e.line, column: e.column, field: '', reason: e.message }] };
    throw e;
  }
  const [header, ...rows] = records;
  if (!header)
    return {
      ok: false,
      problems: [
        {
          line: 1,
          column: 0,
          field: '',
          reason: `the file is empty; the first line must be the header ${COHORT_COLUMNS.join(',')}`,
        },
      ],
    };

  const problems: CohortCsvProblem[] = [];
  const index = new Map<string, number>();
  const known: readonly string[] = [...COHORT_COLUMNS, ...OPTIONAL_COHORT_COLUMNS];
  header.fields.forEach((name, i) => {
    const col = name.trim().toLowerCase();
    if (!known.includes(col))
      problems.push({
        line: header.line,
        column: i + 1,
        field: name,
        reason: `unknown column '${name}'; expected ${COHORT_COLUMNS.join(',')} (+ optional ${OPTIONAL_COHORT_COLUMNS.join(',')})`,
      });
    else if (index.has(col))
      problems.push({ line: header.line, column: i + 1, field: col, reason: `column '${col}' appears twice` });
    else index.set(col, i);
  });
  for (const col of COHORT_COLUMNS) {
    if (!index.has(col))
      problems.push({
        line: header.line,
        column: 0,
        field: col,
        reason: `required column '${col}' is missing from the header`,
      });
  }
  if (problems.length) return { ok: false, problems };

  const patients: CohortPatient[] = [];
  const firstLineOf = new Map<string, number>();
  for (const rec of rows) {
    if (rec.fields.length !== header.fields.length) {
      problems.push({
        line: rec.line,
        column: 0,
        field: '',
        reason: `has ${rec.fields.length} fields, the header has ${header.fields.length}`,
      });
      continue;
    }
    const before = problems.length;
    const r = new RowReader(rec.line, rec.fields, index, problems);
    const patient = r.text('patient');
    const idProblem = patient === null ? null : patientIdProblem(patient);
    if (idProblem) r.fail('patient', idProblem);
    if (patient !== null && firstLineOf.has(patient))
      r.fail('patient', `'${patient}' already appears on line ${firstLineOf.get(patient)}`);
    if (patient !== null && !firstLineOf.has(patient)) firstLineOf.set(patient, rec.line);
    const sex = r.choice<Sex>('sex', SEXES);
    const age = r.number('age', { min: 0, max: AGE_MAX, integer: true, unit: 'years' });
    const locationText = r.text('location');
    const parsedLocation = locationText === null ? null : parseDermatomeRange(locationText);
    if (parsedLocation && !parsedLocation.ok) r.fail('location', parsedLocation.reason);
    const side = r.choice<Side>('side', SIDES);
    const durationMonths = r.number('duration_months', { min: 0, max: DURATION_MONTHS_MAX, unit: 'months' });
    const scsTrial = r.yesNo('scs_trial');
    const scsImplant = r.yesNo('scs_implant');
    const drez = r.yesNo('drez');
    // The paper's pathway: only a passed trial leads to an implant.
    if (scsImplant === 'Y' && (scsTrial === 'N' || /^[-–—]?$/.test(r.raw('scs_trial')))) {
      r.fail(
        'scs_implant',
        'is Y but scs_trial is not: an IPG implant follows a passed SCS trial; record the trial (scs_trial Y)',
      );
    }
    const nrs = {
      baseline: r.number('nrs_baseline', { min: 0, max: NRS_MAX, integer: true }),
      post: r.number('nrs_post', { min: 0, max: NRS_MAX, integer: true, optional: true }),
      final: r.number('nrs_final', { min: 0, max: NRS_MAX, integer: true, optional: true }),
    };
    const pdi = {
      baseline: r.number('pdi_baseline', { min: 0, max: PDI_MAX, integer: true, optional: true }),
      post: r.number('pdi_post', { min: 0, max: PDI_MAX, integer: true, optional: true }),
      final: r.number('pdi_final', { min: 0, max: PDI_MAX, integer: true, optional: true }),
    };
    const hospitalDays = r.number('hospital_days', { min: 0, max: HOSPITAL_DAYS_MAX, optional: true, unit: 'days' });
    const cost = r.number('cost', { min: 0, max: COST_MAX, optional: true });
    const currencyText = r.raw('currency').toUpperCase();
    let currency: string | null = null;
    if (currencyText !== '' && !/^[A-Z]{3}$/.test(currencyText))
      r.fail('currency', `'${r.raw('currency')}' is not an ISO 4217 code such as CNY, EUR, USD`);
    else if (currencyText !== '') currency = currencyText;
    if (cost !== null && currency === null && currencyText === '')
      r.fail('currency', 'a cost needs its currency (ISO 4217, e.g. CNY)');
    const priceYear = r.number('price_year', { min: 1900, max: 2100, integer: true, optional: true });
    if (problems.length > before || !parsedLocation?.ok) continue;
    patients.push({
      patient: patient!,
      sex: sex!,
      age: age!,
      location: parsedLocation.range,
      side: side!,
      durationMonths: durationMonths!,
      scsTrial,
      scsImplant,
      drez,
      nrs,
      pdi,
      hospitalDays,
      cost,
      currency,
      priceYear,
    });
  }
  if (problems.length) return { ok: false, problems };
  if (patients.length === 0)
    return {
      ok: false,
      problems: [{ line: header.line, column: 0, field: '', reason: 'the file has a header but no patient rows' }],
    };
  return { ok: true, patients };
}

/** One line per problem: `FILE:LINE:COLUMN (field): reason`. */
export function describeCohortProblems(file: string, problems: readonly CohortCsvProblem[]): string[] {
  return problems.map(
    (p) => `${file}:${p.line}${p.column > 0 ? `:${p.column}` : ''}${p.field ? ` (${p.field})` : ''}: ${p.reason}`,
  );
}

function num(v: number | null): string {
  return v === null ? '' : String(v);
}

/** Writes patients back in the contract's format (optional columns only when any patient has them). */
export function formatCohortCsv(patients: readonly CohortPatient[]): string {
  const withEconomics = patients.some((p) => p.hospitalDays !== null || p.cost !== null || p.priceYear !== null);
  const header: string[] = [...COHORT_COLUMNS, ...(withEconomics ? OPTIONAL_COHORT_COLUMNS : [])];
  const rows = patients.map((p) => {
    const row = [
      p.patient,
      p.sex,
      String(p.age),
      p.location.text,
      p.side,
      String(p.durationMonths),
      p.scsTrial ?? '',
      p.scsImplant ?? '',
      p.drez ?? '',
      num(p.nrs.baseline),
      num(p.nrs.post),
      num(p.nrs.final),
      num(p.pdi.baseline),
      num(p.pdi.post),
      num(p.pdi.final),
    ];
    if (withEconomics) row.push(num(p.hospitalDays), num(p.cost), p.currency ?? '', num(p.priceYear));
    return row;
  });
  return [header, ...rows].map(csvLine).join('\n') + '\n';
}
