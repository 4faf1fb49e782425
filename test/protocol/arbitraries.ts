import fc from 'fast-check';
import type { GeneratorEvent, GeneratorState, Message, Reply, Request, Telemetry } from '../../protocol/index.js';

/**
 * fast-check arbitraries for every protocol message, within what the wire format can carry
 * (whole numbers up to 9 digits, decimals with up to 6 fraction digits, text without `"`, `*` or `\`).
 * Shared by the protocol, simulator and link tests.
 */

export const seqArb = fc.integer({ min: 1, max: 999_999_999 });
export const wholeArb = fc.integer({ min: 0, max: 999_999_999 });
const positiveArb = fc.integer({ min: 1, max: 999_999_999 });

export const contactsArb = (minLength = 1, maxLength = 32): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom('+', '-', '0'), { minLength, maxLength }).map((cs) => cs.join(''));

/** Printable ASCII the framing carries unchanged inside quotes. */
export const textArb = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc
    .array(
      fc.integer({ min: 0x20, max: 0x7e }).filter((c) => c !== 0x22 && c !== 0x2a && c !== 0x5c),
      { minLength, maxLength },
    )
    .map((cs) => String.fromCharCode(...cs));

export const bootIdArb = fc.stringMatching(/^[0-9a-f]{8}$/);
const faultArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/).filter((f) => f !== 'none');

export const stateArb: fc.Arbitrary<GeneratorState> = fc.record({
  output: fc.constantFrom('on', 'off'),
  mode: fc.constantFrom('test', 'therapy', 'none'),
  rateHz: wholeArb,
  pulseWidthUs: wholeArb,
  amplitudeUa: wholeArb,
  contacts: contactsArb(),
  batteryPct: fc.integer({ min: 0, max: 100 }),
  faults: fc.array(faultArb, { maxLength: 3 }),
  committed: fc.boolean(),
  programRev: wholeArb,
});

// HELLO's ACK is the longest line: keep its numbers to realistic sizes so it fits in 256 bytes.
const limitArb = fc.integer({ min: 0, max: 99_999 });
const rangeArb = fc.record({ min: limitArb, max: limitArb, step: fc.integer({ min: 1, max: 99_999 }) });

export const hexIdArb = bootIdArb;

export const requestArb: fc.Arbitrary<Request> = fc.oneof(
  fc.record(
    { type: fc.constant('HELLO' as const), seq: seqArb, proto: positiveArb, cid: hexIdArb },
    { requiredKeys: ['type', 'seq', 'proto'] },
  ),
  fc.record({ type: fc.constantFrom('STATE' as const, 'IMP' as const, 'HB' as const), seq: seqArb }),
  fc.record({ type: fc.constant('STOP' as const), seq: seqArb, sess: hexIdArb }, { requiredKeys: ['type', 'seq'] }),
  fc.record({
    type: fc.constant('SET' as const),
    seq: seqArb,
    sess: hexIdArb,
    rev: wholeArb,
    rateHz: wholeArb,
    pulseWidthUs: wholeArb,
    amplitudeUa: wholeArb,
    contacts: contactsArb(),
  }),
  fc.record({
    type: fc.constant('OUTPUT' as const),
    seq: seqArb,
    sess: hexIdArb,
    rev: wholeArb,
    on: fc.boolean(),
    mode: fc.constantFrom('test' as const, 'therapy' as const),
  }),
);

export const replyArb: fc.Arbitrary<Reply> = fc.oneof(
  fc.record(
    {
      type: fc.constant('ACK' as const),
      seq: seqArb,
      of: fc.constant('HELLO' as const),
      identity: fc.record({
        proto: fc.integer({ min: 1, max: 999 }),
        firmware: textArb(1, 24),
        serial: textArb(1, 24),
        bootId: bootIdArb,
      }),
      limits: fc.record({
        amplitudeUa: rangeArb,
        pulseWidthUs: rangeArb,
        rateHz: rangeArb,
        contactCount: fc.integer({ min: 1, max: 32 }),
        contactAreaCm2: fc.integer({ min: 1, max: 100_000 }).map((k) => k / 10_000),
        maxChargeDensity: fc.integer({ min: 1, max: 100_000 }).map((k) => k / 100),
        watchdogMs: fc.integer({ min: 1, max: 999_999 }),
      }),
      session: hexIdArb,
      ended: fc.constantFrom('none' as const, 'test' as const),
    },
    { requiredKeys: ['type', 'seq', 'of', 'identity', 'limits'] },
  ),
  fc.record({
    type: fc.constant('ACK' as const),
    seq: seqArb,
    of: fc.constant('IMP' as const),
    ohms: fc.array(fc.oneof(fc.integer({ min: 0, max: 99_999 }), fc.constantFrom('open' as const, 'short' as const)), {
      minLength: 1,
      maxLength: 32,
    }),
  }),
  fc.record({
    type: fc.constant('ACK' as const),
    seq: seqArb,
    of: fc.constantFrom('STATE' as const, 'SET' as const, 'OUTPUT' as const, 'HB' as const),
    state: stateArb,
  }),
  fc.record({
    type: fc.constant('ACK' as const),
    seq: seqArb,
    of: fc.constant('STOP' as const),
    output: fc.constantFrom('on' as const, 'off' as const),
    rev: wholeArb,
  }),
  fc.record({
    type: fc.constant('NAK' as const),
    seq: fc.integer({ min: 0, max: 999_999_999 }),
    code: fc.integer({ min: 0, max: 999 }),
    message: textArb(0, 120),
  }),
);

export const eventArb: fc.Arbitrary<GeneratorEvent> = fc.record(
  {
    type: fc.constant('EVT' as const),
    kind: fc.constantFrom('boot', 'stopped', 'fault', 'battery', 'program-changed'),
    reason: fc.stringMatching(/^[a-z0-9-]{1,16}$/),
    bootId: bootIdArb,
  },
  { requiredKeys: ['type', 'kind'] },
);

export const telemetryArb: fc.Arbitrary<Telemetry> = fc.record({ type: fc.constant('TEL' as const), state: stateArb });

export const messageArb: fc.Arbitrary<Message> = fc.oneof(requestArb, replyArb, eventArb, telemetryArb);
