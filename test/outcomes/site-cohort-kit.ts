/**
 * Shared by the multicentre cohort tests: temporary directories removed after the file, and the
 * command-line words that select a store target (a data directory, plus a database URL on PostgreSQL).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StoreOptions } from '../../src/store/sql-store.js';

const dirs: string[] = [];

export function tmpDir(label: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `scs-${label}-`));
  dirs.push(d);
  return d;
}

export function removeTmpDirs(): void {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** `--data-dir DIR [--database-url URL]` for `target(kind)`'s store. */
export function storeArgs(t: StoreOptions): string[] {
  return [...(t.databaseUrl ? ['--database-url', t.databaseUrl] : []), '--data-dir', t.dataDir!];
}

/** `scs` arguments written as one string (no value contains a space). */
export const words = (text: string): string[] => text.split(' ');
