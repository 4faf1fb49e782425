import { describe, expect, it } from 'vitest';
import { GeneratorState, HardwareLimits, Identity } from '../../protocol/index.js';
import { replayAudit } from '../../src/audit/audit-replay.js';
import { chainRecord, GENESIS_HASH } from '../../src/audit/audit-chain.js';
import { programmingSummary } from '../../src/outcomes/html/patient-html.js';
import type { Program } from '../../src/link/generator-link.js';
import {
  GENERATOR_STATE_POLICY,
  HARDWARE_LIMITS_POLICY,
  IDENTITY_POLICY,
  THERAPY_PROGRAM_FIELDS,
  THERAPY_STATUS_FIELDS,
  TherapyFieldError,
  therapyProgramOf,
  therapyRecordOf,
} from '../../src/session/therapy-fields.js';
import { harness, measured } from '../session/harness.js';

/**
 * H11 (copying data that must not move; Nuvectra 2016): a program copy and a report carry an
 * allow-list of therapy fields only. Field by field: every field the generator reports has a
 * decision, and only the allowed ones come through.
 */

/** Everything a generator tells the companion, each with a value no therapy field could have. */
const EVERYTHING = {
  output: 'on',
  mode: 'therapy',
  rateHz: 52,
  pulseWidthUs: 310,
  amplitudeUa: 2450,
  contacts: '-+0-0000',
  batteryPct: 17,
  faults: ['battery-low'],
  committed: true,
  programRev: 912,
  // calibration / hardware
  contactCount: 8,
  contactAreaCm2: 0.1225,
  maxChargeDensity: 30,
  watchdogMs: 2000,
  // identity
  proto: 1,
  firmware: '9.9.9-cal',
  serial: 'SN-CALIBRATED',
  bootId: 'deadbeef',
  // anything else a future message might carry
  calibration: { gain: 1.07 },
  chargerTrim: 3,
};
const limitsRanges = {
  amplitudeUa: { min: 0, max: 1, step: 1 },
  pulseWidthUs: { min: 0, max: 1, step: 1 },
  rateHz: { min: 0, max: 1, step: 1 },
};

