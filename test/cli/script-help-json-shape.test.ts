import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runScs } from '../reliability/run-scs.js';

/**
 * `scs script --help` documents the `--json` line's shape; an engineer writes a parser from it. Every
 * top-level key a real line carries must be in that shape (black-box bb3 F-L7: `chargeDensity` was not).
 */
it('the --json shape in scs script --help names every top-level key of a real line', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-help-shape-'));
  const file = path.join(dir, 'one.scs');
  fs.writeFileSync(file, 'wait 10\n');
  const run = await runScs(['script', file, '--json', '--dwell-ms', '0']);
  expect(run.code).toBe(0);
  const line = JSON.parse(run.out.trim().split('\n')[0]!) as Record<string, unknown>;
  const help = (await runScs(['script', '--help'])).out;
  const shape = help.slice(help.indexOf('\n  --json '), help.indexOf('\n  --dwell-ms '));
  const keys = Object.keys(line);
  expect(keys.length).toBeGreaterThan(5);
  for (const key of keys) expect(shape, `help's --json shape lacks "${key}"`).toContain(`"${key}"`);
}, 120_000);
