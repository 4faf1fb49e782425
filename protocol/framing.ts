import { crc16Hex } from './crc16.js';
import { MAX_LINE_BYTES } from './limits.js';

/**
 * One protocol line: `VERB key=value key=value*CRC`.
 * Values are bare tokens or double-quoted text. CRC-16/CCITT-FALSE over every byte before `*`,
 * four upper-case hex digits.
 */
export interface Frame {
  verb: string;
  fields: Record<string, string>;
}

export type FrameError =
  { code: 'too-long'; detail: string } | { code: 'bad-crc'; detail: string } | { code: 'malformed'; detail: string };

export type FrameResult = { ok: true; frame: Frame } | { ok: false; error: FrameError };

const VERB = /^[A-Z]{2,8}$/;
const KEY = /^[a-z][a-z0-9_]{0,23}$/;
const BARE = /^[A-Za-z0-9._:+\-,/]+$/;
const QUOTED_TEXT = /^[\x20-\x7E]*$/;

function formatValue(key: string, value: string): string {
  if (BARE.test(value)) return value;
  const clean = value.replace(/["*\\]/g, "'").replace(/[^\x20-\x7E]/g, '?');
  if (!QUOTED_TEXT.test(clean)) throw new Error(`value of ${key} cannot be encoded`);
  return `"${clean}"`;
}

/** Encodes a frame to a line without its terminator. Throws if the result would exceed the maximum. */
export function encodeFrame(frame: Frame): string {
  if (!VERB.test(frame.verb)) throw new Error(`invalid verb '${frame.verb}'`);
  let body = frame.verb;
  for (const [key, value] of Object.entries(frame.fields)) {
    if (!KEY.test(key)) throw new Error(`invalid field name '${key}'`);
    body += ` ${key}=${formatValue(key, value)}`;
  }
  const line = `${body}*${crc16Hex(body)}`;
  if (Buffer.byteLength(line) > MAX_LINE_BYTES) {
    throw new Error(`encoded line is ${Buffer.byteLength(line)} bytes, over the ${MAX_LINE_BYTES}-byte maximum`);
  }
  return line;
}

function tokenize(body: string): string[] | string {
  const tokens: string[] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i] === ' ') {
      i++;
      continue;
    }
    let j = i;
    while (j < body.length && body[j] !== ' ' && body[j] !== '"') j++;
    if (body[j] === '"') {
      const close = body.indexOf('"', j + 1);
      if (close < 0) return 'unterminated quoted value';
      j = close + 1;
      if (j < body.length && body[j] !== ' ') return 'text after a quoted value';
    }
    tokens.push(body.slice(i, j));
    i = j;
  }
  return tokens;
}

/** Decodes one line (terminator already removed; a trailing `\r` is accepted). */
export function decodeFrame(raw: string): FrameResult {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (Buffer.byteLength(line) > MAX_LINE_BYTES) {
    return { ok: false, error: { code: 'too-long', detail: `line longer than ${MAX_LINE_BYTES} bytes` } };
  }
  const star = line.lastIndexOf('*');
  if (star < 0)
    return {
      ok: false,
      error: { code: 'malformed', detail: 'line does not end in a CRC (a star and four hex digits)' },
    };
  const body = line.slice(0, star);
  const crc = line.slice(star + 1);
  // Upper case only: with lower case also accepted, one changed byte (A -> a) would still decode.
  if (!/^[0-9A-F]{4}$/.test(crc))
    return { ok: false, error: { code: 'malformed', detail: 'CRC is not four upper-case hex digits' } };
  if (crc !== crc16Hex(body)) {
    return {
      ok: false,
      error: { code: 'bad-crc', detail: `CRC ${crc} does not match the line (expected ${crc16Hex(body)})` },
    };
  }
  if (!QUOTED_TEXT.test(body))
    return { ok: false, error: { code: 'malformed', detail: 'line holds non-printable or non-ASCII bytes' } };
  const tokens = tokenize(body);
  if (typeof tokens === 'string') return { ok: false, error: { code: 'malformed', detail: tokens } };
  const [verb, ...pairs] = tokens;
  if (verb === undefined || !VERB.test(verb))
    return { ok: false, error: { code: 'malformed', detail: `invalid verb '${verb ?? ''}'` } };
  const fields: Record<string, string> = Object.create(null);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return { ok: false, error: { code: 'malformed', detail: `field '${pair}' is not key=value` } };
    const key = pair.slice(0, eq);
    let value = pair.slice(eq + 1);
    if (!KEY.test(key)) return { ok: false, error: { code: 'malformed', detail: `invalid field name '${key}'` } };
    if (key in fields) return { ok: false, error: { code: 'malformed', detail: `field '${key}' appears twice` } };
    if (value.startsWith('"')) {
      if (!value.endsWith('"') || value.length < 2)
        return { ok: false, error: { code: 'malformed', detail: `bad quoted value for '${key}'` } };
      value = value.slice(1, -1);
      // §2: quoted text never holds `*` or `\` (a sender writes `'`): a `*` inside quotes is a framing error.
      if (/[*\\]/.test(value))
        return { ok: false, error: { code: 'malformed', detail: `quoted value of '${key}' holds '*' or '\\'` } };
    } else if (!BARE.test(value)) {
      return { ok: false, error: { code: 'malformed', detail: `bad value for '${key}'` } };
    }
    fields[key] = value;
  }
  return { ok: true, frame: { verb, fields: { ...fields } } };
}
