import { verifyChain } from './audit-chain.js';

/**
 * Whose session an audit log records: the patient its opening `session` record names and the
 * generators (serial numbers) the session was bound to. Read only from the part of the log whose hash
 * chain holds, so a record edited after the fact binds nothing.
 */
export interface AuditBinding {
  /** Patients named by `session` records (null: a session started without --patient). */
  patients: Array<string | null>;
  /** Serial numbers of the generators the session was bound to (`link` records), in order, once each. */
  serials: string[];
}

export function auditBinding(text: string): AuditBinding {
  const integrity = verifyChain(text);
  const lines = text.split('\n').filter((l) => l !== '');
  const usable = integrity.ok ? lines.length : integrity.line - 1;
  const patients: Array<string | null> = [];
  const serials: string[] = [];
  for (const line of lines.slice(0, usable)) {
    const r = JSON.parse(line) as {
      kind?: unknown;
      patient?: unknown;
      binding?: { serial?: unknown } | null;
      identity?: { serial?: unknown } | null;
    };
    if (r.kind === 'session') patients.push(typeof r.patient === 'string' ? r.patient : null);
    if (r.kind !== 'link') continue;
    // The binding the session held (a foreign generator met while blocked is not the patient's session).
    const serial = r.binding?.serial ?? r.identity?.serial;
    if (typeof serial === 'string' && !serials.includes(serial)) serials.push(serial);
  }
  return { patients, serials };
}

/**
 * Why the log may not go into this patient's report, or null when it may: it must name this patient
 * (and no other) and every generator it was bound to must be one stored for the patient (H13 bindings).
 */
export function auditBindingProblem(
  log: AuditBinding,
  patientId: string,
  patientSerials: readonly string[],
): string | null {
  const others = log.patients.filter((p) => p !== null && p !== patientId);
  if (others.length > 0) return `it records a session of patient ${others[0]}, not of patient ${patientId}`;
  if (!log.patients.includes(patientId))
    return `it names no patient (a session started without --patient ID), so it cannot be shown as patient ${patientId}'s`;
  if (log.serials.length === 0) return 'it names no generator (the session never connected to one)';
  if (patientSerials.length === 0)
    return `no generator is stored for patient ${patientId}, so its generator ${log.serials[0]} cannot be checked`;
  const foreign = log.serials.find((s) => !patientSerials.includes(s));
  if (foreign !== undefined)
    return `its generator ${foreign} is not one bound to patient ${patientId} (bound: ${patientSerials.join(', ')})`;
  return null;
}
