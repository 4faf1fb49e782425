import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { openAuditLog, type AuditLog } from './audit-log.js';

/**
 * The bedside UI's audit log: one file per session. With a path it is opened at once; otherwise it
 * goes in the data directory, named by the session's start (UTC) and the generator's serial number,
 * so the file is created once the first handshake names the generator (records before that are kept
 * and written first). Mode 0600, directory 0700. The first record says whose session it is.
 */

export interface SessionAudit {
  append(entry: { kind: string } & Record<string, unknown>): void;
  /** Where the log is (null while nothing was written yet). */
  readonly path: string | null;
  close(): void;
}

export interface SessionAuditOptions {
  /** `--audit FILE`: this file (appended to, chain continued). */
  file?: string | undefined;
  /** Otherwise the data directory. */
  dataDir: string;
  /** The pseudonymous patient the session is for (`--patient`), or null. */
  patient: string | null;
  now?: () => Date;
}

/**
 * The first record of every session's log: whose session it is (`scs patient export --audit-log`
 * checks it) and when it started.
 */
export function sessionOpening(patient: string | null, startedAt: Date): { kind: 'session' } & Record<string, unknown> {
  return { kind: 'session', patient, started: startedAt.toISOString() };
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'unknown';

/** `session-2026-12-01T16-05-09Z-SIM-0001.jsonl` */
export function sessionAuditName(startedAt: Date, serial: string): string {
  return `session-${startedAt
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-')}-${safe(serial)}.jsonl`;
}

function serialOf(entry: Record<string, unknown>): string | null {
  const identity = entry.identity as { serial?: unknown } | null | undefined;
  return identity && typeof identity.serial === 'string' ? identity.serial : null;
}

export function openSessionAudit(options: SessionAuditOptions): SessionAudit {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const opening = sessionOpening(options.patient, startedAt);
  let log: AuditLog | null = null;
  let waiting: Array<{ kind: string } & Record<string, unknown>> = [opening];
  const open = (file: string) => {
    log = openAuditLog(file, now);
    for (const e of waiting) log.append(e);
    waiting = [];
  };
  const named = (serial: string) => {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    open(path.join(options.dataDir, sessionAuditName(startedAt, serial)));
  };
  if (options.file !== undefined) open(options.file);
  return {
    append(entry) {
      if (log) return void log.append(entry);
      waiting.push(entry);
      const serial = serialOf(entry);
      if (serial) named(serial);
    },
    get path() {
      return (log as AuditLog | null)?.path ?? null;
    },
    close() {
      // Records but no generator ever named: still kept, under "no-generator".
      if (!log && waiting.length > 1) named('no-generator');
      (log as AuditLog | null)?.close();
    },
  };
}
