import type { GeneratorState, Reply, Request } from '../../protocol/index.js';

/**
 * bb4-F4 (PROTOCOL.md §10 step 4): a reset whose `EVT kind=boot` was lost leaves only its state behind
 * (output off, amplitude 0, `rev` moved), and STATE and HB are answered with or without our session, so
 * nothing in their reply names the boot. A read whose revision none of our own requests explains (STATE
 * and HB change nothing; our writes and reads move the basis) is therefore followed by a HELLO with the
 * same `cid` on the same connection, before the read reaches anyone: the same boot is an outside change
 * (shown as one, H17); another boot is a reset, found as such (the link is lost, the reconnection reports
 * it). Each unexplained revision is checked once. `OUTPUT on=0` is answered without a session too (it is
 * never refused, §4.4), so its reply is checked the same way unless it is what our off alone makes of the
 * basis: the same revision (output was off) or one past it, program unchanged (bb6-N8: a reset just before
 * our off, which sets amplitude 0 and moves `rev`, §10).
 */
export class BootCheck {
  private checkedRev: number | undefined;

  /** True when `reply` (to a request answered without our session) shows a state nothing of ours explains, not checked yet. */
  due(request: Request, reply: Reply, basis: GeneratorState | undefined): boolean {
    if (reply.type !== 'ACK' || !('state' in reply) || basis === undefined) return false;
    if (!unexplained(request, reply.state, basis)) return false;
    const rev = reply.state.programRev;
    if (rev === this.checkedRev) return false;
    this.checkedRev = rev;
    return true;
  }
}

/** Whether `found`, the reply to `request`, is a state our own request cannot have made of `basis`. */
function unexplained(request: Request, found: GeneratorState, basis: GeneratorState): boolean {
  if (request.type === 'STATE' || request.type === 'HB') return found.programRev !== basis.programRev;
  if (request.type !== 'OUTPUT' || request.on) return false; // answered only in our session
  const step = found.programRev - basis.programRev;
  if (step !== 0 && step !== 1) return true;
  const sameProgram =
    found.amplitudeUa === basis.amplitudeUa &&
    found.pulseWidthUs === basis.pulseWidthUs &&
    found.rateHz === basis.rateHz &&
    found.contacts === basis.contacts;
  return !sameProgram || (step === 0 && basis.output === 'on');
}
