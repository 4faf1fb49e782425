import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root and the directories whose code ships in the package. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const RUNTIME_DIRS = ['src', 'protocol', 'firmware-sim'];

export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(tsx?|mjs|js|cjs)$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/**
 * Every module specifier a file names: static imports and re-exports (type-only ones too: they are
 * arrows between modules all the same) and dynamic `import('…')`.
 */
export function importSpecifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return found.map((m) => m[1]!);
}

/** A package specifier's package name: `ink`, `@scope/name` (a subpath such as `tsx/esm/api` → `tsx`). */
export function packageName(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The repository-relative path a relative specifier points to (POSIX separators). */
export function resolveRelative(file: string, specifier: string): string {
  return path
    .relative(ROOT, path.resolve(path.dirname(file), specifier))
    .split(path.sep)
    .join('/');
}

const CODE_DIRS = ['src', 'protocol', 'firmware-sim', 'bench', 'scripts', 'bin'];
const NOT_WRITTEN_BY_HAND = /(^|\/)(dist|generated|node_modules|coverage|reports)\//;
const CODE = /\.(tsx?|mjs|js|cjs)$/;

/**
 * The repository-relative paths (POSIX) of the code outside test/: every .ts/.tsx/.js/.mjs/.cjs file
 * in src, protocol, firmware-sim, bench, scripts and bin and at the top level (config files); build
 * output and generated code are not.
 */
export function codeOutsideTests(): string[] {
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
