import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { replayAudit } from '../../src/audit/audit-replay.js';
import { patientHtml, programmingSummary } from '../../src/outcomes/html/patient-html.js';
import { patientRecord, type PatientRecord } from '../../src/outcomes/patient-record.js';
import type { OutcomeRegistry } from '../../src/outcomes/outcome-registry.js';
import { harness } from '../session/harness.js';
import { documentedPatient, PATIENT } from './export-fixture.js';

/**
 * Issue 19 in the HTML programming summary: the last program's most loaded contact, its share and its
 * density next to the limit, read back from a real session's audit log. Cathodes of 250, 1000, 1000,
 * 1000 Ω: the first carries 4/7 = 57.1 %; at 0.5 mA and 500 µs that is 0.5·4/7·500/10⁶/0.1225 µC/cm².
 */

let dir: string;
let registry: OutcomeRegistry;
let record: PatientRecord;
beforeAll(async () => {
  ({ dir, registry } = await documentedPatient());
  record = await patientRecord(registry, PATIENT);
});
afterAll(async () => {
  await registry.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('programming summary: charge density', () => {
  it('shows the most loaded contact, its share and its density next to the limit, from the audit log', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scs-density-')), 'session.audit.jsonl');
    const log = openAuditLog(file);
    const h = await harness({
      config: { impedances: [250, 1000, 1000, 1000, 1000, 1000, 1000, 1000] },
      input: { audit: (e) => log.append(e) },
    });
    await h.do({ type: 'ELECTRODES', spec: ['1-', '2-', '3-', '4-', '5+', '6+', '7+', '8+'] });
    await h.do({ type: 'PULSE_WIDTH', us: 500 });
    await h.do({ type: 'SEARCH_START' });
    for (let i = 0; i < 10; i++) await h.do({ type: 'AMPLITUDE_UP' });
    h.c.dispose();
    log.close();
    const summary = programmingSummary(replayAudit(fs.readFileSync(file, 'utf8')), 'session.audit.jsonl');
    expect(summary.lastProgram).toMatchObject({ amplitudeMa: 0.5, contacts: '----++++', pulseWidthUs: 500 });
    const density = Math.round(((((500 * 4) / 7) * 500) / 1e6 / 0.1225) * 100) / 100;
    expect(summary.chargeDensity).toEqual({
      contact: 1,
      polarity: 'cathode',
      sharePct: 57.1,
      densityUcPerCm2: density,
      limitUcPerCm2: 30,
      basis: 'impedance',
      reason: null,
    });
    const html = patientHtml(record, summary, new Date('2025-02-01T00:00:00Z'));
    expect(html).toContain(
      `Charge density: most loaded contact 1 (cathode) carries 57.1 % of its current, ${density.toFixed(2)} of 30 µC/cm² per phase (shares by measured impedance)`,
    );
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('a log without the report (older sessions) or with a malformed one shows no charge-density line', () => {
    const summary = programmingSummary(
      {
        integrity: { ok: true } as never,
        steps: [],
        counts: { decisions: 0, refused: 0, clamps: 0, stops: 0, commits: 0, faults: 0 },
        lastGenerator: {
          output: 'off',
          mode: 'none',
          rateHz: 50,
          pulseWidthUs: 300,
          amplitudeUa: 0,
          contacts: '-+000000',
          batteryPct: 90,
          faults: [],
          committed: false,
          programRev: 1,
        },
        lastChargeDensity: { contact: 'one' },
      },
      'x',
    );
    expect(summary.chargeDensity).toBeNull();
    expect(patientHtml(record, summary, new Date('2025-02-01T00:00:00Z'))).not.toContain('Charge density');
  });
});
