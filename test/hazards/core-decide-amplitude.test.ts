import { describe, expect, it } from 'vitest';
import { decideAmplitude } from '../../src/session/decide-amplitude.js';
import { data, limits, record, tuning } from './decider-fixtures.js';

/**
 * Amplitude decided on its own: refusals (not connected, not a number, output off, invalid base
 * program, missing pole), the search step (one generator step, minimum dwell, charge-density
 * ceiling) and the measured or patient window afterwards. Exact operations, notices and next phase;
 * written to kill the surviving mutants of src/session/decide-amplitude.ts (docs/mutation/summary.md).
 * At 300 µs on '-+000000' the charge-density ceiling is 12.25 mA (30 µC/cm² × 0.1225 cm²).
 */

const search = (g: Parameters<typeof data>[1] = {}, over: Parameters<typeof data>[0] = {}) =>
  data({ phase: 'search', thresholds: [record({ sensoryUa: null, discomfortUa: null })], lastStepAt: 1000, ...over }, { output: 'on', amplitudeUa: 1000, ...g });
const coarse = { ...limits, amplitudeUa: { min: 0, max: 25500, step: 150 } };

describe("refusals before any rule", () => {
  it("refuses without a generator", () => {
    expect(decideAmplitude(data({ generator: null, phase: 'tuning' }), { kind: 'up' }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":null,"applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses without limits", () => {
    expect(decideAmplitude(tuning({}, { limits: null }), { kind: 'up' }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":null,"applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses a set that is not a number", () => {
    expect(decideAmplitude(tuning(), { kind: 'set', ma: Number.NaN }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"NaN","applied":null,"reason":"amplitude must be a non-negative number of mA"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses an infinite set", () => {
    expect(decideAmplitude(tuning(), { kind: 'set', ma: Number.POSITIVE_INFINITY }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"Infinity","applied":null,"reason":"amplitude must be a non-negative number of mA"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses a negative set", () => {
    expect(decideAmplitude(tuning(), { kind: 'set', ma: -0.05 }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"-0.05","applied":null,"reason":"amplitude must be a non-negative number of mA"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("accepts a set of 0 mA (clamped to the window)", () => {
    expect(decideAmplitude(tuning(), { kind: 'set', ma: 0 }, 0)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":0,"applied":2,"reason":"sensory threshold 2 mA (output off or STOP is the way to zero)"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":2000,"contacts":"-+000000"}}],"patch":{},"next":"tuning"});
  });
  it("refuses a set with output off, naming the mA", () => {
    expect(decideAmplitude(data({ thresholds: [record()] }, { amplitudeUa: 0 }), { kind: 'set', ma: 2.5 }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":2.5,"applied":null,"reason":"output is off: start a threshold search or turn output on first"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses up with output off, naming the direction", () => {
    expect(decideAmplitude(data({ thresholds: [record()] }), { kind: 'up' }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"up","applied":null,"reason":"output is off: start a threshold search or turn output on first"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses down with output off", () => {
    expect(decideAmplitude(data({ thresholds: [record()] }), { kind: 'down' }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"down","applied":null,"reason":"output is off: start a threshold search or turn output on first"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses in tuning when the generator reads back output off", () => {
    expect(decideAmplitude(tuning({ output: 'off' }), { kind: 'set', ma: 3.5 }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":3.5,"applied":null,"reason":"output is off: start a threshold search or turn output on first"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses in search when the generator reads back output off", () => {
    expect(decideAmplitude(data({ phase: 'search' }, { amplitudeUa: 1000 }), { kind: 'up' }, 5000)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"up","applied":null,"reason":"output is off: start a threshold search or turn output on first"}],"ops":[],"patch":{},"next":"search"});
  });
  it("refuses in ready even when the generator's output is on", () => {
    expect(decideAmplitude(tuning({}, { phase: 'ready' }), { kind: 'up' }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"up","applied":null,"reason":"output is off: start a threshold search or turn output on first"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses in blocked even when the generator's output is on", () => {
    expect(decideAmplitude(tuning({}, { phase: 'blocked' }), { kind: 'set', ma: 3 }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":3,"applied":null,"reason":"output is off: start a threshold search or turn output on first"}],"ops":[],"patch":{},"next":"blocked"});
  });
  it("refuses a set when rate is outside the clinical window", () => {
    expect(decideAmplitude(tuning({ rateHz: 100 }), { kind: 'set', ma: 2.5 }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"set 2.5 mA","applied":null,"reason":"the generator's rate or pulse width is outside the clinical window: turn output off and reprogram"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses up when pulse width is outside the clinical window", () => {
    expect(decideAmplitude(tuning({ pulseWidthUs: 600 }), { kind: 'up' }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"up","applied":null,"reason":"the generator's rate or pulse width is outside the clinical window: turn output off and reprogram"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses up on a configuration without an anode", () => {
    expect(decideAmplitude(tuning({ contacts: '-0000000' }, { thresholds: [record({ contacts: '-0000000' })] }), { kind: 'up' }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"up","applied":null,"reason":"no anode: set at least one contact to +"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses a set on a configuration without an anode", () => {
    expect(decideAmplitude(tuning({ contacts: '-0000000' }, { thresholds: [record({ contacts: '-0000000' })] }), { kind: 'set', ma: 3 }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"set 3 mA","applied":null,"reason":"no anode: set at least one contact to +"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("lets down through on a configuration without an anode", () => {
    expect(decideAmplitude(tuning({ contacts: '-0000000' }, { thresholds: [record({ contacts: '-0000000' })] }), { kind: 'down' }, 0)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":2950,"contacts":"-0000000"}}],"patch":{},"next":"tuning"});
  });
});

describe("search: one step per action", () => {
  it("refuses a set during search", () => {
    expect(decideAmplitude(search(), { kind: 'set', ma: 1.1 }, 5000)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":1.1,"applied":null,"reason":"during threshold search amplitude moves one step per action (amp up / amp down)"}],"ops":[],"patch":{},"next":"search"});
  });
  it("refuses a search step coarser than 0.1 mA", () => {
    expect(decideAmplitude(search({}, { limits: coarse }), { kind: 'up' }, 5000)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"up","applied":null,"reason":"the generator's step 0.15 mA exceeds 0.1 mA"}],"ops":[],"patch":{},"next":"search"});
  });
  it("refuses a step one ms before the dwell has passed", () => {
    expect(decideAmplitude(search(), { kind: 'up' }, 1499)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"up","applied":null,"reason":"minimum dwell 500 ms between search steps: wait 1 ms"}],"ops":[],"patch":{},"next":"search"});
  });
  it("steps up exactly when the dwell has passed", () => {
    expect(decideAmplitude(search(), { kind: 'up' }, 1500)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":1050,"contacts":"-+000000"}}],"patch":{"lastStepAt":1500},"next":"search"});
  });
  it("steps up without a previous step", () => {
    expect(decideAmplitude(search({}, { lastStepAt: null }), { kind: 'up' }, 0)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":1050,"contacts":"-+000000"}}],"patch":{"lastStepAt":0},"next":"search"});
  });
  it("steps down one step", () => {
    expect(decideAmplitude(search(), { kind: 'down' }, 5000)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":950,"contacts":"-+000000"}}],"patch":{"lastStepAt":5000},"next":"search"});
  });
  it("steps down to 0 mA, not below", () => {
    expect(decideAmplitude(search({ amplitudeUa: 30 }), { kind: 'down' }, 5000)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}}],"patch":{"lastStepAt":5000},"next":"search"});
  });
  it("refuses down at 0 mA", () => {
    expect(decideAmplitude(search({ amplitudeUa: 0 }), { kind: 'down' }, 5000)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":0,"applied":null,"reason":"already at 0 mA"}],"ops":[],"patch":{},"next":"search"});
  });
  it("refuses up at the charge-density ceiling", () => {
    expect(decideAmplitude(search({ amplitudeUa: 12250 }), { kind: 'up' }, 5000)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":12.3,"applied":null,"reason":"charge-density limit 30 µC/cm² at 300 µs"}],"ops":[],"patch":{},"next":"search"});
  });
  it("refuses up above the ceiling", () => {
    expect(decideAmplitude(search({ amplitudeUa: 12300 }), { kind: 'up' }, 5000)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":12.35,"applied":null,"reason":"charge-density limit 30 µC/cm² at 300 µs"}],"ops":[],"patch":{},"next":"search"});
  });
  it("clamps a step that would cross the ceiling", () => {
    expect(decideAmplitude(search({ amplitudeUa: 12230 }), { kind: 'up' }, 5000)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":12.28,"applied":12.25,"reason":"charge-density limit 30 µC/cm² at 300 µs"},{"kind":"warn","field":"amplitude","requested":12.25,"applied":12.25,"reason":"Shannon k 2.04 ≥ 1.85 at 300 µs (30.0 µC/cm² on the most loaded contact)"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":12250,"contacts":"-+000000"}}],"patch":{"lastStepAt":5000},"next":"search"});
  });
  it("steps up to exactly the ceiling without a clamp", () => {
    expect(decideAmplitude(search({ amplitudeUa: 12200 }), { kind: 'up' }, 5000)).toEqual({"accepted":true,"notices":[{"kind":"warn","field":"amplitude","requested":12.25,"applied":12.25,"reason":"Shannon k 2.04 ≥ 1.85 at 300 µs (30.0 µC/cm² on the most loaded contact)"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":12250,"contacts":"-+000000"}}],"patch":{"lastStepAt":5000},"next":"search"});
  });
  it("sends only the therapy fields of the generator state", () => {
    expect(decideAmplitude(search({ batteryPct: 12, faults: ['low-battery'], committed: true, programRev: 99 }), { kind: 'up' }, 5000)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":1050,"contacts":"-+000000"}}],"patch":{"lastStepAt":5000},"next":"search"});
  });
});

describe("after search: inside the window", () => {
  it("sets inside the window", () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 3550 }), { kind: 'set', ma: 3.5 }, 0)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":3500,"contacts":"-+000000"}}],"patch":{},"next":"tuning"});
  });
  it("clamps a set above the window to discomfort", () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 3950 }), { kind: 'set', ma: 5 }, 0)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":5,"applied":4,"reason":"discomfort threshold 4 mA"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":4000,"contacts":"-+000000"}}],"patch":{},"next":"tuning"});
  });
  it("clamps a set below the window to sensory", () => {
    expect(decideAmplitude(tuning(), { kind: 'set', ma: 1 }, 0)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":1,"applied":2,"reason":"sensory threshold 2 mA (output off or STOP is the way to zero)"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":2000,"contacts":"-+000000"}}],"patch":{},"next":"tuning"});
  });
  it("floors a set between grid steps", () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 3300 }), { kind: 'set', ma: 3.27 }, 0)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":3.27,"applied":3.25,"reason":"generator step 0.05 mA"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":3250,"contacts":"-+000000"}}],"patch":{},"next":"tuning"});
  });
  it("steps up one generator step", () => {
    expect(decideAmplitude(tuning(), { kind: 'up' }, 0)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":3050,"contacts":"-+000000"}}],"patch":{},"next":"tuning"});
  });
  it("steps down one generator step", () => {
    expect(decideAmplitude(tuning(), { kind: 'down' }, 0)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":2950,"contacts":"-+000000"}}],"patch":{},"next":"tuning"});
  });
  it("sends nothing when the set equals the amplitude in force", () => {
    expect(decideAmplitude(tuning(), { kind: 'set', ma: 3 }, 0)).toEqual({"accepted":true,"notices":[],"ops":[],"patch":{},"next":"tuning"});
  });
  it("sends nothing, said so, when down at sensory is clamped back", () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 2000 }), { kind: 'down' }, 0)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":1.95,"applied":2,"reason":"sensory threshold 2 mA (output off or STOP is the way to zero)"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("sends nothing when up at discomfort is clamped back", () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 4000 }), { kind: 'up' }, 0)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":4.05,"applied":4,"reason":"discomfort threshold 4 mA"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses without a measured window in therapy", () => {
    expect(decideAmplitude(tuning({}, { phase: 'therapy', thresholds: [] }), { kind: 'up' }, 0)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":3.05,"applied":null,"reason":"no measured window: mark sensory and discomfort thresholds first"}],"ops":[],"patch":{},"next":"therapy"});
  });
  it("works in therapy inside the window", () => {
    expect(decideAmplitude(tuning({ mode: 'therapy', committed: true }, { phase: 'therapy' }), { kind: 'set', ma: 2.5 }, 0)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":2500,"contacts":"-+000000"}}],"patch":{},"next":"therapy"});
  });
  it("keeps patient mode inside the clinician's window", () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 3450 }, { patientMode: true, patientWindow: { lowUa: 2500, highUa: 3500 } }), { kind: 'set', ma: 3.8 }, 0)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":3.8,"applied":3.5,"reason":"patient window max 3.5 mA (set by the clinician)"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":3500,"contacts":"-+000000"}}],"patch":{},"next":"tuning"});
  });
  it("keeps patient mode above the clinician's minimum", () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 2500 }, { patientMode: true, patientWindow: { lowUa: 2500, highUa: 3500 } }), { kind: 'down' }, 0)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":2.45,"applied":2.5,"reason":"patient window min 2.5 mA (set by the clinician; output off or STOP is the way to zero)"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("uses the measured window in patient mode without a clinician's window", () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 3950 }, { patientMode: true }), { kind: 'set', ma: 4.5 }, 0)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":4.5,"applied":4,"reason":"discomfort threshold 4 mA"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":4000,"contacts":"-+000000"}}],"patch":{},"next":"tuning"});
  });
  it("uses the clinician's window only in patient mode", () => {
    expect(decideAmplitude(tuning({ amplitudeUa: 3750 }, { patientWindow: { lowUa: 2500, highUa: 3500 } }), { kind: 'set', ma: 3.8 }, 0)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":3800,"contacts":"-+000000"}}],"patch":{},"next":"tuning"});
  });
});
