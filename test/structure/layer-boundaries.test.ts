import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSpecifiers, resolveRelative, ROOT, RUNTIME_DIRS, sourceFiles } from './source-imports.js';

/**
 * Dependency direction (README, ENGINEERING.md): the shell (src/cli) starts the UI (src/ui), which
 * drives the session, the link and the protocol; the core never reaches back up. A core module that
 * needs to say "the person's input is wrong" throws src/errors/'s UserError; only src/cli turns it
 * into an exit code.
 */

interface Arrow {
  from: string;
  to: string;
}

function arrows(): Arrow[] {
  return RUNTIME_DIRS.flatMap((dir) => sourceFiles(path.join(ROOT, dir))).flatMap((file) =>
    importSpecifiers(file)
      .filter((s) => s.startsWith('.'))
      .map((s) => ({ from: path.relative(ROOT, file).split(path.sep).join('/'), to: resolveRelative(file, s) })),
  );
}

const inside = (p: string, dir: string) => p.startsWith(`${dir}/`);

/** Which directories may import which (the rule), checked against every import arrow. */
const FORBIDDEN: { target: string; allowedFrom: string[]; why: string }[] = [
  { target: 'src/cli', allowedFrom: ['src/cli'], why: 'the shell is on top: nothing imports it' },
  { target: 'src/ui', allowedFrom: ['src/ui', 'src/cli'], why: 'only the shell starts the UI' },
];

function violations(all: Arrow[]): string[] {
  return all.flatMap(({ from, to }) =>
    FORBIDDEN.filter((rule) => inside(to, rule.target) && !rule.allowedFrom.some((d) => inside(from, d))).map(
      (rule) => `${from} → ${to} (${rule.why})`,
    ),
  );
}

describe('layer boundaries', () => {
  const all = arrows();

  it('the scanner sees static, type-only and dynamic imports', () => {
    // A scanner that finds nothing would pass every rule: these arrows exist and must be seen.
    expect(all).toContainEqual({ from: 'src/cli/start-command.ts', to: 'src/ui/run-ui.js' }); // await import('../ui/run-ui.js')
    expect(all).toContainEqual({ from: 'src/cli/main.ts', to: 'src/cli/commands.js' });
    expect(all).toContainEqual({ from: 'src/ui/run-ui.tsx', to: 'src/shared/process-io.js' }); // import type
  });

  it('no module below the shell imports src/cli or src/ui', () => {
    expect(violations(all)).toEqual([]);
  });

  it('the rule catches an arrow from the core up to the shell', () => {
    expect(violations([{ from: 'src/diary/diary-store.ts', to: 'src/cli/cli-error.js' }])).toHaveLength(1);
    expect(violations([{ from: 'src/session/x.ts', to: 'src/ui/run-ui.js' }])).toHaveLength(1);
    expect(violations([{ from: 'src/cli/start-command.ts', to: 'src/ui/run-ui.js' }])).toEqual([]);
  });

  it('src/errors and src/shared are leaves: they import nothing else of the companion', () => {
    const leaves = all.filter(({ from }) => inside(from, 'src/errors') || inside(from, 'src/shared'));
    expect(leaves.filter(({ to }) => !inside(to, 'src/errors') && !inside(to, 'src/shared'))).toEqual([]);
  });
});
