import { isDeepStrictEqual } from 'node:util';
import type { Duplex } from 'node:stream';
import { createGeneratorServer } from '../../firmware-sim/generator-server.js';
import {
  ErrorCode,
  MAX_LINE_BYTES,
  countPolarities,
  crc16Hex,
  decodeMessage,
  decodeRequest,
  encodeMessage,
  outputOffSeqOf,
  stopSeqOf,
  isRequestVerb,
  impedanceSplit,
  maxAmplitudeForDensity,
  type DecodeErrorCode,
} from '../../protocol/index.js';
import { emptyLinkStats, type LinkStats } from '../../src/link/link-stats.js';
import { resolveTiming } from '../../src/link/link-timing.js';
import { RequestChannel } from '../../src/link/request-channel.js';
import { CapturingStream } from '../firmware-sim/capturing-stream.js';
import {
  fuzzInboundLine,
  fuzzRequestLine,
  int,
  mutate,
  randomInbound,
  rngFor,
  type MutationKind,
  type Rng,
} from './line-corpus.js';

/**
 * The three decoders fed random and mutated lines: the codec itself, the generator's server (every bad
 * line answered with the right NAK or dropped and counted) and the companion's request channel (every
 * bad line dropped and counted, never taken as a reply). Each returns a report instead of throwing,
 * so the soak can print counts and the seed; tests assert `violations` is empty.
 */

export interface FuzzReport {
  target: string;
  seed: number;
  cases: number;
  /** How many lines of each mutation kind were fed. */
  kinds: Partial<Record<MutationKind, number>>;
  /** How the receiving end classified them (decoded, bad-crc, malformed, NAK 14, ...). */
  outcomes: Record<string, number>;
  /** Longest single case, ms (a hang shows here, and over HANG_MS as a violation). */
  slowestMs: number;
  violations: string[];
}

/** A single line taking this long means the decoder hangs (it normally takes microseconds). */
export const HANG_MS = 2000;
const MAX_VIOLATIONS = 20;

