import type { GeneratorState, ImpedanceReading, Range } from './messages.js';

/*
 * The field values of a protocol line, written and read: whole numbers, decimals, ranges, flags and
 * the generator state's fields (PROTOCOL.md §2). codec.ts builds and reads whole messages with them.
 */

// ---- field formatting -------------------------------------------------------------------------

/** The wire carries whole numbers of 1–9 digits (PROTOCOL.md §2); anything bigger would not decode. */
const MAX_WIRE_INT = 999_999_999;
export const int = (n: number): string => {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_WIRE_INT)
    throw new Error(`not a whole number 0–${MAX_WIRE_INT}: ${n}`);
  return String(n);
};
export const range = (r: Range): string => `${int(r.min)}:${int(r.max)}:${int(r.step)}`;
export const decimal = (n: number): string => {
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a non-negative number: ${n}`);
  const text = String(Number(n.toPrecision(6)));
  // No exponent, at most 6 integer and 6 fraction digits: the form decodeMessage accepts.
  if (!/^\d{1,6}(\.\d{1,6})?$/.test(text))
    throw new Error(`not a decimal the wire can carry (≤6 integer and ≤6 fraction digits): ${n}`);
  return text;
};

/** A generator state's fields as the ACK of STATE, SET and OUTPUT and the TEL line carry them (PROTOCOL.md §4.2, §4.10). */
export function stateFields(s: GeneratorState): Record<string, string> {
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

// ---- field parsing ---------------------------------------------------------------------------

/** A field missing or not in its wire form: the decoder answers it with `bad-field`. */
export class FieldError extends Error {}

export function need(f: Record<string, string>, key: string): string {
  const v = f[key];
  if (v === undefined) throw new FieldError(`missing field '${key}'`);
  return v;
}
/** A whole number on the wire: 1–9 digits, no sign, no leading zero (0 itself is `0`), PROTOCOL.md §2. */
const WHOLE = '(?:0|[1-9]\\d{0,8})';
const WHOLE_RE = new RegExp(`^${WHOLE}$`);
export function intField(f: Record<string, string>, key: string): number {
  const v = need(f, key);
  if (!WHOLE_RE.test(v))
    throw new FieldError(`field '${key}' must be a whole number (no sign, no leading zero), got '${v}'`);
  return Number(v);
}
export function decimalField(f: Record<string, string>, key: string): number {
  const v = need(f, key);
  if (!/^(?:0|[1-9]\d{0,5})(\.\d{1,6})?$/.test(v))
    throw new FieldError(`field '${key}' must be a decimal number, got '${v}'`);
  return Number(v);
}
/** A NAK names the line's seq when it is a wire number (0..MAX_SEQ, 0 meaning none); otherwise seq=0 (§6). */
export function readableSeq(text: string | undefined): number | undefined {
  return text !== undefined && WHOLE_RE.test(text) ? Number(text) : undefined;
}
export function optionalField(f: Record<string, string>, key: string): Record<string, string> {
  return f[key] === undefined ? {} : { [key]: f[key] };
}
export function rangeField(f: Record<string, string>, key: string): Range {
  const v = need(f, key);
  const m = new RegExp(`^(${WHOLE}):(${WHOLE}):(${WHOLE})$`).exec(v);
  if (!m) throw new FieldError(`field '${key}' must be min:max:step, got '${v}'`);
  return { min: Number(m[1]), max: Number(m[2]), step: Number(m[3]) };
}
export function boolField(f: Record<string, string>, key: string): boolean {
  const v = need(f, key);
  if (v !== '0' && v !== '1') throw new FieldError(`field '${key}' must be 0 or 1, got '${v}'`);
  return v === '1';
}
export function impedance(v: string): ImpedanceReading {
  if (v === 'open' || v === 'short') return v;
  if (!WHOLE_RE.test(v)) throw new FieldError(`impedance '${v}' must be ohms, open or short`);
  return Number(v);
}
/** The generator state read back from the fields `stateFields` writes. */
export function stateFromFields(f: Record<string, string>): GeneratorState {
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
