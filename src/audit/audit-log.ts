import { closeSync, fchmodSync, fsyncSync, openSync, readFileSync, writeSync, existsSync } from 'node:fs';
import { chainRecord, GENESIS_HASH, verifyChain, type AuditRecord } from './audit-chain.js';

/**
 * The session audit log: append-only JSON lines, hash-chained, file mode 0600. Appending to an
 * existing log continues its chain (and refuses a log whose chain is already broken).
 */

export interface AuditLog {
  readonly path: string;
  append(entry: { kind: string } & Record<string, unknown>): AuditRecord;
  close(): void;
}

export function openAuditLog(path: string, clock: () => Date = () => new Date()): AuditLog {
  let last = { seq: 0, hash: GENESIS_HASH };
  if (existsSync(path)) {
    const result = verifyChain(readFileSync(path, 'utf8'));
    if (!result.ok)
      throw new Error(
        `audit log ${path} is damaged at line ${result.line} (${result.problem}: ${result.detail}); start a new log file`,
      );
    last = { seq: result.records, hash: result.lastHash };
  }
  const fd = openSync(path, 'a', 0o600);
  fchmodSync(fd, 0o600);
  let open = true;
  return {
    path,
    append(entry) {
      if (!open) throw new Error('audit log is closed');
      const record = chainRecord(last, clock().toISOString(), jsonSafe(entry));
      writeSync(fd, JSON.stringify(record) + '\n');
      last = { seq: record.seq, hash: record.hash };
      return record;
    },
    close() {
      if (!open) return;
      open = false;
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}

/** Errors and other non-JSON values become plain data, so every record round-trips through JSON. */
function jsonSafe<T>(entry: T): T {
  return JSON.parse(
    JSON.stringify(entry, (_k, v: unknown) => {
      if (v instanceof Error) return { name: v.name, message: v.message };
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      if (typeof v === 'function') return undefined;
      return v;
    }),
  ) as T;
}
