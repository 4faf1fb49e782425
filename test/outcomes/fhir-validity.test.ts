/**
 * Issue 14, FHIR another system can read: every Bundle passes the official FHIR R4 JSON schema (an
 * independent validator, test/outcomes/fhir-validator.ts), date-times carry seconds and keep their
 * offset, complications are linked to their procedure, SNOMED CT codes sit beside the local code,
 * and ids stay unique when bundles from two clinics are merged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { parseInstant } from '../../src/diary/instant.js';
import { type Bundle, fhirDateTime, nameUuid, patientBundle } from '../../src/outcomes/fhir/fhir-bundle.js';
import { parseDermatomeRange } from '../../src/outcomes/dermatome-range.js';
import { OutcomeRegistry } from '../../src/outcomes/outcome-registry.js';
import { patientRecord } from '../../src/outcomes/patient-record.js';
import { runScs } from '../reliability/run-scs.js';
import { documentedPatient, PATIENT } from './export-fixture.js';
import { fhirSchemaErrors } from './fhir-validator.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- FHIR JSON is walked structurally
type R = Record<string, any>;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A store at `dir` with patient P-001: a diary typed as the README shows (no seconds), all four procedures, a complication. */
async function clinic(dir: string): Promise<OutcomeRegistry> {
  const registry = await OutcomeRegistry.open({ dataDir: dir });
  const diary = await DiaryStore.beside(registry.store);
  const add = (at: string, phase: 'baseline' | 'trial', nrs: number | null, pdi: number | null = null) =>
    diary.add('P-001', {
      at: parseInstant(at),
      recordedAt: null,
      phase,
      nrs,
      pdi,
      pdiDomains: null,
      activity: null,
      note: null,
    });
  await add('2024-03-20T08:00+01:00', 'baseline', 8, 40);
  await add('2024-03-21T08:00+01:00', 'baseline', 8);
  await add('2024-03-29T08:00+01:00', 'trial', 4);
  await add('2024-03-31T08:00+02:00', 'trial', 4, 30);
  const loc = parseDermatomeRange('T9');
  if (!loc.ok) throw new Error('range');
  await registry.addPatient('P-001', {
    sex: 'F',
    age: 61,
    location: loc.range,
    side: 'L',
    durationMonths: 30,
    hospitalDays: null,
    cost: null,
    currency: null,
    priceYear: null,
  });
  await registry.addProcedure('P-001', { kind: 'scs-trial', date: '2024-04-05', verdict: 'pass', reasons: ['diary'] });
  const implant = await registry.addProcedure('P-001', { kind: 'ipg-implant', date: '2024-04-20' });
  await registry.addProcedure('P-001', { kind: 'explant', date: '2025-01-10', reasons: ['loss of efficacy'] });
  await registry.addProcedure('P-001', { kind: 'drez', date: '2025-03-01' });
  await registry.addComplication('P-001', {
    category: 'hardware',
    severity: 'moderate',
    description: 'lead migration',
    date: '2024-06-01',
    procedureId: implant.id,
  });
  return registry;
}

let a: Bundle;
let b: Bundle;
beforeAll(async () => {
  for (const name of ['a', 'b']) dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), `scs-fhir-${name}-`)));
  const ra = await clinic(dirs[0]!);
  const rb = await clinic(dirs[1]!);
  a = patientBundle(await patientRecord(ra, 'P-001'), new Date('2025-04-01T00:00:00Z'));
  b = patientBundle(await patientRecord(rb, 'P-001'), new Date('2025-04-01T00:00:00Z'));
  await ra.close();
  await rb.close();
});

const resources = (bundle: Bundle, type: string): R[] =>
  bundle.entry.map((e) => e.resource as R).filter((r) => r.resourceType === type);

