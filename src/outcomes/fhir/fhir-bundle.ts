import { createHash } from 'node:crypto';
import { formatInstant, type Instant } from '../../diary/instant.js';
import type { PatientRecord } from '../patient-record.js';
import {
  PDI_QUESTIONNAIRE,
  PDI_QUESTIONNAIRE_URL,
  PDI_QUESTIONNAIRE_VERSION,
  PDI_TOTAL_LINK_ID,
  pdiDomainLinkId,
} from './pdi-questionnaire.js';

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const NRS_LOINC = '72514-3';
export const NRS_LOINC_DISPLAY = 'Pain severity - 0-10 verbal numeric rating [Score] - Reported';
export const LOCAL_CODES = 'https://scs-companion.example/fhir/CodeSystem/scs-outcomes';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const SNOMED = 'http://snomed.info/sct';
const SEVERITY_SNOMED = {
  mild: ['255604002', 'Mild'],
  moderate: ['6736007', 'Moderate'],
  severe: ['24484000', 'Severe'],
} as const;
const PROCEDURE_TEXT = {
  'scs-trial': 'Spinal cord stimulation trial',
  'ipg-implant': 'Implantable pulse generator implantation',
  explant: 'Spinal cord stimulator explantation',
  drez: 'Dorsal root entry zone (DREZ) lesioning',
} as const;
/**
 * SNOMED CT procedure concepts for our procedure kinds. Only a code that a published source shows with
 * its term is listed; a kind without one keeps its local code alone rather than carry a guessed code.
 * Sources and what was searched: docs/CLINICAL-RULES.md, "SNOMED CT procedure codes in the FHIR export".
 * - ipg-implant 3270004 "Implantation of neurostimulator in spine": in the expansion of FHIR's
 *   procedure-code value set (hl7.fhir.r4.core 4.0.1 and r4b.core 4.3.0, as generated into public code).
 * - scs-trial, explant, drez: no concept found with its term in any source reachable here. Local code only.
 */
export const PROCEDURE_SNOMED: Partial<Record<keyof typeof PROCEDURE_TEXT, readonly [string, string]>> = {
  'ipg-implant': ['3270004', 'Implantation of neurostimulator in spine'],
};
export const SITE_BASE = 'https://scs-companion.example/fhir/site';

type Resource = { resourceType: string } & Record<string, unknown>;
export interface Bundle {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  entry: { fullUrl: string; resource: Resource }[];
}

/** A name-based UUID from SHA-256 (RFC 9562 §5.8, version 8): version nibble 8, variant bits 10. */
export function nameUuid(...parts: (string | number)[]): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A FHIR dateTime from a diary instant: seconds always present, the original offset kept. */
export function fhirDateTime(at: Instant): string {
  return formatInstant(at.ms, at.offsetMinutes);
}

const GENDER = { M: 'male', F: 'female', X: 'other' } as const;

/**
 * One patient's record as a FHIR R4 Bundle (type collection), pseudonymous: the Patient carries the
 * registry id and gender only (no name, birth date or address) and is labelled PSEUDED.
 * - every NRS (diary and follow-up) is an Observation, LOINC 72514-3, valueQuantity in UCUM `{score}`;
 * - every PDI is a QuestionnaireResponse against the shipped PDI Questionnaire (included);
 * - procedures are Procedures; the trial verdict is an Observation with its reasons as notes;
 * - complications are Conditions with category and SNOMED CT severity, linked both ways to the
 *   procedure they followed (Procedure.complicationDetail → Condition, Condition.evidence → Procedure);
 * - procedure codes: SNOMED CT where we could verify one (IPG implant), the local code always kept.
 * Every date-time is a FHIR dateTime: seconds added, offset kept (the diary keeps what was typed).
 * Identifiers and full URLs carry the store's site namespace, so bundles from several clinics can be
 * merged; full URLs are name-based UUIDs (SHA-256, RFC 9562 version 8) derived from the record, so
 * exporting twice gives the same Bundle.
 */
