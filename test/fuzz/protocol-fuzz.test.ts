import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, type Message } from '../../protocol/index.js';
import { fuzzCodec, fuzzCompanionChannel, fuzzEncoder, fuzzGeneratorServer, type FuzzReport } from './fuzz-targets.js';
import { MUTATION_KINDS } from './line-corpus.js';

/**
 * A short fuzz run of every decoder inside `npm test` (the soak runs ≥10^5 cases). The seed changes
 * with every run so the suite explores; a failure names it. FUZZ_SEED replays one.
 * Which outcomes the corpus reaches is a property of the corpus, not of a run: it is checked on a fixed
 * seed, since a rare outcome (about 4 charge-density NAKs in 4000 cases) is absent from ~2 % of random runs.
 */

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const COVERAGE_SEED = 20261202;
const CASES = 4000;

function expectClean(report: FuzzReport): void {
  expect(report.violations, `seed ${report.seed} (replay: FUZZ_SEED=${SEED})`).toEqual([]);
  expect(report.cases).toBe(CASES);
}

/** Runs `target` on the explored seed (clean) and returns the fixed seed's report (clean too), whose coverage is checked. */
function exploredThenCovered(target: (seed: number, cases: number) => FuzzReport, offset: number): FuzzReport {
  expectClean(target(SEED + offset, CASES));
  const covered = target(COVERAGE_SEED + offset, CASES);
  expectClean(covered);
  return covered;
}

describe(`protocol fuzzing (seed ${SEED})`, () => {
  it('codec: no throw; whatever decodes is printable, CRC-right, canonical; one-byte changes never decode', () => {
    const report = exploredThenCovered(fuzzCodec, 0);
    // The corpus must keep reaching every layer: framing, CRC, schema, and valid lines.
    for (const kind of MUTATION_KINDS) expect(report.kinds[kind] ?? 0, kind).toBeGreaterThan(0);
    for (const outcome of ['decoded', 'bad-crc', 'malformed', 'bad-field', 'unknown-verb', 'too-long']) {
      expect(report.outcomes[outcome] ?? 0, outcome).toBeGreaterThan(0);
    }
  });

  it('generator server: every bad line gets the right NAK or is dropped and counted; the model stays in its limits', () => {
    const report = exploredThenCovered(fuzzGeneratorServer, 1);
    for (const outcome of [
      'dropped (bad CRC)',
      'NAK 11 (overrun)',
      'NAK 12',
      'NAK 14',
      'NAK 13 (not a request)',
      'SET ACK',
      'SET NAK 24',
    ]) {
      expect(report.outcomes[outcome] ?? 0, outcome).toBeGreaterThan(0);
    }
  });

  it('companion channel: every bad line is dropped into the right counter and never answers a request', () => {
    const report = exploredThenCovered(fuzzCompanionChannel, 2);
    for (const outcome of [
      'dropped (bad CRC)',
      'dropped (undecodable)',
      'dropped (overrun)',
      'unmatched reply',
      'unsolicited',
      'answered the outstanding request',
    ]) {
      expect(report.outcomes[outcome] ?? 0, outcome).toBeGreaterThan(0);
    }
  });

  it('encoder (H7): hostile values are refused or round-trip exactly; no undecodable line is written', () => {
    const report = exploredThenCovered(fuzzEncoder, 3);
    expect(report.outcomes.refused).toBeGreaterThan(0);
    expect(report.outcomes.encoded).toBeGreaterThan(0);
  });
});

describe('encoder refuses values the wire must not carry (H7, boundaries)', () => {
  const set = (amplitudeUa: unknown) =>
    ({
      type: 'SET',
      seq: 1,
      sess: '5e55a001',
      rev: 0,
      rateHz: 50,
      pulseWidthUs: 200,
      amplitudeUa,
      contacts: '+-000000',
    }) as unknown as Message;
  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['-1 (boundary 0 − 1)', -1],
    ['2.5 (mA where µA belongs)', 2.5],
    ['0.05 (mA step where µA belongs)', 0.05],
    ['1 000 000 000 (wire maximum + 1)', 1_000_000_000],
    ['a string', '2500'],
    ['null', null],
  ])('refuses amplitude %s', (_name, value) => {
    expect(() => encodeMessage(set(value))).toThrow();
  });

  it.each([0, 1, 50, 999_999_999])('writes amplitude %s and it decodes back unchanged (boundary values)', (value) => {
    const back = decodeMessage(encodeMessage(set(value)));
    expect(back.ok && back.message).toEqual(set(value));
  });

  it('refuses a contact area the wire cannot carry instead of writing an exponent', () => {
    const hello = {
      type: 'ACK',
      seq: 1,
      of: 'HELLO',
      identity: { proto: 1, firmware: '1', serial: 'S', bootId: '00000000' },
      limits: {
        amplitudeUa: { min: 0, max: 1, step: 1 },
        pulseWidthUs: { min: 0, max: 1, step: 1 },
        rateHz: { min: 0, max: 1, step: 1 },
        contactCount: 8,
        contactAreaCm2: 1e-7,
        maxChargeDensity: 30,
        watchdogMs: 2000,
      },
    } as Message;
    expect(() => encodeMessage(hello)).toThrow(/decimal/);
  });
});
