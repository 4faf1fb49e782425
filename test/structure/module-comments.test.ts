import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, sourceFiles } from './source-imports.js';

/**
 * Issue 18: each module's comment sits on its main export (as Ink's src/hooks/use-focus.ts does), so
 * an editor shows it on hover. The main export is the one named like the file (`useNow` in
 * `use-now.ts`), else the declaration behind `export default`; a module with neither needs a JSDoc on
 * at least one of its exports.
 */

const DIRS = [
  'src/ui',
  'src/cli',
  'src/link',
  'src/store',
  'src/diary',
  'src/outcomes',
  'src/errors',
  'src/shared',
  'src/audit',
  'protocol',
];

interface Declared {
  names: string[];
  documented: boolean;
}

const hasJsDoc = (node: ts.Node): boolean => ts.getJSDocCommentsAndTags(node).some((d) => ts.isJSDoc(d));

function namesOf(statement: ts.Statement, file: ts.SourceFile): string[] {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.map((d) => d.name.getText(file));
  const name = (statement as { name?: ts.Node }).name;
  return name ? [name.getText(file)] : [];
}

/** What is missing in one module, or null when its main export (or, without one, any export) is documented. */
function missingModuleDoc(fileName: string, text: string): string | null {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const declared: Declared[] = [];
  const exported: Declared[] = [];
  let defaultName: string | null = null;
  for (const statement of file.statements) {
    if (ts.isExportAssignment(statement)) defaultName = statement.expression.getText(file);
    const names = namesOf(statement, file);
    if (names.length === 0) continue;
    const entry = { names, documented: hasJsDoc(statement) };
    declared.push(entry);
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) exported.push(entry);
  }
  if (exported.length === 0 && defaultName === null) return null;
  const stem = path
    .basename(fileName)
    .replace(/\.tsx?$/, '')
    .replace(/-/g, '')
    .toLowerCase();
  const main =
    exported.find((e) => e.names.some((n) => n.toLowerCase() === stem)) ??
    declared.find((e) => defaultName !== null && e.names.includes(defaultName));
  if (main) return main.documented ? null : `${main.names.join(', ')} has no JSDoc`;
  return exported.some((e) => e.documented) ? null : 'no export has a JSDoc';
}

describe('module comments on the main export (issue 18)', () => {
  it('the rule sees a comment on the main export, and one left above the imports', () => {
    expect(missingModuleDoc('use-now.ts', '/** The clock. */\nexport function useNow() {}\n')).toBeNull();
    expect(
      missingModuleDoc('use-now.ts', '/** The clock. */\n\nimport x from "y";\nexport function useNow() {}\n'),
    ).toBe('useNow has no JSDoc');
    expect(missingModuleDoc('a-b.ts', 'const command = {};\nexport default command;\n')).toBe('command has no JSDoc');
    expect(missingModuleDoc('a-b.ts', 'export const X = 1;\n/** Y. */\nexport function y() {}\n')).toBeNull();
    expect(missingModuleDoc('a-b.ts', 'export const X = 1;\nexport function y() {}\n')).toBe('no export has a JSDoc');
  });

  it('every module in the documented directories carries its comment on its main export', () => {
    const problems = DIRS.flatMap((dir) => sourceFiles(path.join(ROOT, dir)))
      .filter((f) => /\.tsx?$/.test(f))
      .map((f) => [path.relative(ROOT, f), missingModuleDoc(f, readFileSync(f, 'utf8'))] as const)
      .filter(([, problem]) => problem !== null)
      .map(([f, problem]) => `${f}: ${problem}`);
    expect(problems).toEqual([]);
  });
});
