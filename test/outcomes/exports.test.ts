import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientBundle, NRS_LOINC, type Bundle } from '../../src/outcomes/fhir/fhir-bundle.js';
import { PDI_QUESTIONNAIRE_URL, PDI_QUESTIONNAIRE_VERSION } from '../../src/outcomes/fhir/pdi-questionnaire.js';
import { patientRecord, type PatientRecord } from '../../src/outcomes/patient-record.js';
import { patientCsv } from '../../src/outcomes/patient-csv.js';
import { patientHtml } from '../../src/outcomes/html/patient-html.js';
import type { OutcomeRegistry } from '../../src/outcomes/outcome-registry.js';
import { parseCsv } from '../../src/diary/csv.js';
import { evaluateTrial } from '../../src/diary/trial-criterion.js';
import { documentedPatient, PATIENT } from './export-fixture.js';
import { fhirSchemaErrors } from './fhir-validator.js';

let dir: string;
let registry: OutcomeRegistry;
let record: PatientRecord;
let bundle: Bundle;

beforeAll(async () => {
  ({ dir, registry } = await documentedPatient());
  record = await patientRecord(registry, PATIENT);
  bundle = patientBundle(record, new Date('2025-02-01T00:00:00Z'));
});
afterAll(async () => {
  await registry.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- FHIR JSON is walked structurally
type R = Record<string, any>;
const resources = (type: string): R[] =>
  bundle.entry.map((e) => e.resource as R).filter((r) => r.resourceType === type);

/** Every `reference` anywhere inside a value. */
function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => references(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else references(v, out);
    }
  }
  return out;
}

describe('FHIR R4 Bundle', () => {
  it('is a collection of resources with unique urn:uuid full URLs, and every reference resolves inside it', () => {
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: '2025-02-01T00:00:00.000Z' });
    const urls = bundle.entry.map((e) => e.fullUrl);
    expect(new Set(urls).size).toBe(urls.length);
    for (const u of urls)
      expect(u).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (const ref of references(bundle.entry.map((e) => e.resource))) expect(urls).toContain(ref);
    // Exporting twice gives the same resources (ids derive from the record).
    expect(patientBundle(record, new Date('2025-02-01T00:00:00Z'))).toEqual(bundle);
    // And an independent FHIR R4 validator (the official JSON schema) accepts it.
    expect(fhirSchemaErrors(bundle)).toEqual([]);
  });

  it('has one pseudonymous Patient: id and gender, no name, birth date, address or telecom', () => {
    const [patient, ...more] = resources('Patient');
    expect(more).toEqual([]);
    expect(patient!.identifier[0].value).toBe(PATIENT);
    expect(patient!.gender).toBe('male');
    expect(patient!.meta.security[0].code).toBe('PSEUDED');
    for (const k of ['name', 'birthDate', 'address', 'telecom', 'photo']) expect(patient).not.toHaveProperty(k);
  });

  it('turns every NRS (10 diary, 3 follow-up) into an Observation, LOINC 72514-3, UCUM {score}', () => {
    const nrs = resources('Observation').filter((o) => o.code.coding[0].code === NRS_LOINC);
    expect(nrs).toHaveLength(10 + 3);
    for (const o of nrs) {
      expect(o.code.coding[0].system).toBe('http://loinc.org');
      expect(o.status).toBe('final');
      expect(o.valueQuantity).toMatchObject({ unit: '{score}', system: 'http://unitsofmeasure.org', code: '{score}' });
      expect(Number.isInteger(o.valueQuantity.value) && o.valueQuantity.value >= 0 && o.valueQuantity.value <= 10).toBe(
        true,
      );
    }
    expect(nrs.map((o) => o.valueQuantity.value).slice(-3)).toEqual([8, 3, 4]);
  });

  it('turns every PDI into a QuestionnaireResponse that answers the shipped Questionnaire', () => {
    const [q, ...more] = resources('Questionnaire');
    expect(more).toEqual([]);
    expect(q).toMatchObject({ url: PDI_QUESTIONNAIRE_URL, version: PDI_QUESTIONNAIRE_VERSION, status: 'active' });
    const domains = q!.item.filter((i: R) => !i.readOnly);
    expect(domains).toHaveLength(7);
    for (const i of domains) expect(i.type).toBe('integer');
    const linkIds = new Set(q!.item.map((i: R) => i.linkId));
    const responses = resources('QuestionnaireResponse');
    expect(responses).toHaveLength(3 + 2); // diary baseline ×3, follow-up baseline and post-op
    for (const r of responses) {
      expect(r.questionnaire).toBe(`${PDI_QUESTIONNAIRE_URL}|${PDI_QUESTIONNAIRE_VERSION}`);
      expect(r.status).toBe('completed');
      for (const item of r.item) {
        expect(linkIds.has(item.linkId)).toBe(true);
        expect(Number.isInteger(item.answer[0].valueInteger)).toBe(true);
      }
      const values = r.item.filter((i: R) => i.linkId !== 'pdi-total').map((i: R) => i.answer[0].valueInteger);
      const total = r.item.find((i: R) => i.linkId === 'pdi-total').answer[0].valueInteger;
      if (values.length) expect(values.reduce((a: number, b: number) => a + b, 0)).toBe(total);
    }
  });

  it('has the procedures as Procedures and the trial verdict as an Observation carrying its reasons', () => {
    const procedures = resources('Procedure');
    expect(procedures.map((p) => p.code.coding.at(-1).code)).toEqual(['scs-trial', 'ipg-implant']); // local code last, after SNOMED CT where there is one
    expect(procedures.every((p) => p.status === 'completed' && /^\d{4}-\d{2}-\d{2}$/.test(p.performedDateTime))).toBe(
      true,
    );
    const verdict = resources('Observation').find((o) => o.code.coding[0].code === 'scs-trial-verdict')!;
    expect(verdict.valueCodeableConcept.coding[0].code).toBe('pass');
    expect(verdict.note.map((n: R) => n.text)).toEqual(record.procedures[0]!.reasons);
    expect(verdict.note.length).toBeGreaterThan(2);
    const trialUrl = bundle.entry.find((e) => e.resource === procedures[0])!.fullUrl;
    expect(verdict.partOf).toEqual([{ reference: trialUrl }]);
    expect(verdict.derivedFrom).toHaveLength(7); // the trial-phase diary NRS
  });

  it('has the complication as a Condition with category and SNOMED severity', () => {
    const [c] = resources('Condition');
    expect(c!.category[0].coding[0].code).toBe('hardware-complication');
    expect(c!.severity.coding[0]).toMatchObject({ system: 'http://snomed.info/sct', code: '255604002' });
  });
});

