import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeOutsideTests, ROOT } from './source-imports.js';

/**
 * Issue 18 done-criterion: no file outside the tests passes 300 lines, so each one can be read at a
 * glance (split by idea when one grows past it). Which files count: `codeOutsideTests`.
 */
const MAX_LINES = 300;
/** Lines as an editor numbers them: a final newline ends the last line, it does not start another. */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe(`every file outside test/ has at most ${MAX_LINES} lines (issue 18)`, () => {
  it('counts lines as an editor does', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a')).toBe(1);
    expect(lineCount('a\n')).toBe(1);
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\n\n')).toBe(2);
    expect(lineCount('x\n'.repeat(MAX_LINES + 1))).toBeGreaterThan(MAX_LINES);
  });

  it('finds the code of every directory outside test/, config files included', () => {
    const files = codeOutsideTests();
    for (const expected of [
      'src/session/session-machine.ts',
      'protocol/codec.ts',
      'firmware-sim/generator-server.ts',
      'bin/scs.js',
      'stryker.config.mjs',
    ])
      expect(files).toContain(expected);
    expect(files.some((f) => f.startsWith('test/'))).toBe(false);
    expect(files.some((f) => f.startsWith('bench/'))).toBe(true);
  });

  it('no such file passes the limit (the message names each one and its length)', () => {
    const over = codeOutsideTests()
      .map((file) => ({ file, lines: lineCount(readFileSync(path.join(ROOT, file), 'utf8')) }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(over, `split these by idea (one concept per file, under ${MAX_LINES} lines)`).toEqual([]);
  });
});
