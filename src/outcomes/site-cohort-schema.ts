import type { MigrationStep } from '../store/dialect-migrations.js';

/**
 * The coordinating centre's table of imported site records (component 'site-cohort'), one migration
 * list for SQLite and PostgreSQL. Kept apart from the registry's own tables on purpose: the registry
 * holds this centre's identifiable-by-pseudonym clinical history (dates, free text, procedures), while
 * these rows are other sites' de-identified Table 1 records, keyed by (site, pseudonym) so the same
 * pseudonym at two sites is two patients. The database checks the same ranges as the registry.
 */
export const SITE_COHORT_COMPONENT = 'site-cohort';

export interface SiteCohortTables {
  site_cohort_records: {
    site: string;
    patient: string;
    sex: string;
    age: number;
    location: string;
    side: string;
    duration_months: number;
    scs_trial: string | null;
    scs_implant: string | null;
    drez: string | null;
    nrs_baseline: number | null;
    nrs_post: number | null;
    nrs_final: number | null;
    pdi_baseline: number | null;
    pdi_post: number | null;
    pdi_final: number | null;
    hospital_days: number | null;
    cost: number | null;
    currency: string | null;
    price_year: number | null;
    /** The site's export time: a later export of the same patient replaces an earlier one, never the reverse. */
    exported_at: string;
    imported_at: string;
  };
}

const columns = (text: string, real: string) => `CREATE TABLE site_cohort_records (
     site ${text} NOT NULL CHECK (length(site) BETWEEN 1 AND 64),
     patient ${text} NOT NULL CHECK (length(patient) BETWEEN 1 AND 64),
     sex ${text} NOT NULL CHECK (sex IN ('M', 'F', 'X')),
     age INTEGER NOT NULL CHECK (age BETWEEN 0 AND 120),
     location ${text} NOT NULL,
     side ${text} NOT NULL CHECK (side IN ('L', 'R', 'B')),
     duration_months ${real} NOT NULL CHECK (duration_months >= 0),
     scs_trial ${text} CHECK (scs_trial IN ('Y', 'N')),
     scs_implant ${text} CHECK (scs_implant IN ('Y', 'N')),
     drez ${text} CHECK (drez IN ('Y', 'N')),
     nrs_baseline INTEGER CHECK (nrs_baseline BETWEEN 0 AND 10),
     nrs_post INTEGER CHECK (nrs_post BETWEEN 0 AND 10),
     nrs_final INTEGER CHECK (nrs_final BETWEEN 0 AND 10),
     pdi_baseline INTEGER CHECK (pdi_baseline BETWEEN 0 AND 70),
     pdi_post INTEGER CHECK (pdi_post BETWEEN 0 AND 70),
     pdi_final INTEGER CHECK (pdi_final BETWEEN 0 AND 70),
     hospital_days ${real} CHECK (hospital_days >= 0),
     cost ${real} CHECK (cost >= 0),
     currency ${text} CHECK (length(currency) = 3),
     price_year INTEGER CHECK (price_year BETWEEN 1900 AND 2100),
     exported_at ${text} NOT NULL,
     imported_at ${text} NOT NULL,
     CHECK (cost IS NULL OR currency IS NOT NULL),
     PRIMARY KEY (site, patient)
   )`;

export const SITE_COHORT_STEPS: readonly MigrationStep[] = [
  { sqlite: `${columns('TEXT', 'REAL')} STRICT;`, postgres: `${columns('TEXT', 'DOUBLE PRECISION')};` },
];
