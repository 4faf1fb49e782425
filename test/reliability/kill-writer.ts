import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { trackChild } from '../helpers/child-registry.js';

/**
 * SIGKILL a diary writer at a random moment and check what survived. The writer
 * (test/fixtures/diary/diary-writer.ts) appends entries and three-row imports as fast as it can and
 * prints `ack <id> <instant>` only after each commit returned. Shared by the test and the soak.
 */

export const WRITER_SOURCE = path.resolve('test/fixtures/diary/diary-writer.ts');
export const PATIENT = 'P-crash';

/**
 * The writer bundled once into plain JavaScript (esbuild, which tsx already brings), so each of the
 * hundred children starts in ~0.1 s instead of ~1 s under tsx. Same source, same native SQLite.
 * It lives under node_modules/.cache so `better-sqlite3` resolves from the project. Other writers
 * (stations, the registry writer) are bundled the same way by giving their source.
 */
export function bundleWriter(source: string = WRITER_SOURCE): string {
  // One file per process: a soak and a test run at the same time must not rewrite each other's writer.
  const name = path.basename(source, '.ts');
  const out = path.resolve(`node_modules/.cache/scs-reliability/${name}-${process.pid}.mjs`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  buildSync({
    entryPoints: [path.resolve(source)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'pg', 'kysely'],
    outfile: out,
    logLevel: 'error',
  });
  process.once('exit', () => fs.rmSync(out, { force: true }));
  return out;
}

export interface KillResult {
  /** Acknowledged entries (id → instant) of this run. */
  acks: Map<number, string>;
  /** Whether the kill landed before the writer had opened the store (during open or migration). */
  beforeReady: boolean;
}

/**
 * When to SIGKILL a writer: `ms` after it started (or after its first acknowledged write, so the kill
 * lands among writes however slowly a busy machine starts it), or after `acks` acknowledgements.
 */
export type KillWhen = { ms: number; afterFirstAck: boolean } | { acks: number };

export interface KilledWriter {
  /** Every `ack …` line the writer printed before it died, split on spaces without the `ack`. */
  acks: string[][];
  /** Whether the kill landed before the writer said `ready` (during open or migration). */
  beforeReady: boolean;
}

/**
 * Starts `node writer …args` and SIGKILLs it as `when` says; rejects if it exits by itself. The child is
 * tracked (test/helpers/child-registry.ts), so a test that times out can kill what it left running.
 */
export function runUntilKilled(writer: string, args: readonly string[], when: KillWhen): Promise<KilledWriter> {
  return new Promise((resolve, reject) => {
    const child = trackChild(spawn(process.execPath, [writer, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const acks: string[][] = [];
    let ready = false;
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if ('ms' in when) timer = setTimeout(() => child.kill('SIGKILL'), when.ms);
    };
    if ('ms' in when && !when.afterFirstAck) arm();
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!; // a partial last line was never a complete acknowledgement
      for (const line of lines) {
        if (line === 'ready') ready = true;
        if (line.startsWith('ack ')) {
          acks.push(line.split(' ').slice(1));
          if (acks.length === 1 && 'ms' in when && when.afterFirstAck) arm();
        }
      }
      if ('acks' in when && acks.length >= when.acks) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ acks, beforeReady: !ready });
      else reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
    });
  });
}

/** A diary writer's acks as id → instant. */
export function diaryAcks(acks: readonly string[][]): Map<number, string> {
  return new Map(acks.map(([id, at]) => [Number(id), at!]));
}

/**
 * Starts a diary writer on `dataDir` and SIGKILLs it `delayMs` after it started (if `afterFirstAck`, after
 * its first acknowledged write). Rejects if the writer exits by itself.
 * `run` (0–300) selects the writer's time range, so runs on one store never collide.
 */
export async function writeUntilKilled(
  writer: string,
  dataDir: string,
  run: number,
  delayMs: number,
  afterFirstAck: boolean,
): Promise<KillResult> {
  const killed = await runUntilKilled(writer, [dataDir, String(run)], { ms: delayMs, afterFirstAck });
  return { acks: diaryAcks(killed.acks), beforeReady: killed.beforeReady };
}

export interface SurvivalCheck {
  integrity: string;
  /** Acknowledged ids missing or changed after reopening. */
  lost: number[];
  /** Imports split by the kill (their three rows must be all or nothing). */
  splitImports: number;
  stored: number;
}

/** Reopens the store after a kill and checks every acknowledged entry and SQLite's integrity. */
export async function checkSurvivors(
  dataDir: string,
  acknowledged: ReadonlyMap<number, string>,
): Promise<SurvivalCheck> {
  const store = await DiaryStore.open({ dataDir });
  try {
    const integrity = String(store.db.pragma('integrity_check', { simple: true }));
    const history = await store.history(PATIENT);
    const stored = new Map(history.map((e) => [e.id, e.at.text]));
    const lost = [...acknowledged].filter(([id, at]) => stored.get(id) !== at).map(([id]) => id);
    const splitImports = history.filter((e) => e.source === 'import').length % 3;
    return { integrity, lost, splitImports, stored: history.length };
  } finally {
    await store.close();
  }
}