describe('FHIR R4 validity (official JSON schema, independent validator)', () => {
  it('passes for a diary typed without seconds, all procedure kinds and a complication', () => {
    expect(fhirSchemaErrors(a)).toEqual([]);
  });

  it('passes for the documented patient and for what `scs patient export --format fhir` writes', async () => {
    const { dir, registry } = await documentedPatient();
    dirs.push(dir);
    expect(fhirSchemaErrors(patientBundle(await patientRecord(registry, PATIENT)))).toEqual([]);
    await registry.close();
    const r = await runScs(['patient', 'export', '--patient', PATIENT, '--format', 'fhir', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(fhirSchemaErrors(JSON.parse(r.out))).toEqual([]);
  });

  it('writes every date-time with seconds and the original offset, and the validator refuses one without seconds', () => {
    const nrs = resources(a, 'Observation').filter((o) => o.valueQuantity);
    expect(nrs.map((o) => o.effectiveDateTime)).toEqual([
      '2024-03-20T08:00:00+01:00',
      '2024-03-21T08:00:00+01:00',
      '2024-03-29T08:00:00+01:00',
      '2024-03-31T08:00:00+02:00',
    ]);
    expect(resources(a, 'QuestionnaireResponse').map((q) => q.authored)).toEqual([
      '2024-03-20T08:00:00+01:00',
      '2024-03-31T08:00:00+02:00',
    ]);
    expect(fhirDateTime(parseInstant('2024-03-31T06:00Z'))).toBe('2024-03-31T06:00:00+00:00');
    const asTyped = structuredClone(a) as R;
    asTyped.entry.find(
      (e: R) => e.resource.effectiveDateTime === '2024-03-31T08:00:00+02:00',
    ).resource.effectiveDateTime = '2024-03-31T08:00+02:00';
    expect(fhirSchemaErrors(asTyped as Bundle).join('\n')).toMatch(/effectiveDateTime should match pattern/);
  });
});

describe('FHIR meaning', () => {
  it('links a complication to its procedure both ways, by references that resolve in the bundle', () => {
    const urls = new Map(a.entry.map((e) => [e.fullUrl, e.resource as R]));
    const implant = resources(a, 'Procedure').find((p) => p.code.coding.some((c: R) => c.code === 'ipg-implant'))!;
    expect(implant.complicationDetail).toHaveLength(1);
    const condition = urls.get(implant.complicationDetail[0].reference)!;
    expect(condition.resourceType).toBe('Condition');
    expect(condition.code.text).toBe('lead migration');
    expect(urls.get(condition.evidence[0].detail[0].reference)).toBe(implant);
    for (const p of resources(a, 'Procedure').filter((q) => q !== implant))
      expect(p).not.toHaveProperty('complicationDetail');
  });

  it('codes the IPG implant in SNOMED CT and keeps the local code as a second coding on every procedure', () => {
    const procedures = resources(a, 'Procedure');
    expect(procedures.map((p) => p.code.coding.at(-1))).toEqual(
      ['scs-trial', 'ipg-implant', 'explant', 'drez'].map((code) =>
        expect.objectContaining({ system: 'https://scs-companion.example/fhir/CodeSystem/scs-outcomes', code }),
      ),
    );
    expect(procedures[1]!.code.coding[0]).toEqual({
      system: 'http://snomed.info/sct',
      code: '3270004',
      display: 'Implantation of neurostimulator in spine',
    });
    // No SNOMED CT code could be verified for the trial, the explant or DREZ: the local code alone.
    for (const i of [0, 2, 3]) expect(procedures[i]!.code.coding).toHaveLength(1);
  });

  it('keeps ids unique when two clinics each export their patient P-001, except the shared PDI Questionnaire', () => {
    const shared = new Set(a.entry.map((e) => e.fullUrl).filter((u) => b.entry.some((x) => x.fullUrl === u)));
    expect([...shared].map((u) => a.entry.find((e) => e.fullUrl === u)!.resource.resourceType)).toEqual([
      'Questionnaire',
    ]);
    const [pa] = resources(a, 'Patient');
    const [pb] = resources(b, 'Patient');
    expect(pa!.identifier[0].value).toBe('P-001');
    expect(pa!.identifier[0].system).not.toBe(pb!.identifier[0].system);
    expect(pa!.identifier[0].system).toMatch(
      /^https:\/\/scs-companion\.example\/fhir\/site\/site-[0-9a-f]{16}\/patient-pseudonym$/,
    );
  });

  it('derives valid UUIDs from SHA-256: version 8 (RFC 9562 name-based, custom hash) and variant 10', () => {
    for (const { fullUrl } of [...a.entry, ...b.entry]) {
      expect(fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(nameUuid('x')).toBe(nameUuid('x'));
    expect(nameUuid('x')).not.toBe(nameUuid('y'));
  });

  it('lets the export name its site with --site, which changes every identifier namespace', async () => {
    const r = await runScs([
      'patient',
      'export',
      '--patient',
      'P-001',
      '--format',
      'fhir',
      '--site',
      'clinic-west',
      '--data-dir',
      dirs[0]!,
    ]);
    expect(r.code).toBe(0);
    const bundle = JSON.parse(r.out) as Bundle;
    expect(resources(bundle, 'Patient')[0]!.identifier[0].system).toBe(
      'https://scs-companion.example/fhir/site/clinic-west/patient-pseudonym',
    );
    expect(fhirSchemaErrors(bundle)).toEqual([]);
    const bad = await runScs([
      'patient',
      'export',
      '--patient',
      'P-001',
      '--format',
      'fhir',
      '--site',
      'a b',
      '--data-dir',
      dirs[0]!,
    ]);
    expect(bad.code).toBe(1);
  });
});
