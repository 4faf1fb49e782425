import { describe, expect, it } from 'vitest';
import { decideCommit, decideOutputOff, decideOutputOn, decidePatientMode } from '../../src/session/decide-output.js';
import { data, record, tuning } from './decider-fixtures.js';

/**
 * Output on/off, commit to therapy and patient mode, decided on their own: the exact operations,
 * notices (kind, field, requested, applied, reason), acceptance and next phase. Written to kill the
 * surviving mutants of src/session/decide-output.ts (docs/mutation/summary.md).
 */

describe("output on", () => {
  it("refuses without a generator", () => {
    expect(decideOutputOn(data({ generator: null }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"output","requested":"on","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses without limits", () => {
    expect(decideOutputOn(data({ limits: null, thresholds: [record()] }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"output","requested":"on","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("says output is already on and sends nothing", () => {
    expect(decideOutputOn(tuning())).toEqual({"accepted":true,"notices":[{"kind":"info","field":"output","requested":"on","applied":"on","reason":"output is already on"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses without a measured window, naming the posture", () => {
    expect(decideOutputOn(data({ posture: 'sitting', thresholds: [record()] }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"output","requested":"on","applied":null,"reason":"no measured window for this pulse width, electrodes and posture (sitting): use search start"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses with only a sensory threshold", () => {
    expect(decideOutputOn(data({ thresholds: [record({ discomfortUa: null })] }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"output","requested":"on","applied":null,"reason":"no measured window for this pulse width, electrodes and posture (supine): use search start"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses a configuration without an anode", () => {
    expect(decideOutputOn(data({ thresholds: [record({ contacts: '-0000000' })] }, { contacts: '-0000000' }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"output","requested":"on","applied":null,"reason":"no anode: set at least one contact to +"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("starts at 0 mA in test mode and goes to tuning", () => {
    expect(decideOutputOn(data({ thresholds: [record()] }))).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}},{"op":"setOutput","on":true,"mode":"test"}],"patch":{},"next":"tuning"});
  });
  it("says so when the generator held a higher amplitude", () => {
    expect(decideOutputOn(data({ thresholds: [record()] }, { amplitudeUa: 1500 }))).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"amplitude","requested":1.5,"applied":0,"reason":"output starts at 0 mA"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}},{"op":"setOutput","on":true,"mode":"test"}],"patch":{},"next":"tuning"});
  });
  it("replaces an out-of-window rate by its clamp, said so", () => {
    expect(decideOutputOn(data({ thresholds: [record()] }, { rateHz: 100 }))).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"rate","requested":100,"applied":60,"reason":"generator's rate 100 Hz is outside the clinical window 40–60 Hz"}],"ops":[{"op":"setProgram","program":{"rateHz":60,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}},{"op":"setOutput","on":true,"mode":"test"}],"patch":{},"next":"tuning"});
  });
});

describe("output off", () => {
  it("refuses without a generator, staying where it was", () => {
    expect(decideOutputOff(data({ generator: null, phase: 'tuning' }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"output","requested":"off","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("turns test output off and goes to ready", () => {
    expect(decideOutputOff(tuning())).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setOutput","on":false,"mode":"test"}],"patch":{},"next":"ready"});
  });
  it("turns therapy output off in therapy mode", () => {
    expect(decideOutputOff(tuning({ mode: 'therapy' }, { phase: 'therapy' }))).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setOutput","on":false,"mode":"therapy"}],"patch":{},"next":"ready"});
  });
  it("stays blocked on an unbound generator", () => {
    expect(decideOutputOff(data({ phase: 'blocked' }, { output: 'on' }))).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setOutput","on":false,"mode":"test"}],"patch":{},"next":"blocked"});
  });
});

describe("commit", () => {
  it("refuses without a generator", () => {
    expect(decideCommit(data({ generator: null }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"mode","requested":"therapy","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("says therapy is already committed", () => {
    expect(decideCommit(tuning({ mode: 'therapy', committed: true }, { phase: 'therapy' }))).toEqual({"accepted":true,"notices":[{"kind":"info","field":"mode","requested":"therapy","applied":"therapy","reason":"therapy is already committed"}],"ops":[],"patch":{},"next":"therapy"});
  });
  it("refuses again in therapy phase when the generator is not committed", () => {
    expect(decideCommit(tuning({ mode: 'therapy', committed: false }, { phase: 'therapy' }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"mode","requested":"therapy","applied":null,"reason":"commit needs measured thresholds and test stimulation inside the window (search start, mark sensory, mark discomfort)"}],"ops":[],"patch":{},"next":"therapy"});
  });
  it("refuses in therapy phase when the generator is in test mode", () => {
    expect(decideCommit(tuning({ mode: 'test', committed: true }, { phase: 'therapy' }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"mode","requested":"therapy","applied":null,"reason":"commit needs measured thresholds and test stimulation inside the window (search start, mark sensory, mark discomfort)"}],"ops":[],"patch":{},"next":"therapy"});
  });
  it("commits from tuning even when the generator already holds a committed therapy flag", () => {
    expect(decideCommit(tuning({ mode: 'therapy', committed: true }))).toEqual({"accepted":true,"notices":[{"kind":"info","field":"mode","requested":"therapy","applied":"therapy","reason":"therapy committed to the generator"}],"ops":[{"op":"setOutput","on":true,"mode":"therapy"}],"patch":{},"next":"therapy"});
  });
  it("refuses from ready", () => {
    expect(decideCommit(data({ thresholds: [record()] }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"mode","requested":"therapy","applied":null,"reason":"commit needs measured thresholds and test stimulation inside the window (search start, mark sensory, mark discomfort)"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses in tuning with output off", () => {
    expect(decideCommit(tuning({ output: 'off' }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"mode","requested":"therapy","applied":null,"reason":"commit needs measured thresholds and test stimulation inside the window (search start, mark sensory, mark discomfort)"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses without a measured window", () => {
    expect(decideCommit(tuning({}, { thresholds: [] }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"mode","requested":"therapy","applied":null,"reason":"therapy requires measured thresholds for this pulse width, electrodes and posture"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses one step below the window", () => {
    expect(decideCommit(tuning({ amplitudeUa: 1950 }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":1.95,"applied":null,"reason":"amplitude is outside the window 2–4 mA: amp set inside it first"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses one step above the window", () => {
    expect(decideCommit(tuning({ amplitudeUa: 4050 }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":4.05,"applied":null,"reason":"amplitude is outside the window 2–4 mA: amp set inside it first"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("commits at the window's low edge", () => {
    expect(decideCommit(tuning({ amplitudeUa: 2000 }))).toEqual({"accepted":true,"notices":[{"kind":"info","field":"mode","requested":"therapy","applied":"therapy","reason":"therapy committed to the generator"}],"ops":[{"op":"setOutput","on":true,"mode":"therapy"}],"patch":{},"next":"therapy"});
  });
  it("commits at the window's high edge", () => {
    expect(decideCommit(tuning({ amplitudeUa: 4000 }))).toEqual({"accepted":true,"notices":[{"kind":"info","field":"mode","requested":"therapy","applied":"therapy","reason":"therapy committed to the generator"}],"ops":[{"op":"setOutput","on":true,"mode":"therapy"}],"patch":{},"next":"therapy"});
  });
  it("commits inside the window", () => {
    expect(decideCommit(tuning())).toEqual({"accepted":true,"notices":[{"kind":"info","field":"mode","requested":"therapy","applied":"therapy","reason":"therapy committed to the generator"}],"ops":[{"op":"setOutput","on":true,"mode":"therapy"}],"patch":{},"next":"therapy"});
  });
});

describe("patient mode", () => {
  it("refuses during a search", () => {
    expect(decidePatientMode(data({ phase: 'search' }), true)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"session","requested":"patient-mode on","applied":null,"reason":"finish or stop the threshold search first"}],"ops":[],"patch":{},"next":"search"});
  });
  it("turns on", () => {
    expect(decidePatientMode(tuning(), true)).toEqual({"accepted":true,"notices":[{"kind":"info","field":"session","requested":"on","applied":"on","reason":"patient mode on: the patient may change amplitude only, inside the patient window, and turn output off"}],"ops":[],"patch":{"patientMode":true},"next":"tuning"});
  });
  it("turns off, even during a search", () => {
    expect(decidePatientMode(data({ phase: 'search', patientMode: true }), false)).toEqual({"accepted":true,"notices":[{"kind":"info","field":"session","requested":"off","applied":"off","reason":"patient mode off: the clinician has the whole measured window again"}],"ops":[],"patch":{"patientMode":false},"next":"search"});
  });
});
