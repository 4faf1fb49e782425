import { ErrorCode, PROTOCOL_VERSION, type GeneratorState, type ImpedanceReading, type Reply } from '../../protocol/index.js';
import { LinkError, NakError, VersionMismatchError, type Handshake } from './generator-link.js';

/** Pure interpretation of replies: the state an ACK carries, or the error a person can act on. */

export type StateAckKind = 'STATE' | 'SET' | 'OUTPUT' | 'STOP' | 'HB';

/** The generator state in an ACK of `of`; a NAK becomes NakError. */
export function ackedState(reply: Reply, of: StateAckKind): GeneratorState {
  if (reply.type === 'NAK') throw new NakError(reply.code, reply.message);
  if (reply.of !== of || !('state' in reply)) throw new LinkError(`expected an ACK of ${of}, got an ACK of ${reply.of}`);
  return reply.state;
}

export function ackedImpedance(reply: Reply): ImpedanceReading[] {
  if (reply.type === 'NAK') throw new NakError(reply.code, reply.message);
  if (reply.of !== 'IMP') throw new LinkError(`expected an ACK of IMP, got an ACK of ${reply.of}`);
  return reply.ohms;
}

/** Identity and limits from the reply to HELLO; another protocol version is a VersionMismatchError. */
export function checkHello(reply: Reply): Pick<Handshake, 'identity' | 'limits'> {
  if (reply.type === 'NAK') {
    if (reply.code === ErrorCode.VERSION_MISMATCH) {
      throw new VersionMismatchError(
        `the generator refused protocol v${PROTOCOL_VERSION} (${reply.message}). ` +
          'Update the companion or the generator firmware so both speak the same protocol version.',
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
  return { identity: reply.identity, limits: reply.limits };
}