export function patientBundle(r: PatientRecord, now: Date = new Date()): Bundle {
  const id = r.patient.id;
  const site = r.site;
  const uuid = (...parts: (string | number)[]) => nameUuid(site, ...parts);
  const entry: Bundle['entry'] = [];
  const add = (fullUrl: string, resource: Resource) => entry.push({ fullUrl, resource });
  const patientUrl = uuid(id, 'Patient');
  const subject = { reference: patientUrl };
  // The Questionnaire is the same everywhere: no site in its id, so merged bundles share it.
  const questionnaireUrl = nameUuid('Questionnaire', PDI_QUESTIONNAIRE_URL, PDI_QUESTIONNAIRE_VERSION);

  add(patientUrl, {
    resourceType: 'Patient',
    meta: {
      security: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
          code: 'PSEUDED',
          display: 'pseudonymized',
        },
      ],
    },
    identifier: [
      {
        system: `${SITE_BASE}/${encodeURIComponent(site)}/patient-pseudonym`,
        value: id,
        assigner: { display: `scs-companion site ${site}` },
      },
    ],
    gender: GENDER[r.patient.sex],
  });
  add(questionnaireUrl, {
    ...PDI_QUESTIONNAIRE,
    item: PDI_QUESTIONNAIRE.item.map((i) => ({ ...i })),
  } as unknown as Resource);

  const nrs = (url: string, value: number, when: string | null, note: string) =>
    add(url, {
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }] }],
      code: { coding: [{ system: LOINC, code: NRS_LOINC, display: NRS_LOINC_DISPLAY }], text: 'Pain NRS 0–10' },
      subject,
      ...(when ? { effectiveDateTime: when } : {}),
      valueQuantity: { value, unit: '{score}', system: UCUM, code: '{score}' },
      note: [{ text: note }],
    });
  const pdi = (url: string, total: number, domains: number[] | null, when: string | null) =>
    add(url, {
      resourceType: 'QuestionnaireResponse',
      questionnaire: `${PDI_QUESTIONNAIRE_URL}|${PDI_QUESTIONNAIRE_VERSION}`,
      status: 'completed',
      subject,
      ...(when ? { authored: when } : {}),
      item: [
        ...(domains ?? []).map((v, i) => ({ linkId: pdiDomainLinkId(i), answer: [{ valueInteger: v }] })),
        { linkId: PDI_TOTAL_LINK_ID, answer: [{ valueInteger: total }] },
      ],
    });

  const trialDiaryNrs: string[] = [];
  for (const [i, e] of (r.diary?.entries ?? []).entries()) {
    if (e.nrs !== null) {
      const url = uuid(id, 'diary-nrs', e.at.text, i);
      if (e.phase === 'trial') trialDiaryNrs.push(url);
      nrs(url, e.nrs, fhirDateTime(e.at), `trial diary, ${e.phase} phase`);
    }
    if (e.pdi !== null) pdi(uuid(id, 'diary-pdi', e.at.text, i), e.pdi, e.pdiDomains, fhirDateTime(e.at));
  }
  for (const f of r.followUps) {
    if (f.nrs !== null) nrs(uuid(id, 'followup-nrs', f.visit.label), f.nrs, f.date, `follow-up visit ${f.visit.label}`);
    if (f.pdi !== null) pdi(uuid(id, 'followup-pdi', f.visit.label), f.pdi, f.pdiDomains, f.date);
  }
  const procedureUrl = new Map<number, string>();
  const conditionUrl = (complicationId: number) => uuid(id, 'Condition', complicationId);
  for (const q of r.procedures) {
    const url = uuid(id, 'Procedure', q.id);
    procedureUrl.set(q.id, url);
    const snomed = PROCEDURE_SNOMED[q.kind];
    const complications = r.complications.filter((c) => c.procedureId === q.id);
    add(url, {
      resourceType: 'Procedure',
      identifier: [{ system: `${SITE_BASE}/${encodeURIComponent(site)}/procedure`, value: String(q.id) }],
      status: 'completed',
      code: {
        coding: [
          ...(snomed ? [{ system: SNOMED, code: snomed[0], display: snomed[1] }] : []),
          { system: LOCAL_CODES, code: q.kind, display: PROCEDURE_TEXT[q.kind] },
        ],
        text: PROCEDURE_TEXT[q.kind],
      },
      subject,
      ...(q.date ? { performedDateTime: q.date } : {}),
      ...(q.kind === 'explant' ? { reasonCode: q.reasons.map((text) => ({ text })) } : {}),
      ...(complications.length
        ? { complicationDetail: complications.map((c) => ({ reference: conditionUrl(c.id) })) }
        : {}),
    });
    if (q.kind === 'scs-trial') {
      add(uuid(id, 'trial-verdict', q.id), {
        resourceType: 'Observation',
        status: 'final',
        code: {
          coding: [{ system: LOCAL_CODES, code: 'scs-trial-verdict', display: 'SCS trial verdict' }],
          text: 'SCS trial verdict (≥30% NRS reduction sustained ≥48 h with improved activity)',
        },
        subject,
        partOf: [{ reference: url }],
        ...(q.date ? { effectiveDateTime: q.date } : {}),
        valueCodeableConcept: {
          coding: [
            { system: LOCAL_CODES, code: q.verdict!, display: q.verdict === 'pass' ? 'Trial passed' : 'Trial failed' },
          ],
          text: q.verdict!,
        },
        ...(trialDiaryNrs.length ? { derivedFrom: trialDiaryNrs.map((reference) => ({ reference })) } : {}),
        note: q.reasons.map((text) => ({ text })),
      });
    }
  }
  for (const c of r.complications) {
    const [code, display] = SEVERITY_SNOMED[c.severity];
    add(conditionUrl(c.id), {
      resourceType: 'Condition',
      identifier: [{ system: `${SITE_BASE}/${encodeURIComponent(site)}/complication`, value: String(c.id) }],
      category: [
        {
          coding: [{ system: LOCAL_CODES, code: `${c.category}-complication`, display: `${c.category} complication` }],
          text: c.category,
        },
      ],
      severity: { coding: [{ system: SNOMED, code, display }], text: c.severity },
      code: { text: c.description },
      subject,
      ...(c.date ? { onsetDateTime: c.date } : {}),
      ...(c.procedureId !== null && procedureUrl.has(c.procedureId)
        ? { evidence: [{ detail: [{ reference: procedureUrl.get(c.procedureId)! }] }] }
        : {}),
    });
  }
  return { resourceType: 'Bundle', type: 'collection', timestamp: now.toISOString(), entry };
}