function newReport(target: string, seed: number): FuzzReport {
  return { target, seed, cases: 0, kinds: {}, outcomes: {}, slowestMs: 0, violations: [] };
}
function tally(rec: Record<string, number>, key: string): void {
  rec[key] = (rec[key] ?? 0) + 1;
}
const show = (line: string): string =>
  JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…(${line.length} bytes)` : line);
/** Bytes after the one `\r` a receiver strips. */
const framedLength = (line: string): number => (line.endsWith('\r') ? line.length - 1 : line.length);

function timed(report: FuzzReport, body: () => void, what: string): void {
  const t0 = performance.now();
  body();
  const ms = performance.now() - t0;
  report.slowestMs = Math.max(report.slowestMs, ms);
  if (ms > HANG_MS) fail(report, `${what}: took ${ms.toFixed(0)} ms`);
}
function fail(report: FuzzReport, message: string): void {
  if (report.violations.length < MAX_VIOLATIONS) report.violations.push(`case ${report.cases}: ${message}`);
}

// ---- the codec --------------------------------------------------------------------------------

/** decodeMessage on both ends' lines: never throws; what decodes is printable, CRC-right and canonical. */
export function fuzzCodec(seed: number, cases: number, stopAt = Infinity): FuzzReport {
  const report = newReport('codec', seed);
  const r = rngFor(seed);
  for (let i = 0; i < cases && !timeUp(i, stopAt); i++) {
    report.cases++;
    const f = r() < 0.5 ? fuzzRequestLine(r) : fuzzInboundLine(r);
    tally(report.kinds, f.kind);
    timed(report, () => checkCodecCase(report, f.kind, f.line, f.source), `decode ${show(f.line)}`);
  }
  return report;
}

function checkCodecCase(report: FuzzReport, kind: MutationKind, line: string, source: string): void {
  let decoded: ReturnType<typeof decodeMessage>;
  try {
    decoded = decodeMessage(line);
  } catch (e) {
    fail(report, `decodeMessage threw ${(e as Error).message} on ${show(line)}`);
    return;
  }
  tally(report.outcomes, decoded.ok ? 'decoded' : decoded.error.code);
  const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (decoded.ok) {
    const star = bare.lastIndexOf('*');
    if (!/^[\x20-\x7e]*$/.test(bare)) fail(report, `decoded a line holding a non-printable byte: ${show(line)}`);
    if (bare.length > MAX_LINE_BYTES) fail(report, `decoded a line over ${MAX_LINE_BYTES} bytes`);
    if (star < 0 || bare.slice(star + 1) !== crc16Hex(bare.slice(0, star)))
      fail(report, `decoded a line whose CRC does not match: ${show(line)}`);
    if (kind === 'flip') fail(report, `a one-byte change still decoded: ${show(source)} -> ${show(line)}`);
    try {
      const again = decodeMessage(encodeMessage(decoded.message));
      if (!again.ok || !isDeepStrictEqual(again.message, decoded.message))
        fail(report, `re-encoding ${show(line)} does not round-trip`);
    } catch (e) {
      fail(report, `a decoded message cannot be re-encoded (${(e as Error).message}): ${show(line)}`);
    }
    return;
  }
  const code = decoded.error.code;
  const expected: Partial<Record<MutationKind, DecodeErrorCode>> = {
    oversize: 'too-long',
    'no-crc': 'malformed',
    'lowercase-crc': 'malformed',
    'recrc-control-char': 'malformed',
    'recrc-high-byte': 'malformed',
    'recrc-dup-field': 'malformed',
  };
  if (kind === 'valid' || kind === 'crlf')
    fail(report, `a valid line did not decode (${code}: ${decoded.error.detail}): ${show(line)}`);
  const want = expected[kind];
  if (want && code !== want)
    fail(report, `${kind} should be ${want}, got ${code} (${decoded.error.detail}): ${show(line)}`);
  if (typeof decoded.error.detail !== 'string' || decoded.error.detail.length === 0)
    fail(report, `no detail for ${code}`);
}

// ---- the generator's server ---------------------------------------------------------------------

/** A stand-in serial stream: 'data' is emitted synchronously, writes are collected. */

const NAK_FOR: Record<DecodeErrorCode, number> = {
  'too-long': ErrorCode.LINE_TOO_LONG,
  'bad-crc': ErrorCode.BAD_CRC,
  malformed: ErrorCode.MALFORMED,
  'unknown-verb': ErrorCode.UNKNOWN_VERB,
  'bad-field': ErrorCode.BAD_FIELD,
};

/** Feeds `line\n` in random chunks, as a serial port delivers it. */
function feed(r: Rng, emit: (chunk: Buffer) => void, line: string): void {
  const bytes = Buffer.from(`${line}\n`, 'latin1');
  let at = 0;
  while (at < bytes.length) {
    const n = r() < 0.7 ? bytes.length - at : int(r, 1, bytes.length - at);
    emit(bytes.subarray(at, at + n));
    at += n;
  }
}

/**
 * Lines into the generator server. Per line: over the maximum → one `NAK seq=0 code=11` and an
 * overrun; bad CRC → no reply, counted; other decode errors → one NAK with the mapped code and the
 * line's seq (0 if unreadable); a request → exactly one reply with its seq; a non-request → NAK 13.
 * After every line the model must be inside its hardware and charge-density limits.
 */
export function fuzzGeneratorServer(seed: number, cases: number, stopAt = Infinity): FuzzReport {
  const report = newReport('generator-server', seed);
  const r = rngFor(seed);
  let clock = 0;
  // Every HELLO opens session f00d5e55, so most fuzzed SET/OUTPUT lines reach the program rules.
  const server = createGeneratorServer({
    telemetryHz: 0,
    tickMs: 60_000,
    now: () => clock,
    config: { newBootId: () => 'f00dfeed', newSessionId: () => 'f00d5e55' },
  });
  const session = { sess: 'f00d5e55', rev: () => server.model.state.programRev };
  const stream = new CapturingStream();
  server.attach(stream as unknown as Duplex);
  const expected = { linesIn: 0, badCrc: 0, overruns: 0, naks: 0 };
  const config = server.model.config;
  try {
    for (let i = 0; i < cases && !timeUp(i, stopAt); i++) {
      report.cases++;
      clock += 1;
      // Mostly requests (the generator's real input), some generator-side lines (a misdirected echo).
      const f = r() < 0.85 ? fuzzRequestLine(r, session) : fuzzInboundLine(r);
      tally(report.kinds, f.kind);
      stream.written = [];
      timed(report, () => feed(r, (chunk) => stream.emit('data', chunk), f.line), `server ${show(f.line)}`);
      const replies = stream.written.map((l) => ({ raw: l, d: decodeMessage(l) }));
      for (const reply of replies)
        if (!reply.d.ok) fail(report, `the generator sent an undecodable line ${show(reply.raw)}`);
      const answers = replies.flatMap((x) =>
        x.d.ok && (x.d.message.type === 'ACK' || x.d.message.type === 'NAK') ? [x.d.message] : [],
      );
      expected.naks += answers.filter((a) => a.type === 'NAK').length;
      const expectOne = (what: string, ok: (a: (typeof answers)[number]) => boolean): void => {
        if (answers.length !== 1 || !ok(answers[0]!))
          fail(report, `${what} for ${show(f.line)}; got ${JSON.stringify(answers)}`);
      };
      // CAN (0x18) discards what came before it on the line (§2): the generator sees only what follows the last one.
      const line = f.line.includes('\x18') ? f.line.slice(f.line.lastIndexOf('\x18') + 1) : f.line;
      if (framedLength(line) > MAX_LINE_BYTES) {
        expected.overruns++;
        tally(report.outcomes, 'NAK 11 (overrun)');
        expectOne(
          'expected NAK seq=0 code=11',
          (a) => a.type === 'NAK' && a.seq === 0 && a.code === ErrorCode.LINE_TOO_LONG,
        );
      } else {
        // An empty line is not even counted (PROTOCOL.md §2).
        if (line !== '' && line !== '\r') expected.linesIn++;
        // The generator's view (PROTOCOL.md §6): a valid frame with a verb that is not a request is 13, whatever its fields.
        const d = decodeRequest(line);
        if (line === '' || line === '\r') {
          tally(report.outcomes, 'ignored (empty line)');
          if (answers.length) fail(report, `answered an empty line: ${JSON.stringify(answers)}`);
        } else if (!d.ok && d.error.code === 'bad-crc') {
          expected.badCrc++;
          tally(report.outcomes, 'dropped (bad CRC)');
          if (answers.length) fail(report, `answered a line with a bad CRC: ${show(line)}`);
        } else if (!d.ok && stopSeqOf(line) !== undefined) {
          // STOP is never refused (§4.5): a CRC-valid STOP line runs whatever its other fields say.
          tally(report.outcomes, 'STOP ACK (fields unread)');
          const s = stopSeqOf(line)!;
          expectOne(`expected the ACK of STOP seq=${s}`, (a) => a.type === 'ACK' && a.of === 'STOP' && a.seq === s);
        } else if (!d.ok && outputOffSeqOf(line) !== undefined) {
          // Nor is turning output off (§4.4, v2.2): a CRC-valid OUTPUT on=0 runs whatever else is missing.
          tally(report.outcomes, 'OUTPUT on=0 ACK (fields unread)');
          const s = outputOffSeqOf(line)!;
          expectOne(
            `expected the ACK of OUTPUT on=0 seq=${s}`,
            (a) => a.type === 'ACK' && a.of === 'OUTPUT' && a.seq === s && a.state.output === 'off',
          );
        } else if (!d.ok) {
          const code = NAK_FOR[d.error.code];
          const misdirected = d.error.code === 'unknown-verb' && /^(ACK|NAK|EVT|TEL) /.test(line);
          tally(report.outcomes, misdirected ? 'NAK 13 (not a request)' : `NAK ${code}`);
          expectOne(
            `expected NAK seq=${d.error.seq ?? 0} code=${code}`,
            (a) => a.type === 'NAK' && a.seq === (d.error.seq ?? 0) && a.code === code,
          );
        } else if (isRequestVerb(d.message.type)) {
          const s = (d.message as { seq: number }).seq;
          const answer = answers[0];
          tally(
            report.outcomes,
            answer?.type === 'NAK' ? `${d.message.type} NAK ${answer.code}` : `${d.message.type} ACK`,
          );
          expectOne(
            `expected one reply with seq=${s}`,
            (a) => a.seq === s && (a.type === 'NAK' || a.of === d.message.type),
          );
        } else {
          tally(report.outcomes, 'NAK 13 (not a request)');
          const s = 'seq' in d.message ? d.message.seq : 0;
          expectOne(
            `expected NAK code 13 for a ${d.message.type}`,
            (a) => a.type === 'NAK' && a.code === ErrorCode.UNKNOWN_VERB && a.seq === s,
          );
        }
      }
      // The model, whatever arrived: inside the hardware range, the charge-density limit, and never on without both poles.
      const s = server.model.state;
      const inRange = (v: number, rg: { min: number; max: number; step: number }) =>
        v >= rg.min && v <= rg.max && (v - rg.min) % rg.step === 0;
      if (
        !inRange(s.rateHz, config.rateHz) ||
        !inRange(s.pulseWidthUs, config.pulseWidthUs) ||
        !inRange(s.amplitudeUa, config.amplitudeUa)
      ) {
        fail(report, `generator program outside its hardware range after ${show(f.line)}: ${JSON.stringify(s)}`);
      }
      const { anodes, cathodes } = countPolarities(s.contacts);
      const split = impedanceSplit(s.contacts, server.model.impedances);
      if (
        s.amplitudeUa > 0 &&
        s.amplitudeUa >
          maxAmplitudeForDensity(s.pulseWidthUs, s.contacts, config.contactAreaCm2, config.maxChargeDensity, split)
      ) {
        fail(report, `generator program over the charge-density limit after ${show(f.line)}`);
      }
      if (s.output === 'on' && (anodes === 0 || cathodes === 0))
        fail(report, `output on without an anode and a cathode after ${show(f.line)}`);
    }
    const c = server.counters;
    for (const key of ['linesIn', 'badCrc', 'overruns', 'naks'] as const) {
      if (c[key] !== expected[key]) fail(report, `server counter ${key} is ${c[key]}, expected ${expected[key]}`);
    }
  } finally {
    server.close();
  }
  return report;
}

// ---- the companion's request channel ------------------------------------------------------------

type StatKey = keyof LinkStats;
const COUNTED: StatKey[] = ['linesIn', 'overruns', 'badCrc', 'decodeErrors', 'unmatchedReplies', 'naks', 'retries'];

/**
 * Generator-side lines (replies, events, telemetry) into the companion's RequestChannel while one
 * STATE request is outstanding. Every line is counted in exactly the right counter; only a valid
 * ACK of STATE or a NAK with the outstanding seq answers it; corrupted lines never do.
 */
export function fuzzCompanionChannel(seed: number, cases: number, stopAt = Infinity): FuzzReport {
  const report = newReport('companion-channel', seed);
  const r = rngFor(seed);
  const stream = new CapturingStream();
  const stats = emptyLinkStats();
  let unsolicited = 0;
  const channel = new RequestChannel(
    { stream: stream as unknown as Duplex, close: async () => {} },
    resolveTiming({ requestTimeoutMs: 2_000_000_000, requestRetries: 0 }),
    stats,
    { onUnsolicited: () => unsolicited++, onLost: (reason) => fail(report, `channel lost: ${reason}`) },
  );
  let outstandingSeq = 0;
  let answered: unknown = null;
  const ask = (): void => {
    outstandingSeq = int(r, 1, 65535);
    answered = null;
    // Infinity retries, so a transport NAK (10, 11) leads to a resend, not an answer.
    channel.send({ type: 'STATE', seq: outstandingSeq }, Infinity).then(
      (reply) => (answered = reply),
      () => {},
    );
  };
  ask();
  try {
    for (let i = 0; i < cases && !timeUp(i, stopAt); i++) {
      report.cases++;
      const message = randomInbound(r);
      if ('seq' in message && message.seq !== 0 && r() < 0.3) {
        message.seq = outstandingSeq;
        if (message.type === 'ACK' && r() < 0.7) Object.assign(message, { of: 'STATE' });
      }
      let source: string;
      try {
        source = encodeMessage(message);
      } catch {
        source = encodeMessage(randomInbound(r));
      }
      const f = mutate(r, source);
      tally(report.kinds, f.kind);
      const before = { ...stats };
      const beforeUnsolicited = unsolicited;
      const beforeWritten = stream.written.length;
      timed(report, () => feed(r, (chunk) => stream.emit('data', chunk), f.line), `channel ${show(f.line)}`);
      // Resolution is synchronous inside onLine; the promise callback is not, so look at the outstanding map's effect instead.
      const delta = (k: StatKey) => stats[k] - before[k];
      const changed = COUNTED.filter((k) => delta(k) !== 0);
      const expectDelta = (what: string, want: Partial<Record<StatKey, number>>): void => {
        tally(report.outcomes, what);
        for (const k of COUNTED)
          if (delta(k) !== (want[k] ?? 0))
            fail(
              report,
              `${what}: counter ${k} moved by ${delta(k)}, expected ${want[k] ?? 0} (${show(f.line)}; changed ${changed.join(',')})`,
            );
      };
      // CAN (0x18) discards what came before it on the line, at this end too (§2): the companion sees only what follows the last one.
      const line = f.line.includes('\x18') ? f.line.slice(f.line.lastIndexOf('\x18') + 1) : f.line;
      if (framedLength(line) > MAX_LINE_BYTES) {
        expectDelta('dropped (overrun)', { overruns: 1 });
        continue;
      }
      const d = decodeMessage(line);
      if (!d.ok) {
        expectDelta(d.error.code === 'bad-crc' ? 'dropped (bad CRC)' : 'dropped (undecodable)', {
          linesIn: 1,
          ...(d.error.code === 'bad-crc'
            ? { badCrc: 1 }
            : d.error.code === 'too-long'
              ? { overruns: 1 }
              : { decodeErrors: 1 }),
        });
      } else if (d.message.type === 'TEL' || d.message.type === 'EVT') {
        expectDelta('unsolicited', { linesIn: 1 });
        if (unsolicited !== beforeUnsolicited + 1) fail(report, `TEL/EVT not delivered: ${show(f.line)}`);
      } else if (d.message.type !== 'ACK' && d.message.type !== 'NAK') {
        expectDelta('dropped (request verb from the generator)', { linesIn: 1, decodeErrors: 1 });
      } else {
        const m = d.message;
        const nak = m.type === 'NAK' ? 1 : 0;
        const matches = m.seq === outstandingSeq && (m.type === 'NAK' || m.of === 'STATE');
        if (!matches) {
          expectDelta('unmatched reply', { linesIn: 1, naks: nak, unmatchedReplies: 1 });
        } else if (m.type === 'NAK' && (m.code === ErrorCode.BAD_CRC || m.code === ErrorCode.LINE_TOO_LONG)) {
          expectDelta('transport NAK: resent', { linesIn: 1, naks: 1, retries: 1 });
          if (stream.written.length !== beforeWritten + 1) fail(report, `a transport NAK did not resend the request`);
        } else {
          expectDelta('answered the outstanding request', { linesIn: 1, naks: nak });
          ask();
        }
      }
    }
  } finally {
    void channel.close('fuzz done');
  }
  void answered;
  return report;
}

/** Every target once; the soak runs this with ≥10^5 cases in total. */
/**
 * All four targets. With a time box (`boxMs`), target k of 4 stops at the k-th quarter of it: it runs a
 * prefix of its seeded cases (report.cases says how many), so a run is still replayed by its seed.
 */
export function fuzzAll(seed: number, casesPerTarget: number, boxMs = Infinity): FuzzReport[] {
  const t0 = performance.now();
  const until = (k: number) => t0 + (boxMs * k) / 4;
  return [
    fuzzCodec(seed, casesPerTarget, until(1)),
    fuzzGeneratorServer(seed + 1, casesPerTarget, until(2)),
    fuzzCompanionChannel(seed + 2, casesPerTarget, until(3)),
    fuzzEncoder(seed + 3, casesPerTarget, until(4)),
  ];
}

/** The time box only truncates: checked every 256 cases (reading the clock costs more than a case). */
function timeUp(i: number, stopAt: number): boolean {
  return stopAt !== Infinity && i % 256 === 0 && i > 0 && performance.now() > stopAt;
}

// ---- the encoder (H7) ---------------------------------------------------------------------------

/** Values a caller could wrongly pass: NaN, infinities, negatives, fractions (mA given where µA belongs), too big for the wire, wrong types. */
export const HOSTILE_NUMBERS: readonly unknown[] = [
  Number.NaN,
  Infinity,
  -Infinity,
  -1,
  -50,
  -0,
  0.5,
  2.5,
  25.5,
  1e-7,
  999_999_999,
  1_000_000_000,
  1e10,
  25_500_000,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  1e21,
  '2500',
  null,
  undefined,
  true,
  [],
  {},
];

/**
 * Requests with hostile values in one field: encodeMessage must throw, or write a line that decodes
 * back to exactly the same request. A line the receiver cannot decode must never be written.
 */
export function fuzzEncoder(seed: number, cases: number, stopAt = Infinity): FuzzReport {
  const report = newReport('encoder', seed);
  const r = rngFor(seed);
  for (let i = 0; i < cases && !timeUp(i, stopAt); i++) {
    report.cases++;
    const base = randomRequestForEncoder(r);
    const keys = Object.keys(base).filter((k) => k !== 'type');
    const key = keys[int(r, 0, keys.length - 1)]!;
    const value = r() < 0.7 ? HOSTILE_NUMBERS[int(r, 0, HOSTILE_NUMBERS.length - 1)] : int(r, 0, 2_000_000_000);
    const message = { ...base, [key]: value };
    timed(
      report,
      () => {
        let line: string;
        try {
          line = encodeMessage(message as never);
        } catch {
          tally(report.outcomes, 'refused');
          return;
        }
        tally(report.outcomes, 'encoded');
        const back = decodeMessage(line);
        if (!back.ok)
          fail(
            report,
            `encoded ${key}=${String(value)} as a line the receiver refuses (${back.error.detail}): ${show(line)}`,
          );
        else if (JSON.stringify(back.message) !== JSON.stringify(message))
          fail(report, `encoded ${key}=${String(value)} but it decodes as ${JSON.stringify(back.message)}`);
      },
      `encode ${key}=${String(value)}`,
    );
  }
  return report;
}

function randomRequestForEncoder(r: Rng): Record<string, unknown> {
  const m = encodeAble(r);
  return { ...m };
}
function encodeAble(r: Rng) {
  for (;;) {
    const line = fuzzRequestLine(r);
    if (line.kind !== 'valid') continue;
    const d = decodeMessage(line.line);
    if (d.ok) return d.message;
  }
}
