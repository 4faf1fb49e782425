import { describe, expect, it } from 'vitest';
import { decideElectrodes, decidePosture, decidePulseWidth, decidePulseWidthStep, decideRate, decideRateStep } from '../../src/session/decide-program.js';
import { data, record, tuning } from './decider-fixtures.js';

/**
 * Electrodes, rate, pulse width (and their grid steps) and posture decided on their own: output off
 * first while stimulating, amplitude to 0 on an electrode change, thresholds discarded, the H3 width
 * rule, the clinical clamps. Exact operations, notices, patch and next phase; written to kill the
 * surviving mutants of src/session/decide-program.ts (docs/mutation/summary.md).
 */

describe("electrodes", () => {
  it("refuses without a generator", () => {
    expect(decideElectrodes(data({ generator: null }), '+-000000')).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"electrodes","requested":null,"applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses without limits", () => {
    expect(decideElectrodes(data({ limits: null }), '+-000000')).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"electrodes","requested":null,"applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses a malformed string, showing it", () => {
    expect(decideElectrodes(data(), '-+x')).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"electrodes","requested":"-+x","applied":null,"reason":"expected 8 contacts, got 3"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses malformed tokens, showing them joined", () => {
    expect(decideElectrodes(data(), ['e9-', 'e2+'])).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"electrodes","requested":"e9- e2+","applied":null,"reason":"'e9-' is not CONTACT+ , CONTACT- or CONTACToff (e.g. 1- 2+)"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses a configuration without a cathode", () => {
    expect(decideElectrodes(data(), '0+000000')).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"electrodes","requested":"0+000000","applied":null,"reason":"no cathode: set at least one contact to -"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("says unchanged for the configuration in force", () => {
    expect(decideElectrodes(data({ phase: 'tuning' }), '-+000000')).toEqual({"accepted":true,"notices":[{"kind":"info","field":"electrodes","requested":"-+000000","applied":"1- 2+","reason":"unchanged"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("accepts tokens and sends the new contacts at 0 mA", () => {
    expect(decideElectrodes(data(), ['1+', '2-'])).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"+-000000"}}],"patch":{"thresholds":[],"estimate":null,"patientWindow":null},"next":"ready"});
  });
  it("sets amplitude to 0, discards thresholds, turns output off first", () => {
    expect(decideElectrodes(tuning(), '+-000000')).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":3,"applied":0,"reason":"an electrode change sets amplitude to 0"},{"kind":"warn","field":"threshold","requested":null,"applied":null,"reason":"electrode change: measured thresholds discarded"},{"kind":"warn","field":"output","requested":"on","applied":"off","reason":"electrode change: only amplitude may change while output is on, so output was turned off first"}],"ops":[{"op":"setOutput","on":false,"mode":"test"},{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"+-000000"}}],"patch":{"thresholds":[],"estimate":null,"patientWindow":null},"next":"ready"});
  });
  it("turns therapy output off in therapy mode", () => {
    expect(decideElectrodes(tuning({ mode: 'therapy', committed: true }, { phase: 'therapy' }), '00-+0000')).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":3,"applied":0,"reason":"an electrode change sets amplitude to 0"},{"kind":"warn","field":"threshold","requested":null,"applied":null,"reason":"electrode change: measured thresholds discarded"},{"kind":"warn","field":"output","requested":"on","applied":"off","reason":"electrode change: only amplitude may change while output is on, so output was turned off first"}],"ops":[{"op":"setOutput","on":false,"mode":"therapy"},{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"00-+0000"}}],"patch":{"thresholds":[],"estimate":null,"patientWindow":null},"next":"ready"});
  });
  it("replaces an out-of-window pulse width, said so", () => {
    expect(decideElectrodes(data({}, { pulseWidthUs: 100 }), '+-000000')).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"pulseWidth","requested":100,"applied":200,"reason":"generator's pulse width 100 µs is outside the clinical window 200–500 µs"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":200,"amplitudeUa":0,"contacts":"+-000000"}}],"patch":{"thresholds":[],"estimate":null,"patientWindow":null},"next":"ready"});
  });
});

describe("rate", () => {
  it("refuses without a generator", () => {
    expect(decideRate(data({ generator: null }), 50)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"rate","requested":50,"applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses a rate that is not a number", () => {
    expect(decideRate(data(), Number.NaN)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"rate","requested":"NaN","applied":null,"reason":"not a number of Hz"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("sends nothing for the rate in force", () => {
    expect(decideRate(data({ phase: 'tuning' }), 50)).toEqual({"accepted":true,"notices":[],"ops":[],"patch":{},"next":"tuning"});
  });
  it("says so when a rate clamped to the one in force sends nothing", () => {
    expect(decideRate(data({ phase: 'tuning' }, { rateHz: 60 }), 70)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"rate","requested":70,"applied":60,"reason":"clinical window max 60 Hz"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("sends a new rate with output off", () => {
    expect(decideRate(data(), 55)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":55,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}}],"patch":{},"next":"ready"});
  });
  it("turns output off first while stimulating", () => {
    expect(decideRate(tuning(), 45)).toEqual({"accepted":true,"notices":[{"kind":"warn","field":"output","requested":"on","applied":"off","reason":"rate change: only amplitude may change while output is on, so output was turned off first"}],"ops":[{"op":"setOutput","on":false,"mode":"test"},{"op":"setProgram","program":{"rateHz":45,"pulseWidthUs":300,"amplitudeUa":3000,"contacts":"-+000000"}}],"patch":{},"next":"ready"});
  });
  it("reprograms an out-of-window rate even when the request equals its clamp", () => {
    expect(decideRate(data({}, { rateHz: 100 }), 60)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"rate","requested":100,"applied":60,"reason":"generator's rate 100 Hz is outside the clinical window 40–60 Hz"}],"ops":[{"op":"setProgram","program":{"rateHz":60,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}}],"patch":{},"next":"ready"});
  });
  it("clamps a request below the clinical window", () => {
    expect(decideRate(data(), 10)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"rate","requested":10,"applied":40,"reason":"clinical window min 40 Hz"}],"ops":[{"op":"setProgram","program":{"rateHz":40,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}}],"patch":{},"next":"ready"});
  });
});

describe("rate steps", () => {
  it("refuses up without a generator", () => {
    expect(decideRateStep(data({ generator: null }), 1)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"rate","requested":"up","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses down without limits", () => {
    expect(decideRateStep(data({ limits: null }), -1)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"rate","requested":"down","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("steps up one Hz", () => {
    expect(decideRateStep(data(), 1)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":51,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}}],"patch":{},"next":"ready"});
  });
  it("steps down one Hz", () => {
    expect(decideRateStep(data(), -1)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":49,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}}],"patch":{},"next":"ready"});
  });
  it("stays at the clinical max, said so", () => {
    expect(decideRateStep(data({}, { rateHz: 60 }), 1)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"rate","requested":61,"applied":60,"reason":"clinical window max 60 Hz"}],"ops":[],"patch":{},"next":"ready"});
  });
});

describe("pulse width", () => {
  it("refuses without a generator", () => {
    expect(decidePulseWidth(data({ generator: null }), 300)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"pulseWidth","requested":300,"applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses a width that is not a number", () => {
    expect(decidePulseWidth(data(), Number.NaN)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"pulseWidth","requested":"NaN","applied":null,"reason":"not a number of µs"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("sends nothing for the width in force", () => {
    expect(decidePulseWidth(data({ phase: 'search' }), 300)).toEqual({"accepted":true,"notices":[],"ops":[],"patch":{},"next":"search"});
  });
  it("sends a new width with output off at 0 mA", () => {
    expect(decidePulseWidth(data(), 400)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":400,"amplitudeUa":0,"contacts":"-+000000"}}],"patch":{"thresholds":[],"estimate":null,"patientWindow":null},"next":"ready"});
  });
  it("discards thresholds without an estimate", () => {
    expect(decidePulseWidth(data({ thresholds: [record({ discomfortUa: null, sensoryUa: null })] }), 400)).toEqual({"accepted":true,"notices":[{"kind":"warn","field":"threshold","requested":null,"applied":null,"reason":"pulse width changed: measured thresholds discarded"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":400,"amplitudeUa":0,"contacts":"-+000000"}}],"patch":{"thresholds":[],"estimate":null,"patientWindow":null},"next":"ready"});
  });
  it("estimates the new sensory threshold from the measured one (Weiss), output off first", () => {
    expect(decidePulseWidth(tuning(), 400)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":3,"applied":1.75,"reason":"at or below the estimated sensory threshold 1.752 mA at 400 µs (Weiss law, estimated)"},{"kind":"warn","field":"threshold","requested":null,"applied":1.75,"reason":"pulse width changed: measured thresholds discarded; estimated sensory threshold 1.752 mA at 400 µs (Weiss law, chronaxie 295 µs) — an estimate only; re-measure before therapy"},{"kind":"warn","field":"output","requested":"on","applied":"off","reason":"pulse-width change: only amplitude may change while output is on, so output was turned off first"}],"ops":[{"op":"setOutput","on":false,"mode":"test"},{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":400,"amplitudeUa":1750,"contacts":"-+000000"}}],"patch":{"thresholds":[],"estimate":{"estimated":true,"pulseWidthUs":400,"sensoryUa":1752.1008403361343,"startUa":1750},"patientWindow":null},"next":"ready"});
  });
  it("lowers amplitude on a wider pulse (H3)", () => {
    expect(decidePulseWidth(tuning({ amplitudeUa: 3000 }, { thresholds: [] }), 500)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":3,"applied":1.85,"reason":"pulse width 300→500 µs: charge per phase may rise by at most one step"},{"kind":"warn","field":"output","requested":"on","applied":"off","reason":"pulse-width change: only amplitude may change while output is on, so output was turned off first"}],"ops":[{"op":"setOutput","on":false,"mode":"test"},{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":500,"amplitudeUa":1850,"contacts":"-+000000"}}],"patch":{"thresholds":[],"estimate":null,"patientWindow":null},"next":"ready"});
  });
  it("clamps a width above the clinical window", () => {
    expect(decidePulseWidth(data(), 900)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"pulseWidth","requested":900,"applied":500,"reason":"clinical window max 500 µs"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":500,"amplitudeUa":0,"contacts":"-+000000"}}],"patch":{"thresholds":[],"estimate":null,"patientWindow":null},"next":"ready"});
  });
  it("reprograms an out-of-window width even when the request equals its clamp", () => {
    expect(decidePulseWidth(data({}, { pulseWidthUs: 600 }), 500)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"pulseWidth","requested":600,"applied":500,"reason":"generator's pulse width 600 µs is outside the clinical window 200–500 µs"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":500,"amplitudeUa":0,"contacts":"-+000000"}}],"patch":{"thresholds":[],"estimate":null,"patientWindow":null},"next":"ready"});
  });
});

describe("pulse-width steps", () => {
  it("refuses up without a generator", () => {
    expect(decidePulseWidthStep(data({ generator: null }), 1)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"pulseWidth","requested":"up","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses down without limits", () => {
    expect(decidePulseWidthStep(data({ limits: null }), -1)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"pulseWidth","requested":"down","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("steps up one grid step", () => {
    expect(decidePulseWidthStep(data(), 1)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":310,"amplitudeUa":0,"contacts":"-+000000"}}],"patch":{"thresholds":[],"estimate":null,"patientWindow":null},"next":"ready"});
  });
  it("steps down one grid step", () => {
    expect(decidePulseWidthStep(data(), -1)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":290,"amplitudeUa":0,"contacts":"-+000000"}}],"patch":{"thresholds":[],"estimate":null,"patientWindow":null},"next":"ready"});
  });
});

describe("posture", () => {
  it("does nothing for the posture in force", () => {
    expect(decidePosture(tuning(), 'supine')).toEqual({"accepted":true,"notices":[],"ops":[],"patch":{},"next":"tuning"});
  });
  it("labels a new posture with output off", () => {
    expect(decidePosture(data({ phase: 'search' }, { output: 'off' }), 'sitting')).toEqual({"accepted":true,"notices":[],"ops":[],"patch":{"posture":"sitting"},"next":"search"});
  });
  it("turns output off first while stimulating", () => {
    expect(decidePosture(tuning(), 'standing')).toEqual({"accepted":true,"notices":[{"kind":"warn","field":"output","requested":"on","applied":"off","reason":"posture change: only amplitude may change while output is on, so output was turned off first"}],"ops":[{"op":"setOutput","on":false,"mode":"test"}],"patch":{"posture":"standing"},"next":"ready"});
  });
});