describe('H11: therapy fields are an allow-list', () => {
  it('every field of the generator state, hardware limits and identity has a decision, and only the program (plus committed) may move', () => {
    expect(Object.keys(GENERATOR_STATE_POLICY).sort()).toEqual(Object.keys(GeneratorState.shape).sort());
    expect(Object.keys(HARDWARE_LIMITS_POLICY).sort()).toEqual(Object.keys(HardwareLimits.shape).sort());
    expect(Object.keys(IDENTITY_POLICY).sort()).toEqual(Object.keys(Identity.shape).sort());
    const allowed = Object.entries(GENERATOR_STATE_POLICY)
      .filter(([, v]) => v)
      .map(([k]) => k);
    expect(allowed.sort()).toEqual([...THERAPY_PROGRAM_FIELDS, ...THERAPY_STATUS_FIELDS].sort());
    expect(Object.values(HARDWARE_LIMITS_POLICY).every((v) => v === false)).toBe(true);
    expect(Object.values(IDENTITY_POLICY).every((v) => v === false)).toBe(true);
  });

  const fields = Object.keys(EVERYTHING) as Array<keyof typeof EVERYTHING>;
  for (const field of fields) {
    it(`program copy: ${field} ${(THERAPY_PROGRAM_FIELDS as readonly string[]).includes(field) ? 'is copied exactly' : 'never moves'}`, () => {
      const out = therapyProgramOf(EVERYTHING) as Record<string, unknown>;
      if ((THERAPY_PROGRAM_FIELDS as readonly string[]).includes(field)) expect(out[field]).toEqual(EVERYTHING[field]);
      else expect(field in out, field).toBe(false);
    });
    it(`report record: ${field} ${[...THERAPY_PROGRAM_FIELDS, ...THERAPY_STATUS_FIELDS].includes(field as never) ? 'is copied exactly' : 'never moves'}`, () => {
      const out = therapyRecordOf(EVERYTHING) as Record<string, unknown>;
      if ([...THERAPY_PROGRAM_FIELDS, ...THERAPY_STATUS_FIELDS].includes(field as never))
        expect(out[field]).toEqual(EVERYTHING[field]);
      else expect(field in out, field).toBe(false);
    });
  }

  it('hardware ranges named like program fields (limits.amplitudeUa is a range) are refused, not copied', () => {
    expect(() => therapyProgramOf({ ...limitsRanges, contacts: '-+000000' })).toThrow(TherapyFieldError);
  });

  it('a missing or mistyped therapy field is refused, never filled in', () => {
    const { rateHz: _r, ...noRate } = EVERYTHING;
    expect(() => therapyProgramOf(noRate)).toThrow(/rateHz is missing/);
    expect(() => therapyProgramOf({ ...EVERYTHING, amplitudeUa: 2.5 })).toThrow(TherapyFieldError);
    expect(() => therapyProgramOf({ ...EVERYTHING, amplitudeUa: -1 })).toThrow(TherapyFieldError);
    expect(() => therapyProgramOf({ ...EVERYTHING, pulseWidthUs: '300' })).toThrow(TherapyFieldError);
    expect(() => therapyProgramOf({ ...EVERYTHING, contacts: '-+x' })).toThrow(/contacts/);
    expect(() => therapyRecordOf({ ...EVERYTHING, committed: 'yes' })).toThrow(/committed/);
    const { committed: _c, ...noCommitted } = EVERYTHING;
    expect(() => therapyRecordOf(noCommitted)).toThrow(/committed is missing/);
  });
});

describe('H11: where programs leave the session', () => {
  it('every program the session hands to the link carries the four program fields and nothing else', async () => {
    const h = await harness();
    const handed: Array<Record<string, unknown>> = [];
    const set = h.link.setProgram.bind(h.link);
    h.link.setProgram = (p: Program) => {
      handed.push({ ...p });
      return set(p);
    };
    await measured(h, 4, 4);
    await h.do({ type: 'AMPLITUDE_UP' });
    await h.do({ type: 'AMPLITUDE_SET', ma: 0.3 });
    await h.do({ type: 'COMMIT' });
    await h.do({ type: 'AMPLITUDE_DOWN' });
    await h.do({ type: 'RATE', hz: 45 });
    await h.do({ type: 'PULSE_WIDTH', us: 400 });
    expect(handed.length).toBeGreaterThan(10);
    for (const p of handed) expect(Object.keys(p).sort()).toEqual([...THERAPY_PROGRAM_FIELDS].sort());
  });

  it('the report programming summary carries the program and committed, nothing else the log holds', () => {
    const generator = { ...EVERYTHING };
    const record = chainRecord({ seq: 0, hash: GENESIS_HASH }, '2024-01-01T00:00:00.000Z', {
      kind: 'applied',
      outcome: { intent: 'COMMIT', accepted: true, notices: [] },
      generator,
      limits: { contactAreaCm2: 0.1225 },
    });
    const replay = replayAudit(`${JSON.stringify(record)}\n`);
    expect(replay.integrity.ok).toBe(true);
    const summary = programmingSummary(replay, 'session.audit.jsonl');
    expect(summary.lastProgram).toEqual({
      rateHz: 52,
      pulseWidthUs: 310,
      amplitudeMa: 2.45,
      contacts: '-+0-0000',
      committed: true,
    });
    const text = JSON.stringify(summary);
    for (const leak of [
      'SN-CALIBRATED',
      '9.9.9-cal',
      'deadbeef',
      'battery',
      '912',
      'chargerTrim',
      'gain',
      'contactAreaCm2',
    ])
      expect(text).not.toContain(leak);
  });
});
