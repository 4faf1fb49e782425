/**
 * H13 when a station's late re-bind reaches the server: stored only over the binding the station
 * replaced, and never over another station's newer one (a conflict). Property tests over small
 * generator sets, so equal and different bindings both come up often.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideRebind, sameBinding } from '../../src/session/rebind-decision.js';
import { isServerUnreachable } from '../../src/store/unreachable.js';

const binding = fc.record({ serial: fc.constantFrom('SIM-1', 'SIM-2', 'SIM-3'), proto: fc.constantFrom(1, 2) });
const maybe = fc.option(binding, { nil: null });

describe('decideRebind', () => {
  it('stores only when the server still holds what the station replaced; never over another binding', () => {
    fc.assert(
      fc.property(maybe, binding, maybe, (base, wanted, onServer) => {
        const d = decideRebind(base, wanted, onServer);
        expect(d === 'already').toBe(sameBinding(onServer, wanted));
        if (d === 'store') expect(sameBinding(onServer, base)).toBe(true);
        if (!sameBinding(onServer, base) && !sameBinding(onServer, wanted)) expect(d).toBe('conflict');
      }),
    );
  });

  it('the cases by name', () => {
    const a = { serial: 'A', proto: 2 };
    const b = { serial: 'B', proto: 2 };
    const c = { serial: 'C', proto: 2 };
    expect(decideRebind(a, b, a)).toBe('store');
    expect(decideRebind(null, b, null)).toBe('store'); // the patient's first, nobody else bound them
    expect(decideRebind(a, b, b)).toBe('already');
    expect(decideRebind(a, b, c)).toBe('conflict');
    expect(decideRebind(null, b, c)).toBe('conflict');
    expect(decideRebind(a, b, { serial: 'A', proto: 3 })).toBe('conflict'); // another protocol is another binding
  });
});

describe('isServerUnreachable', () => {
  const err = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});
  it('an outage: refused, no socket, timed out, dropped, shutting down or starting', () => {
    for (const e of [
      err('connect ECONNREFUSED 10.0.0.5:5432', 'ECONNREFUSED'),
      err('connect ENOENT /tmp/x/.s.PGSQL.5432', 'ENOENT'),
      err('Connection terminated unexpectedly'),
      err('timeout expired'),
      err('terminating connection due to administrator command', '57P01'),
      err('the database system is starting up', '57P03'),
      err('connection failure', '08006'),
      Object.assign(new AggregateError([err('x', 'ECONNREFUSED'), err('y', 'ETIMEDOUT')]), {}),
    ])
      expect(isServerUnreachable(e), e.message).toBe(true);
  });
  it('the server answering no is not an outage: the station must not go on from its copies', () => {
    for (const e of [
      err('password authentication failed for user "scs_app"', '28P01'),
      err('database "scs" does not exist', '3D000'),
      err('permission denied for table generator_bindings', '42501'),
      err('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'),
      err('generator bindings are append-only', 'P0001'),
      new Error('something else'),
    ])
      expect(isServerUnreachable(e), e.message).toBe(false);
  });
});
