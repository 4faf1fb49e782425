import type { Decision, LinkOp, NextStep } from '../../src/session/session-types.js';
import type { Notice } from '../../src/session/notice.js';
import { CONTACTS } from './decider-fixtures.js';

/**
 * Expected decisions for the pure deciders' tests, spelled out field by field: every builder returns
 * a complete object (no wildcard, no omitted key), so `toEqual` stays as strict as a JSON golden.
 * Written here, not with src/session/notice.ts, so the expectation does not share code with the
 * rule it checks.
 */

type Requested = Notice['requested'];

/** A refusal: one reject notice, nothing sent, nothing remembered. */
export function refusal(field: Notice['field'], requested: Requested, reason: string, next: NextStep): Decision {
  return { accepted: false, notices: [reject(field, requested, reason)], ops: [], patch: {}, next };
}

interface Parts {
  notices?: Notice[];
  ops?: LinkOp[];
  patch?: Decision['patch'];
  /** Said / adopted only once the generator confirmed the operations (bb5-N1); absent when not given. */
  confirmed?: Notice[];
  confirmedPatch?: Decision['patch'];
}

/** An accepted decision; parts not given are empty. */
export function accepted(
  next: NextStep,
  { notices = [], ops = [], patch = {}, confirmed, confirmedPatch }: Parts = {},
): Decision {
  return {
    accepted: true,
    notices,
    ops,
    patch,
    next,
    ...(confirmed ? { confirmed } : {}),
    ...(confirmedPatch ? { confirmedPatch } : {}),
  };
}

/** A refused decision other than a single reject notice. */
export function refused(next: NextStep, { notices = [], ops = [], patch = {} }: Parts = {}): Decision {
  return { accepted: false, notices, ops, patch, next };
}

export const reject = (field: Notice['field'], requested: Requested, reason: string): Notice => ({
  kind: 'reject',
  field,
  requested,
  applied: null,
  reason,
});
const noticeOf =
  (kind: Notice['kind']) =>
  (field: Notice['field'], requested: Requested, applied: Notice['applied'], reason: string): Notice => ({
    kind,
    field,
    requested,
    applied,
    reason,
  });
export const clamp = noticeOf('clamp');
export const warn = noticeOf('warn');
export const info = noticeOf('info');

/** SET of the fixtures' program (50 Hz, 300 µs, CONTACTS) at `amplitudeUa`, other fields as `over` says. */
export function setProgram(
  amplitudeUa: number,
  over: Partial<{ rateHz: number; pulseWidthUs: number; contacts: string }> = {},
): LinkOp {
  return { op: 'setProgram', program: { rateHz: 50, pulseWidthUs: 300, amplitudeUa, contacts: CONTACTS, ...over } };
}

export const setOutput = (on: boolean, mode: 'test' | 'therapy'): LinkOp => ({ op: 'setOutput', on, mode });
export const readState = (): LinkOp => ({ op: 'readState' });
