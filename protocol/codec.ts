import { z } from 'zod';
import { decodeFrame, encodeFrame, type Frame } from './framing.js';
import {
  GeneratorEvent,
  GeneratorState,
  HardwareLimits,
  Identity,
  Reply,
  Request,
  Telemetry,
  type ImpedanceReading,
  type Message,
  type Range,
} from './messages.js';

/**
 * The one encode/decode module: typed messages <-> protocol lines. Both ends use it, so the
 * companion and the generator cannot disagree on a field name or unit.
 */

export type DecodeErrorCode = 'too-long' | 'bad-crc' | 'malformed' | 'unknown-verb' | 'bad-field';
export interface DecodeError {
  code: DecodeErrorCode;
  detail: string;
  /** The request's sequence number when it could be read (so a NAK can name it). */
  seq?: number;
}
export type DecodeResult<T> = { ok: true; message: T } | { ok: false; error: DecodeError };

const REQUEST_VERBS = new Set(['HELLO', 'STATE', 'SET', 'OUTPUT', 'STOP', 'IMP', 'HB']);

// ---- field formatting -------------------------------------------------------------------------

/** The wire carries whole numbers of 1–9 digits (PROTOCOL.md §2); anything bigger would not decode. */
const MAX_WIRE_INT = 999_999_999;
const int = (n: number): string => {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_WIRE_INT)
    throw new Error(`not a whole number 0–${MAX_WIRE_INT}: ${n}`);
  return String(n);
};
const range = (r: Range): string => `${int(r.min)}:${int(r.max)}:${int(r.step)}`;
const decimal = (n: number): string => {
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a non-negative number: ${n}`);
  const text = String(Number(n.toPrecision(6)));
  // No exponent, at most 6 integer and 6 fraction digits: the form decodeMessage accepts.
  if (!/^\d{1,6}(\.\d{1,6})?$/.test(text))
    throw new Error(`not a decimal the wire can carry (≤6 integer and ≤6 fraction digits): ${n}`);
  return text;
};

function stateFields(s: GeneratorState): Record<string, string> {
  return {
    out: s.output,
    mode: s.mode,
    rate_hz: int(s.rateHz),
    pw_us: int(s.pulseWidthUs),
    amp_ua: int(s.amplitudeUa),
    el: s.contacts,
    bat: int(s.batteryPct),
    flt: s.faults.length ? s.faults.join(',') : 'none',
    com: s.committed ? '1' : '0',
    rev: int(s.programRev),
  };
}

/** Encodes a message to a line without its terminator. Validates it first: a bad message never reaches the wire. */
export function encodeMessage(message: Message): string {
  return encodeFrame(toFrame(message));
}

function toFrame(m: Message): Frame {
  switch (m.type) {
    case 'HELLO':
      Request.parse(m);
      return {
        verb: 'HELLO',
        fields: { seq: int(m.seq), proto: int(m.proto), ...(m.cid !== undefined ? { cid: m.cid } : {}) },
      };
    case 'STOP':
    case 'STATE':
    case 'IMP':
    case 'HB':
      Request.parse(m);
      return { verb: m.type, fields: { seq: int(m.seq), ...(m.sess !== undefined ? { sess: m.sess } : {}) } };
    case 'SET':
      Request.parse(m);
      return {
        verb: 'SET',
        fields: {
          seq: int(m.seq),
          sess: m.sess,
          rev: int(m.rev),
          rate_hz: int(m.rateHz),
          pw_us: int(m.pulseWidthUs),
          amp_ua: int(m.amplitudeUa),
          el: m.contacts,
        },
      };
    case 'OUTPUT':
      Request.parse(m);
      return {
        verb: 'OUTPUT',
        fields: { seq: int(m.seq), sess: m.sess, rev: int(m.rev), on: m.on ? '1' : '0', mode: m.mode },
      };
    case 'ACK': {
      Reply.parse(m);
      const head = { seq: int(m.seq), of: m.of };
      if (m.of === 'HELLO') {
        const { identity: id, limits: l } = m;
        return {
          verb: 'ACK',
          fields: {
            ...head,
            proto: int(id.proto),
            ...(m.session !== undefined ? { sess: m.session } : {}),
            fw: id.firmware,
            sn: id.serial,
            boot: id.bootId,
            amp_ua: range(l.amplitudeUa),
            pw_us: range(l.pulseWidthUs),
            rate_hz: range(l.rateHz),
            contacts: int(l.contactCount),
            area_cm2: decimal(l.contactAreaCm2),
            cd_max: decimal(l.maxChargeDensity),
            wd_ms: int(l.watchdogMs),
            ...(m.ended !== undefined ? { ended: m.ended } : {}),
          },
        };
      }
      if (m.of === 'STOP') return { verb: 'ACK', fields: { ...head, out: m.output, rev: int(m.rev) } };
      if (m.of === 'IMP') return { verb: 'ACK', fields: { ...head, ohm: m.ohms.map((o) => String(o)).join(',') } };
      return { verb: 'ACK', fields: { ...head, ...stateFields(m.state) } };
    }
    case 'NAK':
      Reply.parse(m);
      return { verb: 'NAK', fields: { seq: String(m.seq), code: int(m.code), msg: m.message.slice(0, 120) } };
    case 'EVT': {
      GeneratorEvent.parse(m);
      const fields: Record<string, string> = { kind: m.kind };
      if (m.reason) fields.reason = m.reason;
      if (m.bootId) fields.boot = m.bootId;
      return { verb: 'EVT', fields };
    }
    case 'TEL':
      Telemetry.parse(m);
      return { verb: 'TEL', fields: stateFields(m.state) };
  }
}

// ---- field parsing ---------------------------------------------------------------------------

class FieldError extends Error {}

function need(f: Record<string, string>, key: string): string {
  const v = f[key];
  if (v === undefined) throw new FieldError(`missing field '${key}'`);
  return v;
}
/** A whole number on the wire: 1–9 digits, no sign, no leading zero (0 itself is `0`), PROTOCOL.md §2. */
const WHOLE = '(?:0|[1-9]\\d{0,8})';
const WHOLE_RE = new RegExp(`^${WHOLE}$`);
function intField(f: Record<string, string>, key: string): number {
  const v = need(f, key);
  if (!WHOLE_RE.test(v))
    throw new FieldError(`field '${key}' must be a whole number (no sign, no leading zero), got '${v}'`);
  return Number(v);
}
function decimalField(f: Record<string, string>, key: string): number {
  const v = need(f, key);
  if (!/^(?:0|[1-9]\d{0,5})(\.\d{1,6})?$/.test(v))
    throw new FieldError(`field '${key}' must be a decimal number, got '${v}'`);
  return Number(v);
}
/** A NAK names the line's seq when it is a wire number (0..MAX_SEQ, 0 meaning none); otherwise seq=0 (§6). */
function readableSeq(text: string | undefined): number | undefined {
  return text !== undefined && WHOLE_RE.test(text) ? Number(text) : undefined;
}
function optionalField(f: Record<string, string>, key: string): Record<string, string> {
  return f[key] === undefined ? {} : { [key]: f[key] };
}
function rangeField(f: Record<string, string>, key: string): Range {
  const v = need(f, key);
  const m = new RegExp(`^(${WHOLE}):(${WHOLE}):(${WHOLE})$`).exec(v);
  if (!m) throw new FieldError(`field '${key}' must be min:max:step, got '${v}'`);
  return { min: Number(m[1]), max: Number(m[2]), step: Number(m[3]) };
}
function boolField(f: Record<string, string>, key: string): boolean {
  const v = need(f, key);
  if (v !== '0' && v !== '1') throw new FieldError(`field '${key}' must be 0 or 1, got '${v}'`);
  return v === '1';
}
function impedance(v: string): ImpedanceReading {
  if (v === 'open' || v === 'short') return v;
  if (!WHOLE_RE.test(v)) throw new FieldError(`impedance '${v}' must be ohms, open or short`);
  return Number(v);
}
function stateFromFields(f: Record<string, string>): GeneratorState {
  const flt = need(f, 'flt');
  return {
    output: need(f, 'out') as 'on' | 'off',
    mode: need(f, 'mode') as 'test' | 'therapy' | 'none',
    rateHz: intField(f, 'rate_hz'),
    pulseWidthUs: intField(f, 'pw_us'),
    amplitudeUa: intField(f, 'amp_ua'),
    contacts: need(f, 'el'),
    batteryPct: intField(f, 'bat'),
    faults: flt === 'none' ? [] : flt.split(','),
    committed: boolField(f, 'com'),
    programRev: intField(f, 'rev'),
  };
}

function fromFrame(frame: Frame): unknown {
  const f = frame.fields;
  switch (frame.verb) {
    case 'HELLO':
      return {
        type: 'HELLO',
        seq: intField(f, 'seq'),
        proto: intField(f, 'proto'),
        ...(f.cid !== undefined ? { cid: f.cid } : {}),
      };
    case 'STOP':
    case 'STATE':
    case 'IMP':
    case 'HB':
      return { type: frame.verb, seq: intField(f, 'seq'), ...optionalField(f, 'sess') };
    case 'SET':
      return {
        type: 'SET',
        seq: intField(f, 'seq'),
        sess: need(f, 'sess'),
        rev: intField(f, 'rev'),
        rateHz: intField(f, 'rate_hz'),
        pulseWidthUs: intField(f, 'pw_us'),
        amplitudeUa: intField(f, 'amp_ua'),
        contacts: need(f, 'el'),
      };
    case 'OUTPUT':
      return {
        type: 'OUTPUT',
        seq: intField(f, 'seq'),
        sess: need(f, 'sess'),
        rev: intField(f, 'rev'),
        on: boolField(f, 'on'),
        mode: need(f, 'mode'),
      };
    case 'ACK': {
      const head = { type: 'ACK', seq: intField(f, 'seq'), of: need(f, 'of') };
      if (head.of === 'HELLO') {
        return {
          ...head,
          identity: Identity.parse({
            proto: intField(f, 'proto'),
            firmware: need(f, 'fw'),
            serial: need(f, 'sn'),
            bootId: need(f, 'boot'),
          }),
          limits: HardwareLimits.parse({
            amplitudeUa: rangeField(f, 'amp_ua'),
            pulseWidthUs: rangeField(f, 'pw_us'),
            rateHz: rangeField(f, 'rate_hz'),
            contactCount: intField(f, 'contacts'),
            contactAreaCm2: decimalField(f, 'area_cm2'),
            maxChargeDensity: decimalField(f, 'cd_max'),
            watchdogMs: intField(f, 'wd_ms'),
          }),
          ...(f.sess !== undefined ? { session: f.sess } : {}),
          ...(f.ended !== undefined ? { ended: f.ended } : {}),
        };
      }
      if (head.of === 'STOP') return { ...head, output: need(f, 'out'), rev: intField(f, 'rev') };
      if (head.of === 'IMP') return { ...head, ohms: need(f, 'ohm').split(',').map(impedance) };
      return { ...head, state: stateFromFields(f) };
    }
    case 'NAK':
      return { type: 'NAK', seq: intField(f, 'seq'), code: intField(f, 'code'), message: f.msg ?? '' };
    case 'EVT':
      return { type: 'EVT', kind: need(f, 'kind'), reason: f.reason, bootId: f.boot };
    case 'TEL':
      return { type: 'TEL', state: stateFromFields(f) };
    default:
      return undefined;
  }
}

const AnyMessage = z.union([Request, Reply, GeneratorEvent, Telemetry]);

function describeZod(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
}

/** Decodes a line (terminator removed) into a validated message, or says exactly what is wrong with it. */
export function decodeMessage(line: string): DecodeResult<Message> {
  const framed = decodeFrame(line);
  if (!framed.ok) return { ok: false, error: framed.error };
  const { frame } = framed;
  const seq = readableSeq(frame.fields.seq);
  const withSeq = (code: DecodeErrorCode, detail: string): DecodeResult<Message> => ({
    ok: false,
    error: seq === undefined ? { code, detail } : { code, detail, seq },
  });
  let candidate: unknown;
  try {
    candidate = fromFrame(frame);
  } catch (e) {
    if (e instanceof FieldError) return withSeq('bad-field', `${frame.verb}: ${e.message}`);
    if (e instanceof z.ZodError) return withSeq('bad-field', `${frame.verb}: ${describeZod(e)}`);
    throw e;
  }
  if (candidate === undefined) return withSeq('unknown-verb', `unknown verb '${frame.verb}'`);
  const parsed = AnyMessage.safeParse(candidate);
  if (!parsed.success) return withSeq('bad-field', `${frame.verb}: ${describeZod(parsed.error)}`);
  return { ok: true, message: parsed.data as Message };
}

export function isRequestVerb(verb: string): boolean {
  return REQUEST_VERBS.has(verb);
}

/**
 * What the generator decodes: like decodeMessage, but a line with a valid frame whose verb is not a
 * request (ACK, NAK, EVT, TEL, or any other) is UNKNOWN_VERB whatever its fields (§6), so the answer
 * does not depend on how complete a misdirected reply is.
 */
export function decodeRequest(line: string): DecodeResult<Request> {
  const framed = decodeFrame(line);
  if (framed.ok && !REQUEST_VERBS.has(framed.frame.verb)) {
    const seq = readableSeq(framed.frame.fields.seq);
    const detail = `the generator does not accept ${framed.frame.verb}`;
    return {
      ok: false,
      error: seq === undefined ? { code: 'unknown-verb', detail } : { code: 'unknown-verb', detail, seq },
    };
  }
  return decodeMessage(line) as DecodeResult<Request>;
}
