import type { GeneratorState } from '../../protocol/index.js';
import { verifyChain, type AuditRecord, type VerifyResult } from './audit-chain.js';

/**
 * Replays an audit log: the session's decisions in order, and what the generator reported after
 * each step, so a reviewer can follow a session without the companion.
 */

export interface ReplayStep {
  line: number;
  seq: number;
  ts: string;
  kind: string;
  intent: string | null;
  accepted: boolean | null;
  notices: unknown[];
  generator: GeneratorState | null;
}

export interface Replay {
  integrity: VerifyResult;
  steps: ReplayStep[];
  counts: { decisions: number; refused: number; clamps: number; stops: number; commits: number; faults: number };
  /** The generator as last reported in the log. */
  lastGenerator: GeneratorState | null;
  /** The charge-density report logged with that generator state (issue 19), as written; null when absent. */
  lastChargeDensity: unknown;
}

export function replayAudit(text: string): Replay {
  const integrity = verifyChain(text);
  const lines = text.split('\n').filter((l) => l !== '');
  const usable = integrity.ok ? lines.length : integrity.line - 1;
  const steps: ReplayStep[] = [];
  const counts = { decisions: 0, refused: 0, clamps: 0, stops: 0, commits: 0, faults: 0 };
  let lastGenerator: GeneratorState | null = null;
  let lastChargeDensity: unknown = null;
  for (let i = 0; i < usable; i++) {
    const r = JSON.parse(lines[i]!) as AuditRecord & {
      outcome?: { intent: string; accepted: boolean; notices: Array<{ kind: string }> } | null;
      generator?: GeneratorState | null;
      chargeDensity?: unknown;
    };
    const outcome = r.outcome ?? null;
    if (r.generator) {
      lastGenerator = r.generator;
      lastChargeDensity = r.chargeDensity ?? null;
    }
    if (r.kind === 'decision') {
      counts.decisions++;
      if (outcome && !outcome.accepted) counts.refused++;
      counts.clamps += outcome?.notices.filter((n) => n.kind === 'clamp').length ?? 0;
    }
    if (r.kind === 'stop') counts.stops++;
    if (r.kind === 'applied' && outcome?.intent === 'COMMIT' && outcome.accepted) counts.commits++;
    if (r.kind === 'fault') counts.faults++;
    steps.push({
      line: i + 1,
      seq: r.seq,
      ts: r.ts,
      kind: r.kind,
      intent: outcome?.intent ?? null,
      accepted: outcome?.accepted ?? null,
      notices: outcome?.notices ?? [],
      generator: r.generator ?? null,
    });
  }
  return { integrity, steps, counts, lastGenerator, lastChargeDensity };
}
