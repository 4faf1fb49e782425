import { describe, expect, it } from 'vitest';
import { ScreenEmulator } from './screen-emulator.js';

describe('screen emulator (test support)', () => {
  it('redraws over erased lines the way log-update does', () => {
    const s = new ScreenEmulator(20, 5);
    s.write('first\r\nframe\r\n');
    s.write('\u001B[2K\u001B[1A\u001B[2K\u001B[1A\u001B[2K\u001B[Gsecond\r\n\u001B[31mred\u001B[39m\r\n');
    expect(s.text().split('\n').slice(0, 2)).toEqual(['second', 'red']);
  });

  it('scrolls at the bottom and wraps long lines', () => {
    const s = new ScreenEmulator(4, 2);
    s.write('abcdef\r\ng');
    expect(s.text()).toBe('ef\ng');
  });

  it('keeps a sequence split across writes', () => {
    const s = new ScreenEmulator(10, 2);
    s.write('xy\u001B[');
    s.write('1Dz');
    expect(s.text()).toBe('xz\n');
  });
});
