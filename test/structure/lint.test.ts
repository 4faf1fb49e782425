import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './source-imports.js';

/**
 * Issue 18: lint runs inside the test suite, so every `npx vitest run` (and `npm test`) sees a lint
 * error, not only whoever remembers `npm run lint`. The rules are eslint.config.js's.
 */

describe('lint', () => {
  it('eslint reports no problem anywhere in the tree', { timeout: 300_000 }, async () => {
    const results = await new ESLint({ cwd: ROOT }).lintFiles(['.']);
    const problems = results.flatMap((r) =>
      r.messages.map((m) => `${r.filePath.slice(ROOT.length)}:${m.line}:${m.column} ${m.ruleId ?? ''} ${m.message}`),
    );
    expect(problems).toEqual([]);
  });
});
