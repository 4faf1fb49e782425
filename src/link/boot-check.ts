import type { Reply, Request } from '../../protocol/index.js';

/**
 * bb4-F4 (PROTOCOL.md §10 step 4): a reset whose `EVT kind=boot` was lost leaves only its state behind
 * (output off, amplitude 0, `rev` moved), and STATE and HB are answered with or without our session, so
 * nothing in their reply names the boot. A read whose revision none of our own requests explains (STATE
 * and HB change nothing; our writes and reads move the basis) is therefore followed by a HELLO with the
 * same `cid` on the same connection, before the read reaches anyone: the same boot is an outside change
 * (shown as one, H17); another boot is a reset, found as such (the link is lost, the reconnection reports
 * it). Each unexplained revision is checked once.
 */
export class BootCheck {
  private checkedRev: number | undefined;

  /** True when `reply` (to our STATE or HB) shows a revision other than `basisRev` and not checked yet. */
  due(request: Request, reply: Reply, basisRev: number | undefined): boolean {
    if (request.type !== 'STATE' && request.type !== 'HB') return false;
    if (reply.type !== 'ACK' || !('state' in reply) || basisRev === undefined) return false;
    const rev = reply.state.programRev;
    if (rev === basisRev || rev === this.checkedRev) return false;
    this.checkedRev = rev;
    return true;
  }
}
