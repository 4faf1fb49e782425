import { describe, expect, it } from 'vitest';
import { decideAfterImpedance, decideImpedanceCheck, decideMarkDiscomfort, decideMarkSensory, decideSearchStart, impedanceNotices } from '../../src/session/decide-search.js';
import { data, limits, record, tuning } from './decider-fixtures.js';

/**
 * The threshold search decided on its own: start (impedance first, output off first), the impedance
 * verdict, marking sensory and discomfort (amplitude drops at once to sensory). Exact operations,
 * notices, patch and next phase; written to kill the surviving mutants of src/session/decide-search.ts
 * (docs/mutation/summary.md).
 */

const searching = (amplitudeUa: number, over: Parameters<typeof data>[0] = {}) =>
  data({ phase: 'search', lastStepAt: 1000, thresholds: [record({ sensoryUa: null, discomfortUa: null })], ...over }, { output: 'on', amplitudeUa });
const coarse = { ...limits, amplitudeUa: { min: 0, max: 25500, step: 150 } };
const ok = [800, 900, 1000, 1000, 1000, 1000, 1000, 1000];

describe("search start", () => {
  it("refuses without a generator", () => {
    expect(decideSearchStart(data({ generator: null }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"session","requested":"search start","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses without limits", () => {
    expect(decideSearchStart(data({ limits: null }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"session","requested":"search start","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses a generator whose amplitude step exceeds 0.1 mA", () => {
    expect(decideSearchStart(data({ limits: coarse }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"amplitude","requested":"search start","applied":null,"reason":"the generator's amplitude step 0.15 mA exceeds 0.1 mA: no safe search step"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses a configuration without an anode", () => {
    expect(decideSearchStart(data({}, { contacts: '-0000000' }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"electrodes","requested":"search start","applied":null,"reason":"no anode: set at least one contact to +"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("goes to the impedance check with output off", () => {
    expect(decideSearchStart(data())).toEqual({"accepted":true,"notices":[],"ops":[],"patch":{},"next":"impedance"});
  });
  it("turns output off first while stimulating", () => {
    expect(decideSearchStart(tuning())).toEqual({"accepted":true,"notices":[{"kind":"warn","field":"output","requested":"on","applied":"off","reason":"threshold search: only amplitude may change while output is on, so output was turned off first"}],"ops":[{"op":"setOutput","on":false,"mode":"test"}],"patch":{},"next":"impedance"});
  });
  it("turns therapy output off in therapy mode", () => {
    expect(decideSearchStart(tuning({ mode: 'therapy' }, { phase: 'therapy' }))).toEqual({"accepted":true,"notices":[{"kind":"warn","field":"output","requested":"on","applied":"off","reason":"threshold search: only amplitude may change while output is on, so output was turned off first"}],"ops":[{"op":"setOutput","on":false,"mode":"therapy"}],"patch":{},"next":"impedance"});
  });
});

describe("impedance check on its own", () => {
  it("refuses without a generator", () => {
    expect(decideImpedanceCheck(data({ generator: null }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"electrodes","requested":"impedance","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses without limits", () => {
    expect(decideImpedanceCheck(data({ limits: null }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"electrodes","requested":"impedance","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("measures with output off", () => {
    expect(decideImpedanceCheck(data({ phase: 'tuning' }, { output: 'off' }))).toEqual({"accepted":true,"notices":[],"ops":[],"patch":{},"next":"impedanceCheck"});
  });
  it("turns output off first while stimulating", () => {
    expect(decideImpedanceCheck(tuning())).toEqual({"accepted":true,"notices":[{"kind":"warn","field":"output","requested":"on","applied":"off","reason":"impedance check: only amplitude may change while output is on, so output was turned off first"}],"ops":[{"op":"setOutput","on":false,"mode":"test"}],"patch":{},"next":"impedanceCheck"});
  });
});

describe("impedance readings", () => {
  it("flags open and shorted contacts, in use or not", () => {
    expect(impedanceNotices(['open', 900, 'short', 1000, 1100, 1200, 1300, 1400], '-0+00000')).toEqual([{"kind":"warn","field":"electrodes","requested":"contact 1","applied":"open","reason":"contact 1 reads open and is in use: choose other contacts before stimulating"},{"kind":"warn","field":"electrodes","requested":"contact 3","applied":"short","reason":"contact 3 reads short and is in use: choose other contacts before stimulating"}]);
  });
  it("warns about a contact beyond the configuration without calling it in use", () => {
    expect(impedanceNotices([800, 'open'], '-')).toEqual([{"kind":"warn","field":"electrodes","requested":"contact 2","applied":"open","reason":"contact 2 reads open"}]);
  });
  it("flags nothing when every contact reads a number", () => {
    expect(impedanceNotices(ok, '-+000000')).toEqual([]);
  });
});

describe("after the impedance check", () => {
  it("refuses without a generator", () => {
    expect(decideAfterImpedance(data({ generator: null }), ok, 5)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"session","requested":"search start","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("refuses without limits", () => {
    expect(decideAfterImpedance(data({ limits: null }), ok, 5)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"session","requested":"search start","applied":null,"reason":"not connected to a generator"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("starts the search at 0 mA in test mode with a fresh record", () => {
    expect(decideAfterImpedance(data({}, { amplitudeUa: 1500 }), ok, 5)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}},{"op":"setOutput","on":true,"mode":"test"}],"patch":{"lastStepAt":5,"thresholds":[{"pulseWidthUs":300,"contacts":"-+000000","posture":"supine","sensoryUa":null,"discomfortUa":null}]},"next":"search"});
  });
  it("keeps the other postures' records and replaces this one", () => {
    expect(decideAfterImpedance(data({ posture: 'sitting', thresholds: [record(), record({ posture: 'sitting' })] }), ok, 5)).toEqual({"accepted":true,"notices":[],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}},{"op":"setOutput","on":true,"mode":"test"}],"patch":{"lastStepAt":5,"thresholds":[{"pulseWidthUs":300,"contacts":"-+000000","posture":"supine","sensoryUa":2000,"discomfortUa":4000},{"pulseWidthUs":300,"contacts":"-+000000","posture":"sitting","sensoryUa":null,"discomfortUa":null}]},"next":"search"});
  });
  it("only warns about a bad contact that is not in use", () => {
    expect(decideAfterImpedance(data(), [800, 900, 'open', 'short', 1000, 1000, 1000, 1000], 5)).toEqual({"accepted":true,"notices":[{"kind":"warn","field":"electrodes","requested":"contact 3","applied":"open","reason":"contact 3 reads open (not in use)"},{"kind":"warn","field":"electrodes","requested":"contact 4","applied":"short","reason":"contact 4 reads short (not in use)"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}},{"op":"setOutput","on":true,"mode":"test"}],"patch":{"lastStepAt":5,"thresholds":[{"pulseWidthUs":300,"contacts":"-+000000","posture":"supine","sensoryUa":null,"discomfortUa":null}]},"next":"search"});
  });
  it("refuses when an active contact is open or shorted, going to ready", () => {
    expect(decideAfterImpedance(data({ phase: 'tuning' }), ['short', 'open', 'open', 1000, 1000, 1000, 1000, 1000], 5)).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"electrodes","requested":"search start","applied":null,"reason":"impedance check failed: contact 1 short, contact 2 open; choose other contacts"}],"ops":[],"patch":{},"next":"ready"});
  });
  it("starts from the clamped base program", () => {
    expect(decideAfterImpedance(data({}, { rateHz: 100 }), ok, 5)).toEqual({"accepted":true,"notices":[{"kind":"clamp","field":"rate","requested":100,"applied":60,"reason":"generator's rate 100 Hz is outside the clinical window 40–60 Hz"}],"ops":[{"op":"setProgram","program":{"rateHz":60,"pulseWidthUs":300,"amplitudeUa":0,"contacts":"-+000000"}},{"op":"setOutput","on":true,"mode":"test"}],"patch":{"lastStepAt":5,"thresholds":[{"pulseWidthUs":300,"contacts":"-+000000","posture":"supine","sensoryUa":null,"discomfortUa":null}]},"next":"search"});
  });
});

describe("mark sensory", () => {
  it("refuses outside a search", () => {
    expect(decideMarkSensory(tuning())).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"threshold","requested":"sensory","applied":null,"reason":"thresholds are marked during a threshold search (search start)"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses without a generator", () => {
    expect(decideMarkSensory(data({ phase: 'search', generator: null }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"threshold","requested":"sensory","applied":null,"reason":"thresholds are marked during a threshold search (search start)"}],"ops":[],"patch":{},"next":"search"});
  });
  it("refuses with output off", () => {
    expect(decideMarkSensory(data({ phase: 'search' }, { amplitudeUa: 1500 }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"threshold","requested":"sensory","applied":null,"reason":"thresholds are marked during a threshold search (search start)"}],"ops":[],"patch":{},"next":"search"});
  });
  it("refuses at 0 mA", () => {
    expect(decideMarkSensory(searching(0))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"threshold","requested":0,"applied":null,"reason":"amplitude is 0 mA: raise it until the patient first feels paresthesia"}],"ops":[],"patch":{},"next":"search"});
  });
  it("marks the amplitude in force, naming the posture", () => {
    expect(decideMarkSensory(searching(1500, { posture: 'walking', thresholds: [] }))).toEqual({"accepted":true,"notices":[{"kind":"info","field":"threshold","requested":1.5,"applied":1.5,"reason":"sensory threshold marked (walking)"}],"ops":[],"patch":{"thresholds":[{"pulseWidthUs":300,"contacts":"-+000000","posture":"walking","sensoryUa":1500,"discomfortUa":null}]},"next":"search"});
  });
  it("re-marking clears a discomfort already marked", () => {
    expect(decideMarkSensory(searching(1500, { thresholds: [record()] }))).toEqual({"accepted":true,"notices":[{"kind":"info","field":"threshold","requested":1.5,"applied":1.5,"reason":"sensory threshold marked (supine)"}],"ops":[],"patch":{"thresholds":[{"pulseWidthUs":300,"contacts":"-+000000","posture":"supine","sensoryUa":1500,"discomfortUa":null}]},"next":"search"});
  });
});

describe("mark discomfort", () => {
  it("refuses outside a search", () => {
    expect(decideMarkDiscomfort(tuning())).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"threshold","requested":"discomfort","applied":null,"reason":"thresholds are marked during a threshold search (search start)"}],"ops":[],"patch":{},"next":"tuning"});
  });
  it("refuses without limits", () => {
    expect(decideMarkDiscomfort(searching(3000, { limits: null }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"threshold","requested":"discomfort","applied":null,"reason":"thresholds are marked during a threshold search (search start)"}],"ops":[],"patch":{},"next":"search"});
  });
  it("refuses with output off", () => {
    expect(decideMarkDiscomfort(data({ phase: 'search', thresholds: [record({ discomfortUa: null })] }, { amplitudeUa: 3000 }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"threshold","requested":"discomfort","applied":null,"reason":"thresholds are marked during a threshold search (search start)"}],"ops":[],"patch":{},"next":"search"});
  });
  it("refuses without a record", () => {
    expect(decideMarkDiscomfort(searching(3000, { thresholds: [] }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"threshold","requested":3,"applied":null,"reason":"mark the sensory threshold first"}],"ops":[],"patch":{},"next":"search"});
  });
  it("refuses before sensory is marked", () => {
    expect(decideMarkDiscomfort(searching(3000))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"threshold","requested":3,"applied":null,"reason":"mark the sensory threshold first"}],"ops":[],"patch":{},"next":"search"});
  });
  it("refuses at the sensory threshold", () => {
    expect(decideMarkDiscomfort(searching(2000, { thresholds: [record({ discomfortUa: null })] }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"threshold","requested":2,"applied":null,"reason":"discomfort must exceed the sensory threshold 2 mA"}],"ops":[],"patch":{},"next":"search"});
  });
  it("refuses below the sensory threshold", () => {
    expect(decideMarkDiscomfort(searching(1950, { thresholds: [record({ discomfortUa: null })] }))).toEqual({"accepted":false,"notices":[{"kind":"reject","field":"threshold","requested":1.95,"applied":null,"reason":"discomfort must exceed the sensory threshold 2 mA"}],"ops":[],"patch":{},"next":"search"});
  });
  it("marks discomfort and drops at once to sensory, going to tuning", () => {
    expect(decideMarkDiscomfort(searching(2050, { posture: 'sitting', thresholds: [record({ posture: 'sitting', discomfortUa: null })], estimate: { estimated: true, pulseWidthUs: 300, sensoryUa: 1800, startUa: 1800 } }))).toEqual({"accepted":true,"notices":[{"kind":"info","field":"threshold","requested":2.05,"applied":2.05,"reason":"discomfort threshold marked (sitting)"},{"kind":"clamp","field":"amplitude","requested":2.05,"applied":2,"reason":"discomfort: amplitude dropped at once to the sensory threshold"}],"ops":[{"op":"setProgram","program":{"rateHz":50,"pulseWidthUs":300,"contacts":"-+000000","amplitudeUa":2000}}],"patch":{"thresholds":[{"pulseWidthUs":300,"contacts":"-+000000","posture":"sitting","sensoryUa":2000,"discomfortUa":2050}],"estimate":null},"next":"tuning"});
  });
});
