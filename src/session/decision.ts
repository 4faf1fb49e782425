import type { HardwareLimits } from '../../protocol/index.js';
import type { Program } from '../link/generator-link.js';
import type { ImpedanceCheck } from './impedance-check.js';
import { amplitudeCeiling } from './amplitude-window.js';
import { shannonWarning } from './charge-density-limit.js';
import { notice, reject, type Notice, type NoticeField } from './notice.js';
import type { Decision, LinkOp, NextStep, SessionData } from './session-types.js';
import { uaToMa } from './units.js';

/** Small builders shared by the deciders. */

export function refuse(
  data: SessionData,
  field: NoticeField,
  requested: Notice['requested'],
  reason: string,
): Decision {
  return { accepted: false, notices: [reject(field, requested, reason)], ops: [], patch: {}, next: data.phase };
}

export function accept(
  next: NextStep,
  ops: LinkOp[] = [],
  notices: Notice[] = [],
  patch: Decision['patch'] = {},
): Decision {
  return { accepted: true, notices, ops, patch, next };
}

/** While output is on only amplitude may change: anything else turns output off first, said so. */
export function outputOffFirst(data: SessionData, what: string): { ops: LinkOp[]; notices: Notice[] } {
  const g = data.generator;
  if (!g || g.output !== 'on') return { ops: [], notices: [] };
  return {
    ops: [{ op: 'setOutput', on: false, mode: g.mode === 'therapy' ? 'therapy' : 'test' }],
    notices: [
      notice(
        'warn',
        'output',
        'on',
        'off',
        `${what}: only amplitude may change while output is on, so output was turned off first`,
      ),
    ],
  };
}

/**
 * The last check before a program goes to the wire: amplitude at most the hardware and
 * charge-density ceiling for this width and configuration, each contact's share from the impedance
 * check when valid, else the worst case (lowered and said so), Shannon warning.
 */
export function finalizeProgram(
  program: Program,
  limits: HardwareLimits,
  impedance: ImpedanceCheck | null = null,
): { program: Program; notices: Notice[] } {
  const notices: Notice[] = [];
  const ceiling = amplitudeCeiling(program.pulseWidthUs, program.contacts, limits, impedance);
  let amplitudeUa = program.amplitudeUa;
  if (amplitudeUa > ceiling.ceilingUa) {
    notices.push(notice('clamp', 'amplitude', uaToMa(amplitudeUa), uaToMa(ceiling.ceilingUa), ceiling.reason));
    amplitudeUa = ceiling.ceilingUa;
  }
  const warn = shannonWarning(amplitudeUa, program.pulseWidthUs, program.contacts, limits, impedance);
  if (warn) notices.push(warn);
  return { program: { ...program, amplitudeUa }, notices };
}
