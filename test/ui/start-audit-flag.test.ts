import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as pty from 'node-pty';
import { afterEach, expect, it } from 'vitest';
import { verifyChain } from '../../src/audit/audit-chain.js';
import { until } from '../helpers/until.js';

/**
 * `scs start --audit FILE` as a clinician types it: the real command line in a real pseudo-terminal,
 * built-in simulator. The in-process UI tests call runBedsideUi directly and so never parsed the flag
 * (black-box bb3 F-M3: "Unknown option '--audit'").
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const MAIN = path.join(ROOT, 'src/cli/main.ts');

const terms: pty.IPty[] = [];
afterEach(() => {
  for (const t of terms.splice(0)) {
    try {
      t.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

it('scs start --audit FILE writes the session log to FILE (mode 0600, a valid chain) and says so on quit', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-start-audit-'));
  const file = path.join(dir, 'bedside.jsonl');
  const dataDir = path.join(dir, 'data');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && k !== 'CI' && !k.startsWith('VITEST')) env[k] = v;
  const term = pty.spawn(process.execPath, ['--import', 'tsx', MAIN, 'start', '--audit', file, '--data-dir', dataDir], {
    name: 'xterm-256color',
    cols: 100,
    rows: 30,
    cwd: ROOT,
    env: { ...env, TERM: 'xterm-256color', NO_COLOR: '1' },
  });
  terms.push(term);
  let output = '';
  term.onData((d) => (output += d));
  const exit = new Promise<number>((resolve) => term.onExit(({ exitCode }) => resolve(exitCode)));
  await until(
    () => output.includes('Link: connected'),
    'connection',
    60_000,
    () => output.slice(-2000),
  );
  term.write('q');
  await until(
    () => output.includes('Quit'),
    'the quit dialog',
    20_000,
    () => output.slice(-2000),
  );
  term.write('s');
  expect(await exit).toBe(0);
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  const text = fs.readFileSync(file, 'utf8');
  expect(verifyChain(text).ok).toBe(true);
  expect(text).toMatch(/"kind":"session"/);
  expect(output.replace(/\s+/g, ' ')).toContain(`Audit log of this session: ${file}`);
  // The log went where asked, not (also) into the data directory.
  const inData = fs.existsSync(dataDir) ? fs.readdirSync(dataDir).filter((f) => f.endsWith('.jsonl')) : [];
  expect(inData).toEqual([]);
}, 120_000);
