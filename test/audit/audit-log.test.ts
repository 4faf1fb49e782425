import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashRecord, verifyChain } from '../../src/audit/audit-chain.js';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { replayAudit } from '../../src/audit/audit-replay.js';

const dir = () => mkdtempSync(join(tmpdir(), 'scs-audit-'));

function writeLog(n: number): { path: string; lines: string[] } {
  const path = join(dir(), 'session.audit.jsonl');
  const log = openAuditLog(path, () => new Date('2024-05-01T10:00:00Z'));
  for (let i = 0; i < n; i++)
    log.append({ kind: 'decision', outcome: { intent: 'AMPLITUDE_UP', accepted: i % 2 === 0, notices: [] }, i });
  log.close();
  return { path, lines: readFileSync(path, 'utf8').trimEnd().split('\n') };
}

describe('audit log', () => {
  it('is created with mode 0600 and verifies', () => {
    const { path, lines } = writeLog(5);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(lines).toHaveLength(5);
    expect(verifyChain(readFileSync(path, 'utf8'))).toMatchObject({ ok: true, records: 5 });
  });
  it('continues the chain when reopened, and refuses to extend a damaged log', () => {
    const { path } = writeLog(3);
    const log = openAuditLog(path);
    expect(log.append({ kind: 'stop' }).seq).toBe(4);
    log.close();
    expect(verifyChain(readFileSync(path, 'utf8'))).toMatchObject({ ok: true, records: 4 });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    writeFileSync(path, [lines[0], lines[2], lines[3]].join('\n') + '\n');
    expect(() => openAuditLog(path)).toThrow(/damaged at line 2/);
  });
  it('reports the first edited record (content changed)', () => {
    const { lines } = writeLog(6);
    lines[3] = lines[3]!
      .replace('"accepted":true', '"accepted":false')
      .replace('"accepted":false,"notices"', '"accepted":true,"notices"');
    lines[3] = lines[3]!.replace('"i":3', '"i":33');
    expect(verifyChain(lines.join('\n'))).toMatchObject({ ok: false, line: 4, problem: 'edited' });
  });
  it('reports an edit whose hash was recomputed at the edited line', () => {
    const { lines } = writeLog(6);
    const r = JSON.parse(lines[2]!);
    r.i = 99;
    const { hash: _h, ...body } = r;
    lines[2] = JSON.stringify({ ...body, hash: hashRecord(r.prev, body) });
    expect(verifyChain(lines.join('\n'))).toMatchObject({ ok: false, line: 3, problem: 'edited' });
  });
  it('reports a removed record', () => {
    const { lines } = writeLog(6);
    lines.splice(2, 1);
    expect(verifyChain(lines.join('\n'))).toMatchObject({ ok: false, line: 3, problem: 'removed' });
  });
  it('reports an inserted record (copied line or forged line)', () => {
    const { lines } = writeLog(6);
    const copied = [...lines];
    copied.splice(4, 0, lines[1]!);
    expect(verifyChain(copied.join('\n'))).toMatchObject({ ok: false, line: 5, problem: 'inserted' });
    const forged = [...lines];
    forged.splice(
      2,
      0,
      JSON.stringify({ seq: 3, ts: 'x', kind: 'decision', prev: 'f'.repeat(64), hash: 'e'.repeat(64) }),
    );
    expect(verifyChain(forged.join('\n'))).toMatchObject({ ok: false, line: 3, problem: 'inserted' });
  });
  it('any single-line change is caught at or before that line', () => {
    const { lines } = writeLog(8);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 32, max: 126 }),
        (li, pos, code) => {
          const line = lines[li]!;
          const p = pos % line.length;
          if (line.charCodeAt(p) === code) return;
          const changed = [...lines];
          changed[li] = line.slice(0, p) + String.fromCharCode(code) + line.slice(p + 1);
          const r = verifyChain(changed.join('\n'));
          expect(r.ok).toBe(false);
          if (!r.ok) expect(r.line).toBeLessThanOrEqual(li + 1);
        },
      ),
    );
  });
  it('malformed lines are reported', () => {
    expect(verifyChain('not json\n')).toMatchObject({ ok: false, line: 1, problem: 'malformed' });
  });
  it('replays decisions, refusals and the last generator state', () => {
    const path = join(dir(), 'r.jsonl');
    const log = openAuditLog(path);
    log.append({
      kind: 'decision',
      outcome: { intent: 'AMPLITUDE_SET', accepted: true, notices: [{ kind: 'clamp' }] },
    });
    log.append({
      kind: 'applied',
      outcome: { intent: 'COMMIT', accepted: true, notices: [] },
      generator: { output: 'on', amplitudeUa: 1000 },
    });
    log.append({ kind: 'stop', error: new Error('x') });
    log.close();
    const replay = replayAudit(readFileSync(path, 'utf8'));
    expect(replay.integrity.ok).toBe(true);
    expect(replay.counts).toMatchObject({ decisions: 1, clamps: 1, commits: 1, stops: 1 });
    expect(replay.lastGenerator).toMatchObject({ amplitudeUa: 1000 });
    expect(replay.steps.map((s) => s.kind)).toEqual(['decision', 'applied', 'stop']);
  });
});
