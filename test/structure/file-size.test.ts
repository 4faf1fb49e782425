import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from './source-imports.js';

/**
 * Issue 18 done-criterion: no file outside the tests passes 300 lines, so each one can be read at a
 * glance (split by idea when one grows past it). Code is every .ts/.tsx/.js/.mjs/.cjs file in the
 * directories below and at the top level (config files); build output and generated code are not.
 */
const MAX_LINES = 300;
const CODE_DIRS = ['src', 'protocol', 'firmware-sim', 'bench', 'scripts', 'bin'];
const NOT_WRITTEN_BY_HAND = /(^|\/)(dist|generated|node_modules|coverage|reports)\//;
const CODE = /\.(tsx?|mjs|js|cjs)$/;

/** Lines as an editor numbers them: a final newline ends the last line, it does not start another. */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** The repository-relative paths of the code outside test/. */
function codeOutsideTests(): string[] {
  const inDirs = CODE_DIRS.filter((dir) => existsSync(path.join(ROOT, dir))).flatMap((dir) =>
    sourceFiles(path.join(ROOT, dir)),
  );
  const topLevel = readdirSync(ROOT)
    .map((name) => path.join(ROOT, name))
    .filter((full) => statSync(full).isFile() && CODE.test(full) && !full.endsWith('.d.ts'));
  return [...inDirs, ...topLevel]
    .map((full) => path.relative(ROOT, full).split(path.sep).join('/'))
    .filter((rel) => !NOT_WRITTEN_BY_HAND.test(rel))
    .sort();
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
