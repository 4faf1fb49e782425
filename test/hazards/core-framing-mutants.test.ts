import { describe, expect, it } from 'vitest';
import { crc16Hex } from '../../protocol/crc16.js';
import { decodeFrame, encodeFrame } from '../../protocol/framing.js';
import { MAX_LINE_BYTES } from '../../protocol/limits.js';

/** Tests written to kill mutants of protocol/framing.ts: exact error codes and details, exact boundaries. */
const withCrc = (body: string): string => `${body}*${crc16Hex(body)}`;
const malformed = (detail: string) => ({ ok: false, error: { code: 'malformed', detail } });

describe('framing: encode boundaries', () => {
  it('encodes a line of exactly the maximum length and refuses one byte more', () => {
    // `PING a=` + value + `*` + 4 CRC digits
    const fits = 'x'.repeat(MAX_LINE_BYTES - 'PING a='.length - 5);
    expect(encodeFrame({ verb: 'PING', fields: { a: fits } })).toHaveLength(MAX_LINE_BYTES);
    expect(() => encodeFrame({ verb: 'PING', fields: { a: `${fits}x` } })).toThrow(
      `encoded line is ${MAX_LINE_BYTES + 1} bytes, over the ${MAX_LINE_BYTES}-byte maximum`,
    );
  });
});

describe('framing: decode errors say exactly what is wrong', () => {
  it('a line without a star', () => {
    expect(decodeFrame('PING a=1')).toEqual(malformed('line does not end in a CRC (a star and four hex digits)'));
  });

  it('a line that is only a CRC (star at position 0) reaches the verb check', () => {
    expect(decodeFrame(withCrc(''))).toEqual(malformed("invalid verb ''"));
  });

  it('a CRC with a fifth digit or a leading extra character is malformed, not a CRC mismatch', () => {
    const body = 'PING a=1';
    expect(decodeFrame(`${body}*${crc16Hex(body)}0`)).toEqual(malformed('CRC is not four upper-case hex digits'));
    expect(decodeFrame(`${body}*0${crc16Hex(body)}`)).toEqual(malformed('CRC is not four upper-case hex digits'));
  });

  it('a control byte under a correct CRC', () => {
    expect(decodeFrame(withCrc('PING a=\x01'))).toEqual(malformed('line holds non-printable or non-ASCII bytes'));
  });

  it('an unterminated quote and text glued after a quote', () => {
    expect(decodeFrame(withCrc('PING a="abc'))).toEqual(malformed('unterminated quoted value'));
    expect(decodeFrame(withCrc('PING a="abc"x b=1'))).toEqual(malformed('text after a quoted value'));
  });

  it('a lower-case verb', () => {
    expect(decodeFrame(withCrc('ping a=1'))).toEqual(malformed("invalid verb 'ping'"));
  });

  it('a pair with an empty key is not key=value', () => {
    expect(decodeFrame(withCrc('PING =1'))).toEqual(malformed("field '=1' is not key=value"));
    expect(decodeFrame(withCrc('PING a'))).toEqual(malformed("field 'a' is not key=value"));
  });

  it('an upper-case key', () => {
    expect(decodeFrame(withCrc('PING A=1'))).toEqual(malformed("invalid field name 'A'"));
  });

  it('a value with a quote inside but not at its start is a bad bare value', () => {
    expect(decodeFrame(withCrc('PING a=x"y"'))).toEqual(malformed("bad value for 'a'"));
  });

  it('a quoted value decodes without its quotes, an empty quoted value to the empty string', () => {
    expect(decodeFrame(withCrc('PING a="hi there" b=""'))).toEqual({
      ok: true,
      frame: { verb: 'PING', fields: { a: 'hi there', b: '' } },
    });
  });
});
