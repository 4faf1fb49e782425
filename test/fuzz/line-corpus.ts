import { seededRandom } from '../../firmware-sim/fault-injector.js';
import {
  crc16Hex,
  encodeMessage,
  MAX_LINE_BYTES,
  type GeneratorState,
  type Message,
  type Request,
} from '../../protocol/index.js';

/**
 * Seeded protocol lines for fuzzing: realistic valid lines from both ends, and mutations of them
 * (byte flips, insertions, deletions, truncation, garbage, oversize, CRC case, and body edits with the
 * CRC recomputed so they reach the field and schema checks behind the CRC). One seed, one sequence,
 * so any failure replays exactly.
 */

export type Rng = () => number;

export const rngFor = (seed: number): Rng => seededRandom(seed);
export const int = (r: Rng, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
export const pick = <T>(r: Rng, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

const seq = (r: Rng): number => (r() < 0.05 ? pick(r, [1, 999_999_999, 2, 999_999_998]) : int(r, 1, 999_999_999));
const hexId = (r: Rng): string => int(r, 0, 0xffffffff).toString(16).padStart(8, '0');
const contacts = (r: Rng, n = r() < 0.9 ? 8 : int(r, 1, 32)): string =>
  Array.from({ length: n }, () => pick(r, ['+', '-', '0', '0'])).join('');

/** A value near the simulator's limits (boundary ±1, ±step), inside them, or wildly off. */
function near(r: Rng, min: number, max: number, step: number): number {
  const roll = r();
  if (roll < 0.3) return pick(r, [min, max, min + step, max - step, min + 1, max + 1, Math.max(0, min - 1), max - 1]);
  if (roll < 0.9) return min + step * int(r, 0, Math.floor((max - min) / step));
  return int(r, 0, 999_999_999);
}

/** The session a fuzzed generator is in and its revision, so most SET/OUTPUT lines get past the session gate to the program rules. */
export interface FuzzSession {
  sess: string;
  rev: () => number;
}

/** SET/OUTPUT mostly in `session` (with its current revision), sometimes in a random one. */
function stamped(r: Rng, request: Request, session?: FuzzSession): Request {
  if (!session || (request.type !== 'SET' && request.type !== 'OUTPUT') || r() < 0.2) return request;
  return { ...request, sess: session.sess, rev: session.rev() };
}

export function randomRequest(r: Rng): Request {
  switch (int(r, 0, 9)) {
    case 0:
      return {
        type: 'HELLO',
        seq: seq(r),
        proto: r() < 0.9 ? 2 : int(r, 1, 9),
        ...(r() < 0.9 ? { cid: hexId(r) } : {}),
      };
    case 1:
      return { type: 'STATE', seq: seq(r) };
    case 2:
      return { type: 'STOP', seq: seq(r), ...(r() < 0.5 ? { sess: hexId(r) } : {}) };
    case 3:
      return { type: 'IMP', seq: seq(r) };
    case 4:
      return { type: 'HB', seq: seq(r) };
    case 5:
    case 6:
      return {
        type: 'OUTPUT',
        seq: seq(r),
        sess: hexId(r),
        rev: int(r, 0, 50),
        on: r() < 0.6,
        mode: pick(r, ['test', 'therapy'] as const),
      };
    default:
      return {
        type: 'SET',
        seq: seq(r),
        sess: hexId(r),
        rev: int(r, 0, 50),
        rateHz: near(r, 2, 1200, 1),
        pulseWidthUs: near(r, 20, 1000, 10),
        amplitudeUa: r() < 0.5 ? near(r, 0, 25_500, 50) : 50 * int(r, 0, 200),
        contacts: contacts(r),
      };
  }
}

function randomState(r: Rng): GeneratorState {
  const on = r() < 0.5;
  return {
    output: on ? 'on' : 'off',
    mode: on ? pick(r, ['test', 'therapy'] as const) : 'none',
    rateHz: near(r, 2, 1200, 1),
    pulseWidthUs: near(r, 20, 1000, 10),
    amplitudeUa: near(r, 0, 25_500, 50),
    contacts: contacts(r),
    batteryPct: int(r, 0, 100),
    faults: r() < 0.8 ? [] : [pick(r, ['battery-low', 'battery-empty'])],
    committed: r() < 0.3,
    programRev: int(r, 0, 10_000),
  };
}

/** What a generator sends: replies of every kind, NAKs, events, telemetry. */
export function randomInbound(r: Rng): Message {
  switch (int(r, 0, 7)) {
    case 0:
      return {
        type: 'ACK',
        seq: seq(r),
        of: 'HELLO',
        identity: { proto: 2, firmware: '1.0.0', serial: 'SIM-000001', bootId: hexId(r) },
        session: hexId(r),
        ended: pick(r, ['none', 'test'] as const),
        limits: {
          amplitudeUa: { min: 0, max: 25_500, step: 50 },
          pulseWidthUs: { min: 20, max: 1000, step: 10 },
          rateHz: { min: 2, max: 1200, step: 1 },
          contactCount: 8,
          contactAreaCm2: 0.1225,
          maxChargeDensity: 30,
          watchdogMs: 2000,
        },
      };
    case 1:
      return {
        type: 'ACK',
        seq: seq(r),
        of: 'IMP',
        ohms: Array.from({ length: 8 }, () => pick(r, [int(r, 100, 5000), 'open', 'short'] as const)),
      };
    case 2:
    case 3:
      return r() < 0.2
        ? { type: 'ACK', seq: seq(r), of: 'STOP', output: pick(r, ['on', 'off'] as const), rev: int(r, 0, 10_000) }
        : { type: 'ACK', seq: seq(r), of: pick(r, ['STATE', 'SET', 'OUTPUT', 'HB'] as const), state: randomState(r) };
    case 4:
      return {
        type: 'NAK',
        seq: r() < 0.2 ? 0 : seq(r),
        code: pick(r, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30]),
        message: 'refused',
      };
    case 5:
      return {
        type: 'EVT',
        kind: pick(r, ['boot', 'stopped', 'battery', 'program-changed'] as const),
        reason: 'link-loss',
      };
    default:
      return { type: 'TEL', state: randomState(r) };
  }
}

/** Tokens that a value could wrongly hold: signs, fractions, exponents, units, hex, empty, huge. */
const BAD_VALUES = [
  '-1',
  '-50',
  '2.5',
  '1e3',
  '0x10',
  'NaN',
  'Infinity',
  '""',
  '"2500"',
  '1000000000',
  '99999999999',
  '',
  'mA',
  '25.5mA',
  '+5',
  '00',
  '0',
  '65536',
  'on',
  '"; DROP TABLE diary;--"',
  '../../etc/passwd',
  '$(reboot)',
];
const VERBS = [
  'HELLO',
  'STATE',
  'SET',
  'OUTPUT',
  'STOP',
  'IMP',
  'HB',
  'ACK',
  'NAK',
  'EVT',
  'TEL',
  'FOO',
  'set',
  'S',
  'RESETALL',
  'X1',
];

const withCrc = (body: string): string => `${body}*${crc16Hex(body)}`;
const bodyOf = (line: string): string => line.slice(0, line.lastIndexOf('*'));
const randomByte = (r: Rng): string => {
  let b = int(r, 0, 255);
  if (b === 0x0a) b = 0x0b; // a `\n` would make two lines; the splitter has its own tests
  return String.fromCharCode(b);
};
const printable = (r: Rng, n: number): string =>
  Array.from({ length: n }, () => String.fromCharCode(int(r, 0x20, 0x7e))).join('');

export type MutationKind =
  | 'valid'
  | 'flip'
  | 'insert'
  | 'delete'
  | 'truncate'
  | 'garbage'
  | 'bytes'
  | 'oversize'
  | 'exact-max'
  | 'lowercase-crc'
  | 'no-crc'
  | 'crlf'
  | 'recrc-value'
  | 'recrc-drop-field'
  | 'recrc-dup-field'
  | 'recrc-verb'
  | 'recrc-extra-field'
  | 'recrc-control-char'
  | 'recrc-high-byte'
  | 'recrc-quote';

export const MUTATION_KINDS: readonly MutationKind[] = [
  'valid',
  'flip',
  'insert',
  'delete',
  'truncate',
  'garbage',
  'bytes',
  'oversize',
  'exact-max',
  'lowercase-crc',
  'no-crc',
  'crlf',
  'recrc-value',
  'recrc-drop-field',
  'recrc-dup-field',
  'recrc-verb',
  'recrc-extra-field',
  'recrc-control-char',
  'recrc-high-byte',
  'recrc-quote',
];

export interface FuzzLine {
  kind: MutationKind;
  /** One line without its `\n`; one character per byte (latin1). */
  line: string;
  /** The valid line it was made from. */
  source: string;
}

/** Mutates a valid line in one of the ways above. */
export function mutate(r: Rng, source: string, kind: MutationKind = pick(r, MUTATION_KINDS)): FuzzLine {
  const at = int(r, 0, source.length - 1);
  const body = bodyOf(source);
  const [verb, ...fields] = body.split(' ');
  let line: string;
  switch (kind) {
    case 'valid':
      line = source;
      break;
    case 'flip': {
      let b = source.charCodeAt(at) ^ (1 << int(r, 0, 7));
      if (b === 0x0a) b ^= 0x01;
      line = source.slice(0, at) + String.fromCharCode(b) + source.slice(at + 1);
      break;
    }
    case 'insert':
      line = source.slice(0, at) + randomByte(r) + source.slice(at);
      break;
    case 'delete':
      line = source.slice(0, at) + source.slice(at + 1);
      break;
    case 'truncate':
      line = source.slice(0, at);
      break;
    case 'garbage':
      line = printable(r, int(r, 0, 80));
      break;
    case 'bytes':
      line = Array.from({ length: int(r, 0, 80) }, () => randomByte(r)).join('');
      break;
    case 'oversize':
      line = source + ' ' + 'x'.repeat(int(r, MAX_LINE_BYTES + 2 - source.length, 2000));
      break;
    case 'exact-max': {
      // A line of exactly the maximum: accepted by framing, so it must reach the schema checks.
      const pad = MAX_LINE_BYTES - source.length - ' zz='.length;
      line = pad > 0 ? withCrc(`${body} zz=${'y'.repeat(pad)}`) : source;
      break;
    }
    case 'lowercase-crc':
      line = /[A-F]/.test(source.slice(-4)) ? body + '*' + source.slice(-4).toLowerCase() : body + '*' + 'abcd';
      break;
    case 'no-crc':
      line = body;
      break;
    case 'crlf':
      line = source + '\r';
      break;
    case 'recrc-value': {
      if (fields.length === 0) {
        line = withCrc(`${verb} seq=${pick(r, BAD_VALUES)}`);
        break;
      }
      const i = int(r, 0, fields.length - 1);
      const key = fields[i]!.split('=')[0];
      fields[i] = `${key}=${pick(r, BAD_VALUES)}`;
      line = withCrc([verb, ...fields].join(' '));
      break;
    }
    case 'recrc-drop-field':
      if (fields.length) fields.splice(int(r, 0, fields.length - 1), 1);
      line = withCrc([verb, ...fields].join(' '));
      break;
    case 'recrc-dup-field':
      if (fields.length) fields.push(fields[int(r, 0, fields.length - 1)]!);
      line = withCrc([verb, ...fields].join(' '));
      break;
    case 'recrc-verb':
      line = withCrc([pick(r, VERBS), ...fields].join(' '));
      break;
    case 'recrc-extra-field':
      line = withCrc(
        [
          verb,
          ...fields,
          `${pick(r, ['zz', 'seq', 'amp_ua', 'debug', 'x'])}=${pick(r, ['1', '0', 'on', '25500'])}`,
        ].join(' '),
      );
      break;
    case 'recrc-control-char': {
      const c = String.fromCharCode(pick(r, [0x00, 0x07, 0x08, 0x09, 0x0d, 0x1b, 0x7f]));
      const i = int(r, 0, body.length);
      line = withCrc(body.slice(0, i) + c + body.slice(i));
      break;
    }
    case 'recrc-high-byte': {
      const c = String.fromCharCode(int(r, 0x80, 0xff));
      const i = int(r, 0, body.length);
      line = withCrc(body.slice(0, i) + c + body.slice(i));
      break;
    }
    case 'recrc-quote': {
      const i = int(r, 0, body.length);
      line = withCrc(body.slice(0, i) + pick(r, ['"', '""', '"a b"', '=', '==', ' =x', 'a"b']) + body.slice(i));
      break;
    }
  }
  return { kind, line, source };
}

/** The next fuzz line: a valid request (companion → generator) or inbound line (generator → companion), mutated. */
export function fuzzRequestLine(r: Rng, session?: FuzzSession): FuzzLine {
  return mutate(r, encodeMessage(stamped(r, randomRequest(r), session)));
}
export function fuzzInboundLine(r: Rng): FuzzLine {
  return mutate(r, encodeMessage(randomInbound(r)));
}
