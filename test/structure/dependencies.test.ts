import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, packageName, resolveRelative, ROOT, RUNTIME_DIRS, sourceFiles } from './source-imports.js';

/**
 * Issue 15: the package declares exactly what its code imports. Runtime code (src/, protocol/,
 * firmware-sim/, all bundled into dist/) imports only dependencies and optionalDependencies, and each
 * of those is imported; build and test tools are devDependencies that something in the repository
 * uses. node-pty is optional: only `scs sim` loads it, through a dynamic import.
 */

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const runtimeFiles = RUNTIME_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d)));
const packagesOf = (files: string[]) =>
  new Set(files.flatMap((f) => importSpecifiers(f).map(packageName)).filter((p): p is string => p !== null));
const sorted = (s: Iterable<string>) => [...s].sort();

describe('declared dependencies', () => {
  const runtimeImports = packagesOf(runtimeFiles);

  it('every package the runtime code imports is a dependency or optional dependency, and every one of those is imported', () => {
    const declared = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})];
    expect(sorted(runtimeImports)).toEqual(sorted(declared));
  });

  it('no package is declared twice (runtime and dev)', () => {
    const runtime = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]);
    expect(Object.keys(pkg.devDependencies).filter((d) => runtime.has(d))).toEqual([]);
  });

  it('every dev dependency is used by the tests, benchmarks, scripts, configs or npm scripts', () => {
    const toolFiles = ['test', 'bench', 'scripts', 'bin'].flatMap((d) => sourceFiles(path.join(ROOT, d)));
    const configs = ['vitest.config.ts', 'stryker.config.mjs', 'eslint.config.js'].map((f) => path.join(ROOT, f));
    const imported = packagesOf([...toolFiles, ...configs]);
    const configText = configs.map((f) => readFileSync(f, 'utf8')).join('\n');
    const scriptText = Object.values(pkg.scripts).join('\n');
    // Command names of tools run from npm scripts, and the Stryker plugin its config names.
    const used = (name: string): boolean => {
      if (imported.has(name)) return true;
      if (name.startsWith('@types/')) {
        const typed = name.slice('@types/'.length);
        return typed === 'node' || imported.has(typed) || runtimeImports.has(typed);
      }
      if (name === 'typescript') return /\btsc\b/.test(scriptText);
      if (name === 'eslint' || name === 'prettier') return new RegExp(`\\b${name} `).test(scriptText);
      if (name === '@stryker-mutator/core') return /\bstryker\b/.test(scriptText);
      if (name === '@stryker-mutator/vitest-runner') return /testRunner:\s*'vitest'/.test(configText);
      return false;
    };
    expect(Object.keys(pkg.devDependencies).filter((d) => !used(d))).toEqual([]);
  });

  it('node-pty is optional and reached only through a dynamic import of the pty simulator', () => {
    expect(pkg.optionalDependencies).toHaveProperty('node-pty');
    expect(pkg.dependencies).not.toHaveProperty('node-pty');
    const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');
    const ptyUsers = runtimeFiles.filter((f) => importSpecifiers(f).includes('node-pty')).map(rel);
    expect(ptyUsers).toEqual(['firmware-sim/pty-generator.ts']);
    const staticImporters = runtimeFiles.filter((f) => {
      const text = readFileSync(f, 'utf8');
      // `import type` is erased at build time: only value imports load the module.
      return [...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm)].some(
        (m) => m[1]!.startsWith('.') && resolveRelative(f, m[1]!) === 'firmware-sim/pty-generator.js',
      );
    });
    expect(staticImporters.map(rel)).toEqual([]);
  });
});
