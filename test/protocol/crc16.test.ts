import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc16, crc16Hex } from '../../protocol/index.js';

describe('crc16 (CRC-16/CCITT-FALSE)', () => {
  it('has the standard check value', () => {
    expect(crc16('123456789')).toBe(0x29b1);
    expect(crc16Hex('123456789')).toBe('29B1');
  });

  it('starts from 0xFFFF (empty input) and pads hex to four upper-case digits', () => {
    expect(crc16('')).toBe(0xffff);
    expect(crc16Hex('A')).toMatch(/^[0-9A-F]{4}$/);
    expect(crc16Hex('A')).toBe(crc16('A').toString(16).toUpperCase().padStart(4, '0'));
  });

  it('matches a bitwise reference implementation', () => {
    const reference = (text: string): number => {
      let crc = 0xffff;
      for (const ch of Buffer.from(text, 'latin1')) {
        crc ^= ch << 8;
        for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
      }
      return crc;
    };
    fc.assert(fc.property(fc.string({ unit: 'binary-ascii', maxLength: 300 }), (s) => crc16(s) === reference(s)));
  });
});
