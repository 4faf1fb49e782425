import { z } from 'zod';
import { patientIdProblem } from '../diary/patient-id.js';
import { siteNameProblem } from '../store/site-id.js';
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
} from './cohort-patient.js';
import { parseDermatomeRange } from './dermatome-range.js';

export const SITE_COHORT_FORMAT = 'scs-companion/cohort-export';
export const SITE_COHORT_VERSION = 1;

/**
 * Ages above 89 leave the site as 90 (HIPAA Safe Harbor, 45 CFR 164.514(b)(2)(i)(C)): a very old
 * patient of a small centre is otherwise easy to single out.
 */
export const AGE_TOP_CODE = 90;

/** What the registry and the station hold that never leaves a site in this export (the README lists it too). */
export const DROPPED_FIELDS = [
  'names and dates of birth (the store never holds them: pseudonymous ids and age only)',
  'every date: procedure, visit, complication and record dates, the trial period',
  'free text: procedure and verdict reasons, complication descriptions, diary notes, correction reasons',
  'complications, PDI domain scores and visits other than baseline, post-op and final',
  'the trial diary (entries, web-diary invites and sessions)',
  'generator serial numbers and protocol versions (generator bindings), session audit logs',
] as const;

/** `site-a/P-017`: a site's pseudonym qualified by its site, unique across sites ('/' is in neither). */
export function qualifiedId(site: string, patient: string): string {
  return `${site}/${patient}`;
}

/** The site's own pseudonym of a qualified id, or null when `id` is not `<site>/<pseudonym>`. */
export function pseudonymOf(site: string, id: string): string | null {
  const rest = id.startsWith(`${site}/`) ? id.slice(site.length + 1) : null;
  return rest !== null && patientIdProblem(rest) === null ? rest : null;
}

const yesNo = z.enum(['Y', 'N']).nullable();
const scores = (max: number) =>
  z.strictObject({
    baseline: z.int().min(0).max(max).nullable(),
    post: z.int().min(0).max(max).nullable(),
    final: z.int().min(0).max(max).nullable(),
  });

const recordSchema = z
  .strictObject({
    /** `<site>/<pseudonym>`, checked against the file's site after parsing. */
    id: z.string().max(129),
    sex: z.enum(SEXES),
    age: z.int().min(0).max(AGE_MAX),
    location: z.string().refine((text) => parseDermatomeRange(text).ok, 'is not a dermatome range such as T7–T9'),
    side: z.enum(SIDES),
    durationMonths: z.number().min(0).max(DURATION_MONTHS_MAX),
    scsTrial: yesNo,
    scsImplant: yesNo,
    drez: yesNo,
    nrs: scores(NRS_MAX),
    pdi: scores(PDI_MAX),
    hospitalDays: z.number().min(0).max(HOSPITAL_DAYS_MAX).nullable(),
    cost: z.number().min(0).max(COST_MAX).nullable(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullable(),
    priceYear: z.int().min(1900).max(2100).nullable(),
  })
  .refine((r) => r.cost === null || r.currency !== null, 'a cost needs its currency');

export type SiteRecord = z.infer<typeof recordSchema>;

const documentSchema = z.strictObject({
  format: z.literal(SITE_COHORT_FORMAT),
  version: z.literal(SITE_COHORT_VERSION),
  site: z.string().refine((s) => siteNameProblem(s) === null, 'is not a site name'),
  exportedAt: z.iso.datetime(),
  deidentified: z.literal(true),
  ageTopCodedAt: z.literal(AGE_TOP_CODE),
  dropped: z.array(z.string()),
  patients: z.array(recordSchema),
});

/**
 * The de-identified site export (`scs cohort export --deidentified`): what a coordinating centre may
 * receive from one site. One record per patient in the shape of the paper's Table 1, under an id
 * qualified by the site; nothing else the store holds leaves it (no dates, no free text, no generator
 * serials, no diary). Pure: building the document and reading it back, with its format and version
 * checked, so a file from a newer or foreign program is refused rather than half-read.
 */
export type SiteCohortFile = z.infer<typeof documentSchema>;

/** One registry patient as it may leave the site. */
export function deidentify(site: string, p: CohortPatient): SiteRecord {
  return {
    id: qualifiedId(site, p.patient),
    sex: p.sex,
    age: Math.min(p.age, AGE_TOP_CODE),
    location: p.location.text,
    side: p.side,
    durationMonths: p.durationMonths,
    scsTrial: p.scsTrial,
    scsImplant: p.scsImplant,
    drez: p.drez,
    nrs: { baseline: p.nrs.baseline, post: p.nrs.post, final: p.nrs.final },
    pdi: { baseline: p.pdi.baseline, post: p.pdi.post, final: p.pdi.final },
    hospitalDays: p.hospitalDays,
    cost: p.cost,
    currency: p.currency,
    priceYear: p.priceYear,
  };
}

export function siteCohortFile(site: string, patients: readonly CohortPatient[], exportedAt: Date): SiteCohortFile {
  return {
    format: SITE_COHORT_FORMAT,
    version: SITE_COHORT_VERSION,
    site,
    exportedAt: exportedAt.toISOString(),
    deidentified: true,
    ageTopCodedAt: AGE_TOP_CODE,
    dropped: [...DROPPED_FIELDS],
    patients: patients.map((p) => deidentify(site, p)),
  };
}

/** A record back as a cohort patient under its site-qualified id (what the pooled report shows). */
export function cohortPatientOf(r: SiteRecord): CohortPatient {
  const location = parseDermatomeRange(r.location);
  if (!location.ok) throw new Error(`stored location '${r.location}' of ${r.id} is unreadable`);
  const { id, ...fields } = r;
  return { ...fields, patient: id, location: location.range };
}

export type SiteFileResult = { ok: true; file: SiteCohortFile } | { ok: false; problem: string };

/** Reads a site export; the format and version are checked first so the message says what the file is. */
export function parseSiteCohortFile(text: string): SiteFileResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not JSON (a site export written by scs cohort export --deidentified)' };
  }
  const head = (typeof doc === 'object' && doc !== null ? doc : {}) as { format?: unknown; version?: unknown };
  if (head.format !== SITE_COHORT_FORMAT)
    return {
      ok: false,
      problem: `is not an scs-companion site export (format ${JSON.stringify(head.format ?? null)}, expected "${SITE_COHORT_FORMAT}"); nothing was imported`,
    };
  if (head.version !== SITE_COHORT_VERSION)
    return {
      ok: false,
      problem:
        typeof head.version === 'number' && head.version > SITE_COHORT_VERSION
          ? `was written in site-export format version ${head.version}, newer than this scs-companion reads (${SITE_COHORT_VERSION}); upgrade scs-companion`
          : `has site-export format version ${JSON.stringify(head.version ?? null)}; this scs-companion reads version ${SITE_COHORT_VERSION}`,
    };
  const parsed = documentSchema.safeParse(doc);
  if (!parsed.success) return { ok: false, problem: `is not a valid site export:\n${z.prettifyError(parsed.error)}` };
  const seen = new Set<string>();
  for (const p of parsed.data.patients) {
    if (pseudonymOf(parsed.data.site, p.id) === null)
      return {
        ok: false,
        problem: `has patient id '${p.id.slice(0, 80)}', which is not '${parsed.data.site}/' followed by a pseudonymous id`,
      };
    if (seen.has(p.id)) return { ok: false, problem: `lists patient ${p.id} twice` };
    seen.add(p.id);
  }
  return { ok: true, file: parsed.data };
}
