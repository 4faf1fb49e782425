import {
  ErrorCode,
  PROTOCOL_VERSION,
  type GeneratorEvent,
  type GeneratorState,
  type ImpedanceReading,
  type Reply,
} from '../../protocol/index.js';
import { LinkError, NakError, VersionMismatchError, type Handshake } from './generator-link.js';

/** Pure interpretation of replies: the state an ACK carries, or the error a person can act on. */

export type StateAckKind = 'STATE' | 'SET' | 'OUTPUT' | 'HB';

/** The generator state in an ACK of `of`; a NAK becomes NakError. */
export function ackedState(reply: Reply, of: StateAckKind): GeneratorState {
  if (reply.type === 'NAK') throw new NakError(reply.code, reply.message);
  if (reply.of !== of || !('state' in reply))
    throw new LinkError(`expected an ACK of ${of}, got an ACK of ${reply.of}`);
  return reply.state;
}

/** STOP's short ACK: the output it left and the revision. */
export function ackedStop(reply: Reply): { output: 'on' | 'off'; rev: number; seq: number } {
  if (reply.type === 'NAK') throw new NakError(reply.code, reply.message);
  if (reply.of !== 'STOP' || !('output' in reply))
    throw new LinkError(`expected an ACK of STOP, got an ACK of ${reply.of}`);
  return { output: reply.output, rev: reply.rev, seq: reply.seq };
}

export function ackedImpedance(reply: Reply): ImpedanceReading[] {
  if (reply.type === 'NAK') throw new NakError(reply.code, reply.message);
  if (reply.of !== 'IMP') throw new LinkError(`expected an ACK of IMP, got an ACK of ${reply.of}`);
  return reply.ohms;
}

export interface HelloResult extends Pick<Handshake, 'identity' | 'limits'> {
  /** The session the generator opened. */
  session: string;
  /** The generator stopped uncommitted test output of an earlier companion's session. */
  endedTest: boolean;
}

/** Identity, limits and session from the reply to HELLO; another protocol version is a VersionMismatchError. */
export function checkHello(reply: Reply): HelloResult {
  if (reply.type === 'NAK') {
    if (reply.code === ErrorCode.VERSION_MISMATCH) {
      const theirs = /speaks (\d+)/.exec(reply.message)?.[1];
      throw new VersionMismatchError(
        `this companion speaks protocol v${PROTOCOL_VERSION}; the generator ${theirs ? `speaks v${theirs} and ` : ''}refused it (${reply.message}). ` +
          'Update the generator firmware (or use a companion of its version); nothing was sent to the generator beyond HELLO.',
      );
    }
    throw new NakError(reply.code, reply.message);
  }
  if (reply.of !== 'HELLO') throw new LinkError(`expected an ACK of HELLO, got an ACK of ${reply.of}`);
  if (reply.identity.proto !== PROTOCOL_VERSION) {
    throw new VersionMismatchError(
      `generator ${reply.identity.serial} (firmware ${reply.identity.firmware}) speaks protocol v${reply.identity.proto}, ` +
        `this companion speaks v${PROTOCOL_VERSION}. Update the companion or the generator firmware so both match; ` +
        'nothing was sent to the generator beyond HELLO.',
    );
  }
  if (reply.session === undefined) throw new LinkError('the generator opened no session (HELLO ACK without sess)');
  return { identity: reply.identity, limits: reply.limits, session: reply.session, endedTest: reply.ended === 'test' };
}

/** An EVT boot with another boot id than the session's: the generator reset without the port closing. */
export function isNewBoot(event: GeneratorEvent, currentBootId: string | undefined): boolean {
  return event.kind === 'boot' && !!event.bootId && !!currentBootId && event.bootId !== currentBootId;
}
