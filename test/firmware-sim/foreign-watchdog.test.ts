import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, encodeMessage, PROTOCOL_VERSION, WATCHDOG_TIMEOUT_MS, type Reply } from '../../protocol/index.js';
import { createInProcessGenerator, type InProcessGenerator } from '../../firmware-sim/in-process.js';
import { LineClient, until } from './line-client.js';

/**
 * F-WD-FOREIGN (blackbox-2), from the wire: a foreign peer (a v1 companion, or a line without this
 * session's ids) must not keep another session's uncommitted test output alive (PROTOCOL §4.1 rule 1,
 * §7, §9). The generator's clock is the test's, so "every 500 ms for 2× the watchdog" takes no real time.
 */

const PROGRAM = { rateHz: 50, pulseWidthUs: 200, amplitudeUa: 1000, contacts: '+-000000' };
const WD = WATCHDOG_TIMEOUT_MS;
let sim: InProcessGenerator | undefined;
afterEach(() => {
  sim?.close();
  sim = undefined;
});

async function running(mode: 'test' | 'therapy') {
  const clock = { ms: 0 };
  sim = createInProcessGenerator({ telemetryHz: 0, tickMs: 3_600_000, now: () => clock.ms });
  const client = new LineClient(sim.port);
  await client.request({ type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION });
  await client.request({ type: 'SET', seq: 2, ...PROGRAM });
  expect(await client.request({ type: 'OUTPUT', seq: 3, on: true, mode })).toMatchObject({
    state: { output: 'on', mode },
  });
  return { clock, client, sim };
}

/**
 * Sessionless heartbeats every 500 ms from `fromMs` for 2× the watchdog, each after a v2 HELLO without
 * cid when `cidlessHello` (answered BAD_FIELD; the session stays open); the state each HB reply showed.
 */
async function foreignHeartbeats(client: LineClient, clock: { ms: number }, fromMs: number, cidlessHello = false) {
  const seen: { atMs: number; reply: Reply }[] = [];
  for (let t = fromMs, seq = 500; t <= fromMs + 2 * WD; t += 500, seq += 2) {
    clock.ms = t;
    if (cidlessHello) {
      // Written raw: LineClient.send would stamp its own cid on a v2 HELLO.
      client.writeLine(encodeMessage({ type: 'HELLO', seq: seq + 1, proto: PROTOCOL_VERSION }));
      await until(() => client.replies(seq + 1).length === 1, 'the NAK of a HELLO without cid');
      expect(client.replies(seq + 1)[0]).toMatchObject({ code: ErrorCode.BAD_FIELD });
    }
    seen.push({ atMs: t, reply: await client.request({ type: 'HB', seq }) });
  }
  return seen;
}
const outputOf = (reply: Reply) => (reply.type === 'ACK' && 'state' in reply ? reply.state.output : undefined);

describe('a foreign peer cannot keep uncommitted test output alive (F-WD-FOREIGN)', () => {
  it('a wrong-version HELLO stops test output at once; sessionless HBs for 2× the watchdog do not restart or feed it', async () => {
    const { clock, client } = await running('test');
    clock.ms = 100;
    const nak = await client.request({ type: 'HELLO', seq: 1, proto: 1 });
    expect(nak).toMatchObject({ type: 'NAK', code: ErrorCode.VERSION_MISMATCH });
    const seen = await foreignHeartbeats(client, clock, 600);
    expect(seen.map((s) => outputOf(s.reply))).toEqual(seen.map(() => 'off'));
    // The companion that ran the test output has no session any more: its next SET is refused.
    expect(await client.request({ type: 'SET', seq: 4, ...PROGRAM, amplitudeUa: 1050 })).toMatchObject({
      code: ErrorCode.NOT_READY,
    });
  });

  it('committed therapy is untouched by the wrong-version HELLO and the foreign heartbeats', async () => {
    const { clock, client } = await running('therapy');
    clock.ms = 100;
    await client.request({ type: 'HELLO', seq: 1, proto: 1 });
    const seen = await foreignHeartbeats(client, clock, 600);
    for (const { reply } of seen) expect(reply).toMatchObject({ state: { output: 'on', mode: 'therapy' } });
    expect(client.of('EVT')).toEqual([]);
  });

  it('HELLOs without cid and sessionless HBs every 500 ms leave the session open but do not feed its watchdog', async () => {
    const { clock, client } = await running('test');
    const seen = await foreignHeartbeats(client, clock, 500, true);
    // On until the watchdog's deadline after the session's own last line (t=0), off from the next line.
    for (const { atMs, reply } of seen) expect([atMs, outputOf(reply)]).toEqual([atMs, atMs <= WD ? 'on' : 'off']);
    expect(client.of('EVT')).toEqual([{ type: 'EVT', kind: 'stopped', reason: 'link-loss' }]);
  });
});
