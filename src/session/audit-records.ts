import { chargeDensityReport } from './density-report.js';
import { dataOf } from './session-data.js';
import type { SessionContext } from './session-context.js';

/** What the session writes to its audit log, by kind of step. */
export type AuditKind =
  | 'stop'
  | 'decision'
  | 'applied'
  | 'stopped'
  | 'sync'
  | 'impedance'
  | 'acknowledge'
  | 'fault'
  | 'link'
  | 'rebind'
  | 'battery';

export type AuditRecord = { kind: AuditKind; event: string } & Record<string, unknown>;

/** What a record reads of the event it audits: its type, and the error a failure carries. */
export interface AuditedEvent {
  type: string;
  error?: unknown;
}

type RecordOf = (ctx: SessionContext, event: AuditedEvent) => AuditRecord;

/** Every record but the battery's: the kind, the event that caused it, and what became of the last intent. */
const answered =
  (
    kind: AuditKind,
    extra: (ctx: SessionContext, event: AuditedEvent) => Record<string, unknown> = () => ({}),
  ): RecordOf =>
  (ctx, event) => ({ kind, event: event.type, outcome: ctx.outcome, ...extra(ctx, event) });

/** The program's most loaded contact and its density (issue 19): the programming summary reads it back. */
const programOnGenerator = (ctx: SessionContext) => ({
  generator: ctx.generator,
  notices: ctx.notices.slice(-3),
  chargeDensity: chargeDensityReport(dataOf(ctx)),
});

const described = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/**
 * The audit record of each kind of step, built from the context after the step (pure: the machine's
 * `audit` action hands the record to the audit sink).
 */
export const auditRecordFor: Record<AuditKind, RecordOf> = {
  stop: answered('stop'),
  rebind: answered('rebind'),
  decision: answered('decision', (ctx) => ({ ops: ctx.pending?.ops ?? [] })),
  applied: answered('applied', programOnGenerator),
  stopped: answered('stopped', programOnGenerator),
  sync: answered('sync', (ctx) => ({ ...programOnGenerator(ctx), mismatch: ctx.mismatch })),
  impedance: answered('impedance', (ctx) => ({ impedance: ctx.impedance })),
  acknowledge: answered('acknowledge', (ctx) => ({ mismatch: ctx.mismatch })),
  fault: answered('fault', (ctx, event) => ({ error: described(event.error), mismatch: ctx.mismatch })),
  // A reconnection's findings (a change made while the link was down, a request settled) are kept too.
  link: answered('link', (ctx) => ({
    status: ctx.linkStatus,
    identity: ctx.identity,
    binding: ctx.binding,
    generator: ctx.generator,
    notices: ctx.notices.slice(-3),
  })),
  // H15: the warnings just given and the estimate they were given at; not an answer to an intent.
  battery: (ctx, event) => ({
    kind: 'battery',
    event: event.type,
    notices: ctx.battery.lastWarnings,
    battery: { pct: ctx.battery.pct, remainingMs: ctx.battery.remainingMs },
  }),
};
