import { describe, expect, it } from 'vitest';
import { crc16Hex, decodeMessage, encodeMessage, type Message } from '../../protocol/index.js';

/** Tests written to kill mutants of protocol/codec.ts: exact error codes, details and sequence numbers. */
const withCrc = (body: string): string => `${body}*${crc16Hex(body)}`;

describe('codec: the sequence number kept on a decode error', () => {
  it('keeps a two-digit seq and the largest seq 999999999', () => {
    expect(decodeMessage(withCrc('NAK seq=12 code=x'))).toEqual({
      ok: false,
      error: {
        code: 'bad-field',
        seq: 12,
        detail: "NAK: field 'code' must be a whole number (no sign, no leading zero), got 'x'",
      },
    });
    expect(decodeMessage(withCrc('NAK seq=999999999 code=x'))).toEqual({
      ok: false,
      error: {
        code: 'bad-field',
        seq: 999999999,
        detail: "NAK: field 'code' must be a whole number (no sign, no leading zero), got 'x'",
      },
    });
  });

  it('drops a seq over 999999999 (the error has no seq key at all)', () => {
    expect(decodeMessage(withCrc('NAK seq=1000000000 code=x'))).toStrictEqual({
      ok: false,
      error: {
        code: 'bad-field',
        detail: "NAK: field 'seq' must be a whole number (no sign, no leading zero), got '1000000000'",
      },
    });
  });
});

describe('codec: field errors name the field and the value', () => {
  it('impedance readings must be whole ohms, open or short', () => {
    for (const bad of ['x12', '12x']) {
      expect(decodeMessage(withCrc(`ACK seq=3 of=IMP ohm=100,${bad}`))).toEqual({
        ok: false,
        error: { code: 'bad-field', seq: 3, detail: `ACK: impedance '${bad}' must be ohms, open or short` },
      });
    }
  });

  it('booleans must be 0 or 1', () => {
    expect(decodeMessage(withCrc('OUTPUT seq=2 sess=5e55a001 rev=0 on=yes mode=test'))).toEqual({
      ok: false,
      error: { code: 'bad-field', seq: 2, detail: "OUTPUT: field 'on' must be 0 or 1, got 'yes'" },
    });
  });

  it('a NAK without msg decodes to an empty message', () => {
    expect(decodeMessage(withCrc('NAK seq=4 code=7'))).toEqual({
      ok: true,
      message: { type: 'NAK', seq: 4, code: 7, message: '' },
    });
  });
});

describe('codec: encode limits', () => {
  it('cuts a NAK message to 120 characters', () => {
    const line = encodeMessage({ type: 'NAK', seq: 1, code: 2, message: 'm'.repeat(200) } as Message);
    const r = decodeMessage(line);
    expect(r.ok && r.message.type === 'NAK' && r.message.message).toBe('m'.repeat(120));
  });

  it('refuses NAK codes the wire cannot carry, with the number in the message', () => {
    expect(() => encodeMessage({ type: 'NAK', seq: 1, code: -1, message: '' } as Message)).toThrow(
      'not a whole number 0–999999999: -1',
    );
    expect(() => encodeMessage({ type: 'NAK', seq: 1, code: 1_000_000_000, message: '' } as Message)).toThrow(
      'not a whole number 0–999999999: 1000000000',
    );
    expect(encodeMessage({ type: 'NAK', seq: 1, code: 999_999_999, message: '' } as Message)).toContain(
      'code=999999999',
    );
  });
});

const HELLO_ACK =
  'ACK seq=1 of=HELLO proto=1 fw=1 sn=S boot=00000000 amp_ua=0:1:1 pw_us=0:1:1 rate_hz=0:1:1 contacts=8 area_cm2=0.5 cd_max=30 wd_ms=2000';
const helloWith = (from: string, to: string) => decodeMessage(withCrc(HELLO_ACK.replace(from, to)));
const badField = (seq: number, detail: string) => ({ ok: false, error: { code: 'bad-field', seq, detail } });

describe("codec: HELLO's ACK fields are read whole", () => {
  it('the fixture decodes', () => {
    expect(decodeMessage(withCrc(HELLO_ACK)).ok).toBe(true);
  });

  it('a decimal with text before or after it', () => {
    expect(helloWith('area_cm2=0.5', 'area_cm2=x0.5')).toEqual(
      badField(1, "ACK: field 'area_cm2' must be a decimal number, got 'x0.5'"),
    );
    expect(helloWith('area_cm2=0.5', 'area_cm2=0.5x')).toEqual(
      badField(1, "ACK: field 'area_cm2' must be a decimal number, got '0.5x'"),
    );
  });

  it('a range with text before or after it', () => {
    expect(helloWith('amp_ua=0:1:1', 'amp_ua=x0:1:1')).toEqual(
      badField(1, "ACK: field 'amp_ua' must be min:max:step, got 'x0:1:1'"),
    );
    expect(helloWith('amp_ua=0:1:1', 'amp_ua=0:1:1x')).toEqual(
      badField(1, "ACK: field 'amp_ua' must be min:max:step, got '0:1:1x'"),
    );
  });
});

describe('codec: schema errors are spelled out field by field', () => {
  it('every issue with its path, joined by semicolons (a schema error inside the frame reader)', () => {
    const r = decodeMessage(withCrc(HELLO_ACK.replace('proto=1', 'proto=0').replace('boot=00000000', 'boot=zz')));
    expect(r).toEqual(
      badField(
        1,
        'ACK: proto: Too small: expected number to be >0; bootId: Invalid string: must match pattern /^[0-9a-f]{8}$/',
      ),
    );
  });

  it('a nested path is joined with dots', () => {
    expect(helloWith('amp_ua=0:1:1', 'amp_ua=0:1:0')).toEqual(
      badField(1, 'ACK: amplitudeUa.step: Too small: expected number to be >0'),
    );
  });

  it('a schema error on the whole message: its path, or "message" when it has none', () => {
    expect(decodeMessage(withCrc('HB seq=0'))).toEqual(badField(0, 'HB: seq: Too small: expected number to be >=1'));
    expect(decodeMessage(withCrc('OUTPUT seq=1 sess=5e55a001 rev=0 on=1 mode=none'))).toEqual(
      badField(1, 'OUTPUT: message: Invalid input'),
    );
  });
});
