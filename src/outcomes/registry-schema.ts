/**
 * Tables of the outcomes registry in the shared SQLite store (component 'outcomes'). Patients are
 * keyed by the same pseudonymous id the diary uses (diary_patients.id); there is no foreign key to
 * the diary because a registry patient need not have kept a diary (e.g. primary DREZ). Migrations
 * are append-only: add a step, never edit one.
 */

export const OUTCOME_COMPONENT = 'outcomes';

export const PROCEDURE_KINDS = ['scs-trial', 'ipg-implant', 'explant', 'drez'] as const;
export type ProcedureKind = (typeof PROCEDURE_KINDS)[number];

export const TRIAL_VERDICTS = ['pass', 'fail'] as const;
export type TrialVerdict = (typeof TRIAL_VERDICTS)[number];

export const COMPLICATION_CATEGORIES = ['surgical', 'hardware', 'neurological'] as const;
export type ComplicationCategory = (typeof COMPLICATION_CATEGORIES)[number];

export const SEVERITIES = ['mild', 'moderate', 'severe'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const OUTCOME_MIGRATIONS: readonly string[] = [
  `CREATE TABLE outcome_patients (
     id TEXT PRIMARY KEY,
     sex TEXT NOT NULL CHECK (sex IN ('M', 'F', 'X')),
     age INTEGER NOT NULL CHECK (age BETWEEN 0 AND 120),
     location TEXT NOT NULL,
     dermatome_count INTEGER NOT NULL CHECK (dermatome_count >= 1),
     side TEXT NOT NULL CHECK (side IN ('L', 'R', 'B')),
     duration_months REAL NOT NULL CHECK (duration_months >= 0),
     hospital_days REAL CHECK (hospital_days >= 0),
     cost REAL CHECK (cost >= 0),
     currency TEXT CHECK (currency GLOB '[A-Z][A-Z][A-Z]'),
     price_year INTEGER CHECK (price_year BETWEEN 1900 AND 2100),
     created_at TEXT NOT NULL,
     CHECK (cost IS NULL OR currency IS NOT NULL)
   ) STRICT;
   CREATE TABLE outcome_procedures (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     patient_id TEXT NOT NULL REFERENCES outcome_patients(id),
     kind TEXT NOT NULL CHECK (kind IN ('scs-trial', 'ipg-implant', 'explant', 'drez')),
     date TEXT CHECK (date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
     verdict TEXT CHECK (verdict IN ('pass', 'fail')),
     reasons TEXT NOT NULL DEFAULT '[]',
     recorded_at TEXT NOT NULL,
     CHECK ((kind = 'scs-trial') = (verdict IS NOT NULL))
   ) STRICT;
   CREATE INDEX outcome_procedures_patient ON outcome_procedures (patient_id);
   CREATE TABLE outcome_followups (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     patient_id TEXT NOT NULL REFERENCES outcome_patients(id),
     visit TEXT NOT NULL,
     date TEXT CHECK (date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
     nrs INTEGER CHECK (nrs BETWEEN 0 AND 10),
     pdi INTEGER CHECK (pdi BETWEEN 0 AND 70),
     pdi_domains TEXT,
     recorded_at TEXT NOT NULL,
     CHECK (nrs IS NOT NULL OR pdi IS NOT NULL),
     UNIQUE (patient_id, visit)
   ) STRICT;
   CREATE TABLE outcome_complications (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     patient_id TEXT NOT NULL REFERENCES outcome_patients(id),
     procedure_id INTEGER REFERENCES outcome_procedures(id),
     date TEXT CHECK (date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
     category TEXT NOT NULL CHECK (category IN ('surgical', 'hardware', 'neurological')),
     severity TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe')),
     description TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
     recorded_at TEXT NOT NULL
   ) STRICT;`,
  // This store's site namespace (random, made once): exported identifiers and FHIR ids carry it, so
  // bundles from several clinics can be merged without two patients "P-001" becoming one.
  `CREATE TABLE outcome_site (id TEXT NOT NULL CHECK (length(id) BETWEEN 1 AND 64)) STRICT;
   INSERT INTO outcome_site (id) VALUES ('site-' || lower(hex(randomblob(8))));`,
];
