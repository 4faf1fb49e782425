/**
 * Shared set-up for the web diary tests: a data directory with a trial, `scs diary serve` as a real
 * child process (port 0, URL read from its first line), invites made through the real CLI.
 */
import { spawnSync } from 'node:child_process';
import { type RunningServer, startListening } from '../../bench/lib/web-diary-client.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { formatInstant } from '../../src/diary/instant.js';

export const ROOT = path.join(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');
export const H = 3_600_000;

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'scs-web-diary-'));
}

/** Runs `scs ARGS` to completion (synchronously) and returns its output. */
export function scs(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Sets a trial that started two days ago and ends in five (so entries "now" are trial entries). */
export function startTrial(dataDir: string, patient: string, nowMs = Date.now()): void {
  const r = scs([
    'diary',
    'trial',
    '--patient',
    patient,
    '--start',
    formatInstant(nowMs - 48 * H, 0),
    '--end',
    formatInstant(nowMs + 5 * 24 * H, 0),
    '--data-dir',
    dataDir,
  ]);
  if (r.status !== 0) throw new Error(`diary trial failed: ${r.stderr}`);
}

/** `scs diary invite` through the CLI; returns the link it printed. */
export function invite(dataDir: string, patient: string, baseUrl: string, extra: string[] = []): string {
  const r = scs(['diary', 'invite', '--patient', patient, '--url', baseUrl, '--json', '--data-dir', dataDir, ...extra]);
  if (r.status !== 0) throw new Error(`diary invite failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { link: string }).link;
}

export type { RunningServer } from '../../bench/lib/web-diary-client.js';

/** Starts `scs diary serve --port 0` and waits for its "serving ... at URL" line. */
export function startServer(dataDir: string, extra: string[] = []): Promise<RunningServer> {
  return startListening(['--import', 'tsx', MAIN, 'diary', 'serve', '--port', '0', '--data-dir', dataDir, ...extra]);
}

/** The patient's web entries as stored (opened read-side, closed again). */
export async function webEntries(dataDir: string, patient: string) {
  const store = await DiaryStore.open({ dataDir, mustExist: true });
  try {
    const uuids = new Map(
      (
        store.db.prepare('SELECT client_uuid, entry_id FROM diary_web_entries WHERE patient_id = ?').all(patient) as {
          client_uuid: string;
          entry_id: number;
        }[]
      ).map((r) => [r.entry_id, r.client_uuid]),
    );
    return (await store.history(patient)).map((e) => ({ ...e, uuid: uuids.get(e.id) ?? null }));
  } finally {
    await store.close();
  }
}

export function chromiumPath(): string {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'ensure-chromium.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error('scripts/ensure-chromium.sh found no Chromium');
  return r.stdout.trim();
}
