import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeOutsideTests, ROOT } from './source-imports.js';

/**
 * Issue 18 item 5: the documents the code cites live in the repository, so a reader of the code can
 * open them. A cited `NAME.md` is found when a file of that name is in the repository; a cited path
 * (`docs/CLINICAL-RULES.md`) must exist as written, relative to the repository root.
 */
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'coverage', 'reports', '.stryker-tmp']);
const CITED = /[\w./-]*[\w-]+\.md\b/g;

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return SKIPPED_DIRS.has(name) ? [] : markdownFiles(full);
    return name.endsWith('.md') ? [path.relative(ROOT, full).split(path.sep).join('/')] : [];
  });
}

/** Whether a cited document is one the repository holds (`known`: its markdown files, root-relative). */
function inRepository(cited: string, known: readonly string[]): boolean {
  if (!cited.includes('/')) return known.some((file) => path.posix.basename(file) === cited);
  return known.includes(path.posix.normalize(cited.replace(/^\.\//, '')));
}

describe('documents cited in code are in the repository (issue 18)', () => {
  it('tells a document of the repository from one outside it', () => {
    const known = ['protocol/PROTOCOL.md', 'docs/CLINICAL-RULES.md', 'README.md'];
    expect(inRepository('PROTOCOL.md', known)).toBe(true);
    expect(inRepository('docs/CLINICAL-RULES.md', known)).toBe(true);
    expect(inRepository('CLINICAL.md', known)).toBe(false);
    expect(inRepository('/work/shared/CLINICAL.md', known)).toBe(false);
    expect(inRepository('docs/PROTOCOL.md', known)).toBe(false);
  });

  it('every NAME.md or path/NAME.md a file outside test/ cites exists in the repository', () => {
    const known = markdownFiles(ROOT);
    expect(known).toContain('docs/CLINICAL-RULES.md');
    const missing = codeOutsideTests().flatMap((file) => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      return [...new Set(text.match(CITED) ?? [])]
        .filter((cited) => !inRepository(cited, known))
        .map((cited) => `${file} cites ${cited}`);
    });
    expect(missing, 'cite a document of the repository (docs/, protocol/, README.md)').toEqual([]);
  });
});