describe('CSV export', () => {
  it('lists the follow-up visits with relief from baseline', () => {
    const [header, ...rows] = parseCsv(patientCsv(record));
    expect(header!.fields).toEqual([
      'patient',
      'visit',
      'months',
      'date',
      'nrs',
      'pdi',
      'pdi_domains',
      'relief_percent',
    ]);
    expect(rows.map((r) => r.fields)).toEqual([
      [PATIENT, 'baseline', '', '2024-01-01', '8', '42', '6;6;6;6;6;6;6', ''],
      [PATIENT, 'post-op', '', '2024-01-21', '3', '20', '', '62.5'],
      [PATIENT, '12m', '12', '2025-01-20', '4', '', '', '50'],
    ]);
  });
});

describe('HTML report (as text)', () => {
  const html = () => patientHtml(record, null, new Date('2025-02-01T00:00:00Z'));

  it('is self-contained: no script, no external URL, a CSP that forbids fetching', () => {
    const h = html();
    expect(h).not.toMatch(/<script|<link|<iframe|@import|url\(/i);
    expect(h).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(h).toMatch(/Content-Security-Policy" content="default-src 'none'/);
  });

  it('escapes text from the record', () => {
    expect(html()).toContain('lead migration &lt;b&gt;reprogrammed&lt;/b&gt; &amp; fine');
    expect(html()).not.toContain('<b>reprogrammed</b>');
  });

  it('draws the baseline, the 30% line and the qualifying window from the diary chart data', () => {
    const h = html();
    expect(h).toMatch(/class="baseline"/);
    expect(h).toMatch(/30% reduction: NRS ≤ 5\.6/);
    expect(h).toMatch(/<rect class="window"/);
  });

  it('shows the longest responding run and how far it falls short of 48 h when no run qualifies (issue 14)', () => {
    const entries = record.diary!.entries.filter((e) => e.phase === 'baseline' || e.at.ms < Date.UTC(2024, 0, 5, 12));
    const short = { ...record, procedures: [], diary: { entries, evaluation: evaluateTrial(entries) } };
    expect(short.diary.evaluation.pain.longestRunHours).toBe(0);
    const h = patientHtml(short, null);
    expect(h).toContain(
      '<p class="run-summary">Pain ≥30%: not met; longest responding run 0 h, 48 h short of the 48 h needed</p>',
    );
    const partial = record.diary!.entries.filter((e) => e.phase === 'baseline' || e.at.ms < Date.UTC(2024, 0, 6, 12));
    expect(
      patientHtml({ ...record, procedures: [], diary: { entries: partial, evaluation: evaluateTrial(partial) } }, null),
    ).toContain('Pain ≥30%: not met; longest responding run 24 h, 24 h short of the 48 h needed');
  });
});
