import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain, pure: each record carries `seq`, `prev` (the previous record's hash)
 * and `hash` = sha256(prev + the record's JSON without `hash`). Editing, inserting or removing a
 * record breaks the chain at that record. (A chain without a secret proves order and integrity
 * against accidental or naive edits; whoever rewrites every later hash can forge it, and removing
 * the last records leaves no trace unless the count is kept elsewhere.)
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRecord {
  seq: number;
  ts: string;
  kind: string;
  prev: string;
  hash: string;
  [field: string]: unknown;
}

export function hashRecord(prev: string, body: Record<string, unknown>): string {
  return createHash('sha256').update(prev).update(JSON.stringify(body)).digest('hex');
}

/** Builds the next record (fields in a fixed order: seq, ts, kind, data…, prev, hash). */
export function chainRecord(
  prev: { seq: number; hash: string },
  ts: string,
  entry: { kind: string } & Record<string, unknown>,
): AuditRecord {
  const { kind, ...data } = entry;
  const body = { seq: prev.seq + 1, ts, kind, ...withoutReserved(data), prev: prev.hash };
  return { ...body, hash: hashRecord(prev.hash, body) } as AuditRecord;
}

function withoutReserved(data: Record<string, unknown>): Record<string, unknown> {
  const { seq: _s, ts: _t, prev: _p, hash: _h, ...rest } = data;
  return rest;
}

export type VerifyProblem = 'malformed' | 'edited' | 'inserted' | 'removed';

export type VerifyResult =
  | { ok: true; records: number; lastHash: string }
  | { ok: false; records: number; line: number; problem: VerifyProblem; detail: string };

/** Checks a whole log; reports the first broken record by its line number (1-based). */
export function verifyChain(text: string): VerifyResult {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let last = { seq: 0, hash: GENESIS_HASH };
  const seenHashes = new Map<string, number>([[GENESIS_HASH, 0]]);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const fail = (problem: VerifyProblem, detail: string): VerifyResult => ({
      ok: false,
      records: i,
      line,
      problem,
      detail,
    });
    let record: AuditRecord;
    try {
      record = JSON.parse(lines[i]!) as AuditRecord;
    } catch {
      return fail('malformed', 'not a JSON object');
    }
    if (
      typeof record !== 'object' ||
      record === null ||
      typeof record.hash !== 'string' ||
      typeof record.prev !== 'string' ||
      !Number.isInteger(record.seq)
    ) {
      return fail('malformed', 'missing seq, prev or hash');
    }
    const { hash, ...body } = record;
    if (hashRecord(record.prev, body) !== hash) {
      // A line the chain steps over (the next record links to the one before it) was inserted.
      if (nextLinksTo(lines[i + 1], last.hash)) return fail('inserted', 'a record not in the chain was inserted here');
      return fail('edited', `record ${record.seq} does not match its hash (its content was changed)`);
    }
    if (seenHashes.has(hash))
      return fail('inserted', `a copy of the record at line ${seenHashes.get(hash)} was inserted here`);
    if (record.prev !== last.hash) {
      // The next line continues the chain from before this one: this line (e.g. a copy of a later record) was inserted.
      if (nextLinksTo(lines[i + 1], last.hash)) return fail('inserted', 'a record not in the chain was inserted here');
      if (record.seq > last.seq + 1)
        return fail('removed', `records ${last.seq + 1}–${record.seq - 1} are missing before this line`);
      if (record.seq <= last.seq || seenHashes.has(record.prev)) {
        const at = seenHashes.get(record.prev);
        return {
          ok: false,
          records: i,
          line: at === undefined ? line : at + 1,
          problem: 'inserted',
          detail: `a record not in the chain was inserted${at === undefined ? '' : ` after line ${at}`}`,
        };
      }
      return {
        ok: false,
        records: i - 1,
        line: line - 1,
        problem: 'edited',
        detail: `record ${last.seq} was changed (the next record no longer links to it)`,
      };
    }
    if (record.seq !== last.seq + 1)
      return fail(
        record.seq > last.seq + 1 ? 'removed' : 'inserted',
        `sequence jumps from ${last.seq} to ${record.seq}`,
      );
    last = { seq: record.seq, hash };
    seenHashes.set(hash, line);
  }
  return { ok: true, records: lines.length, lastHash: last.hash };
}

function nextLinksTo(line: string | undefined, hash: string): boolean {
  if (line === undefined) return false;
  try {
    return (JSON.parse(line) as { prev?: unknown }).prev === hash;
  } catch {
    return false;
  }
}
