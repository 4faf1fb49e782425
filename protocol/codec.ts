import { z } from 'zod';
import { decodeFrame, encodeFrame, type Frame } from './framing.js';
import { GeneratorEvent, HardwareLimits, Identity, Reply, Request, Telemetry, type Message } from './messages.js';
import {
  boolField,
  decimal,
  decimalField,
  FieldError,
  impedance,
  int,
  intField,
  need,
  optionalField,
  range,
  rangeField,
  readableSeq,
  stateFields,
  stateFromFields,
} from './wire-fields.js';

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
