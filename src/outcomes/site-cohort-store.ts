import type { Kysely } from 'kysely';
import type { CohortPatient } from './cohort-patient.js';
import { COHORT_COLUMNS, OPTIONAL_COHORT_COLUMNS } from './cohort-csv.js';
import { UserError } from '../errors/user-error.js';
import { type SiteCohortFile, type SiteRecord, cohortPatientOf, pseudonymOf, qualifiedId } from './site-cohort-file.js';
import { SITE_COHORT_COMPONENT, SITE_COHORT_STEPS, type SiteCohortTables } from './site-cohort-schema.js';
import { applyStoreMigrations } from '../store/dialect-migrations.js';
import { type SqlStore, writeTransaction } from '../store/sql-store.js';

type Q = Kysely<SiteCohortTables>;
type Row = SiteCohortTables['site_cohort_records'];

/** What one file's import did. */
export interface SiteImportResult {
  file: string;
  site: string;
  added: number;
  updated: number;
  unchanged: number;
}

function toRow(site: string, r: SiteRecord, exportedAt: string, importedAt: string): Row {
  return {
    site,
    patient: pseudonymOf(site, r.id)!,
    sex: r.sex,
    age: r.age,
    location: r.location,
    side: r.side,
    duration_months: r.durationMonths,
    scs_trial: r.scsTrial,
    scs_implant: r.scsImplant,
    drez: r.drez,
    nrs_baseline: r.nrs.baseline,
    nrs_post: r.nrs.post,
    nrs_final: r.nrs.final,
    pdi_baseline: r.pdi.baseline,
    pdi_post: r.pdi.post,
    pdi_final: r.pdi.final,
    hospital_days: r.hospitalDays,
    cost: r.cost,
    currency: r.currency,
    price_year: r.priceYear,
    exported_at: exportedAt,
    imported_at: importedAt,
  };
}

function toRecord(row: Row): SiteRecord {
  return {
    id: qualifiedId(row.site, row.patient),
    sex: row.sex as SiteRecord['sex'],
    age: row.age,
    location: row.location,
    side: row.side as SiteRecord['side'],
    durationMonths: row.duration_months,
    scsTrial: row.scs_trial as SiteRecord['scsTrial'],
    scsImplant: row.scs_implant as SiteRecord['scsImplant'],
    drez: row.drez as SiteRecord['drez'],
    nrs: { baseline: row.nrs_baseline, post: row.nrs_post, final: row.nrs_final },
    pdi: { baseline: row.pdi_baseline, post: row.pdi_post, final: row.pdi_final },
    hospitalDays: row.hospital_days,
    cost: row.cost,
    currency: row.currency,
    priceYear: row.price_year,
  };
}

/** The fields that describe the patient (not when the row was exported or imported): the cohort CSV's columns. */
const CONTENT_KEYS = [...COHORT_COLUMNS, ...OPTIONAL_COHORT_COLUMNS].filter(
  (c): c is Exclude<(typeof COHORT_COLUMNS)[number], 'patient'> | (typeof OPTIONAL_COHORT_COLUMNS)[number] =>
    c !== 'patient',
) satisfies readonly (keyof Row)[];

const sameContent = (a: Row, b: Row) => CONTENT_KEYS.every((k) => a[k] === b[k]);

// Natural order (2 before 10); one collator, since localeCompare with options builds one per call.
const natural = new Intl.Collator('en', { numeric: true }).compare;

// Rows per INSERT: 22 columns × 400 stays far below SQLite's and PostgreSQL's parameter limits.
const BATCH = 400;

/**
 * Site exports merged into the coordinating centre's store (SQLite file or PostgreSQL), idempotently:
 * a record already held unchanged is left alone, so importing the same files twice changes nothing; a
 * later export of the same site replaces that site's older record of the patient (follow-up accrues),
 * an older export never overwrites a newer one. All files of one import go in one transaction: a
 * problem in any of them stores nothing.
 */
export class SiteCohortStore {
  private constructor(
    readonly store: SqlStore,
    private readonly now: () => Date,
  ) {}

  /** The site cohorts on an open store (migrated here); closing the store is the caller's. */
  static async on(store: SqlStore, options: { now?: () => Date } = {}): Promise<SiteCohortStore> {
    await applyStoreMigrations(store, SITE_COHORT_COMPONENT, SITE_COHORT_STEPS);
    return new SiteCohortStore(store, options.now ?? (() => new Date()));
  }

  private get q(): Q {
    return this.store.db as Q;
  }

  /** Merges every file in one transaction (files are already validated by parseSiteCohortFile). */
  import(files: readonly { name: string; file: SiteCohortFile }[]): Promise<SiteImportResult[]> {
    const importedAt = this.now().toISOString();
    return writeTransaction(this.store, SITE_COHORT_COMPONENT, async (trx) => {
      const results: SiteImportResult[] = [];
      for (const { name, file } of files) results.push(await this.importOne(trx as Q, name, file, importedAt));
      return results;
    });
  }

  private async importOne(q: Q, name: string, file: SiteCohortFile, importedAt: string): Promise<SiteImportResult> {
    const held = new Map(
      (await q.selectFrom('site_cohort_records').selectAll().where('site', '=', file.site).execute()).map((r) => [
        r.patient,
        r,
      ]),
    );
    const result: SiteImportResult = { file: name, site: file.site, added: 0, updated: 0, unchanged: 0 };
    const fresh: Row[] = [];
    const exportedMs = Date.parse(file.exportedAt);
    for (const record of file.patients) {
      const row = toRow(file.site, record, file.exportedAt, importedAt);
      const old = held.get(row.patient);
      if (!old) {
        fresh.push(row);
        result.added++;
      } else if (sameContent(old, row)) {
        result.unchanged++;
      } else if (exportedMs > Date.parse(old.exported_at)) {
        await q
          .updateTable('site_cohort_records')
          .set(row)
          .where('site', '=', file.site)
          .where('patient', '=', row.patient)
          .execute();
        result.updated++;
      } else if (exportedMs === Date.parse(old.exported_at)) {
        throw new UserError(
          `${name}: ${record.id} differs from the record of the same export (${file.exportedAt}) already imported; the file was changed after export. Nothing was imported.`,
        );
      } else {
        result.unchanged++; // an older export: the newer record held stays
      }
    }
    for (let i = 0; i < fresh.length; i += BATCH)
      await q
        .insertInto('site_cohort_records')
        .values(fresh.slice(i, i + BATCH))
        .execute();
    return result;
  }

  /** Every imported patient as a cohort patient under its site-qualified id, per site (sites sorted). */
  async bySite(): Promise<Map<string, CohortPatient[]>> {
    const rows = await this.q.selectFrom('site_cohort_records').selectAll().execute();
    rows.sort((a, b) => natural(a.site, b.site) || natural(a.patient, b.patient));
    const out = new Map<string, CohortPatient[]>();
    for (const row of rows) {
      const list = out.get(row.site) ?? [];
      list.push(cohortPatientOf(toRecord(row)));
      out.set(row.site, list);
    }
    return out;
  }
}
