import { GeneratorModel } from '../../firmware-sim/generator-model.js';
import type { Reply } from '../../protocol/index.js';
import { CompanionSession } from '../../src/link/companion-session.js';

/**
 * One long companion session against the generator model with a simulated clock (a heartbeat period
 * per request): heartbeats, SETs every tenth request, a STOP and output on again every thousandth,
 * through the companion's own session logic (CompanionSession), renewing its session when the seq
 * space runs out. Used by test/link/million-requests.test.ts (10^6 requests, no lock-out) and by the
 * soak (with ModelWatch on the model). Pure and synchronous: a million requests take seconds.
 */

export interface LongSessionOptions {
  requests: number;
  /** The companion's first seq: near MAX_SEQ makes the session cross the end of the seq space. */
  firstSeq: number;
  /** Attach watchers (e.g. ModelWatch) before the first request. */
  model?: GeneratorModel;
  /** performance.now() after which the session ends early (a soak's time box); the report says how far it got. */
  stopAt?: number;
}

export interface LongSessionReport {
  requests: number;
  renewals: number;
  /** NAK codes received, with counts (a healthy session has none). */
  refusals: Record<number, number>;
  /** HELLO answers with ended=test (a renewal must never end this companion's own test output). */
  endedTest: number;
  /** After each STOP, output was not off (should be 0). */
  stopsNotOff: number;
  /** Output after the renewals (should be 'on': test output survives the same companion's renewal). */
  outputAtRenewals: ('on' | 'off')[];
  sessionsOpened: number;
  cidAtEnd: string | undefined;
  outputAtEnd: 'on' | 'off';
}

const PROGRAM = { rateHz: 50, pulseWidthUs: 300, contacts: '+-000000' };

export function runLongSession(options: LongSessionOptions): LongSessionReport {
  // Days of output: no battery drain, so only the protocol is under test.
  const model = options.model ?? new GeneratorModel({ batteryDrainPctPerS: 0 });
  const companion = new CompanionSession({ cid: 'c0a1c0a1', firstSeq: options.firstSeq });
  const report: LongSessionReport = {
    requests: 0,
    renewals: 0,
    refusals: {},
    endedTest: 0,
    stopsNotOff: 0,
    outputAtRenewals: [],
    sessionsOpened: 0,
    cidAtEnd: undefined,
    outputAtEnd: 'off',
  };
  let now = 0;
  const send = (reply: Reply): Reply => {
    report.requests++;
    if (reply.type === 'NAK') report.refusals[reply.code] = (report.refusals[reply.code] ?? 0) + 1;
    if (reply.type === 'ACK' && 'state' in reply && reply.of !== 'HB') companion.noteRead(reply.state, reply.seq);
    return reply;
  };
  const hello = () => {
    const r = send(model.handle(companion.hello(), now));
    if (r.type !== 'ACK' || r.of !== 'HELLO' || !r.session) throw new Error(`HELLO refused: ${JSON.stringify(r)}`);
    if (r.ended === 'test') report.endedTest++;
    report.sessionsOpened++;
    companion.opened(r.session);
  };
  hello();
  send(model.handle(companion.plain('STATE'), now));
  send(
    model.handle({ type: 'SET', seq: companion.nextSeq(), ...companion.stamp(), ...PROGRAM, amplitudeUa: 1000 }, now),
  );
  send(model.handle({ type: 'OUTPUT', seq: companion.nextSeq(), ...companion.stamp(), on: true, mode: 'test' }, now));
  let rounds = 0;
  while (report.requests < options.requests) {
    // The time box only truncates: checked every 1000 requests, so a run is a prefix of the full one.
    if (options.stopAt !== undefined && ++rounds % 1000 === 0 && performance.now() > options.stopAt) break;
    now += 500; // a heartbeat period: the watchdog (2 s) never fires while requests flow
    if (companion.renewalDue) {
      hello();
      report.renewals++;
      report.outputAtRenewals.push(model.state.output);
    }
    const k = report.requests % 1000;
    if (k === 500) {
      const stop = send(model.handle(companion.stopRequest(), now));
      if (stop.type === 'ACK' && stop.of === 'STOP') companion.afterStop(stop);
      if (model.state.output !== 'off') report.stopsNotOff++;
      companion.noteRead(model.state, stop.seq);
    } else if (k === 501) {
      send(
        model.handle({ type: 'OUTPUT', seq: companion.nextSeq(), ...companion.stamp(), on: true, mode: 'test' }, now),
      );
    } else if (k % 10 === 0) {
      const amplitudeUa = 1000 + 50 * (k % 20);
      send(model.handle({ type: 'SET', seq: companion.nextSeq(), ...companion.stamp(), ...PROGRAM, amplitudeUa }, now));
    } else send(model.handle(companion.plain('HB'), now));
  }
  report.cidAtEnd = model.session?.cid;
  report.outputAtEnd = model.state.output;
  return report;
}
