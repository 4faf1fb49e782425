import { afterEach, describe, expect, it } from 'vitest';
import { CANCEL, ErrorCode, MAX_SEQ, SEQ_RENEW_MARGIN, type Message } from '../../protocol/index.js';
import {
  DisconnectedError,
  NakError,
  OutputMismatchError,
  ReadbackMismatchError,
  StaleCommandError,
  VersionMismatchError,
} from '../../src/link/generator-link.js';
import { SerialGeneratorLink } from '../../src/link/serial-generator-link.js';
import {
  FAST,
  PROGRAM,
  SCRIPTED_IDENTITY,
  SCRIPTED_SESSION,
  SCRIPTED_LIMITS,
  SCRIPTED_STATE,
  decoded,
  inProcessRig,
  nextEvent,
  scriptedOpener,
  until,
  type Rig,
} from './link-test-kit.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const executed = (r: Rig, type: string) => r.generator.server.model.executions.filter((e) => e.type === type);

describe('serial generator link over the in-process simulator', () => {
  it('handshakes: HELLO then STATE, identity and limits from the generator, status connected', async () => {
    rig = inProcessRig();
    const handshake = await rig.link.connect();
    const model = rig.generator.server.model;
    expect(handshake.identity).toEqual(model.identity);
    expect(handshake.limits).toEqual(model.limits);
    expect(handshake.state).toEqual(model.state);
    expect(rig.link.status).toBe('connected');
    // First CAN (discards a partial line an earlier connection may have left, PROTOCOL.md §2/§10), then HELLO, STATE.
    expect(rig.tap.outbound[0]!.startsWith(CANCEL)).toBe(true);
    expect(rig.tap.outbound.slice(0, 2).map((l) => decoded(l)?.type)).toEqual(['HELLO', 'STATE']);
    const hs = rig.events.find((e) => e.type === 'handshake');
    expect(hs).toMatchObject({ type: 'handshake', resetDetected: false });
  });

  it('sets a program and resolves with a read-back equal to the request', async () => {
    rig = inProcessRig();
    await rig.link.connect();
    const state = await rig.link.setProgram(PROGRAM);
    expect(state).toMatchObject(PROGRAM);
    expect(rig.generator.server.model.state).toMatchObject(PROGRAM);
    expect(rig.link.state).toEqual(state);
  });

  it('turns output on and off with a checked read-back', async () => {
    rig = inProcessRig();
    await rig.link.connect();
    await rig.link.setProgram(PROGRAM);
    expect(await rig.link.setOutput(true, 'test')).toMatchObject({ output: 'on', mode: 'test' });
    expect(await rig.link.setOutput(false, 'test')).toMatchObject({ output: 'off' });
  });

  it('surfaces a NAK as NakError with the code and the generator text', async () => {
    rig = inProcessRig();
    await rig.link.connect();
    const error = await rig.link.setProgram({ ...PROGRAM, contacts: '++000000' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NakError);
    expect((error as NakError).code).toBe(ErrorCode.NO_CATHODE);
    expect((error as NakError).message).toMatch(/cathode/);
    // The link stays usable after a refusal.
    await expect(rig.link.readState()).resolves.toMatchObject({ output: 'off' });
  });

  it('retransmits the SAME line when a reply is lost, and the generator executes it once', async () => {
    rig = inProcessRig();
    await rig.link.connect();
    let dropped = 0;
    rig.tap.onInbound = (line, deliver) => {
      const m = decoded(line);
      if (m?.type === 'ACK' && m.of === 'SET' && dropped === 0) {
        dropped++;
        return;
      }
      deliver(line);
    };
    await rig.link.setProgram(PROGRAM);
    const sets = rig.tap.outbound.filter((l) => l.startsWith('SET '));
    expect(sets.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sets).size).toBe(1); // identical lines: same sequence number
    const seq = (decoded(sets[0]!) as { seq: number }).seq;
    expect(rig.generator.server.model.executionCount(seq)).toBe(1);
    expect(executed(rig, 'SET')).toHaveLength(1);
    expect(rig.link.stats().retries).toBeGreaterThanOrEqual(1);
  });

  it('sends STOP at once beside an outstanding request and never sends what was queued behind it', async () => {
    rig = inProcessRig({ timing: { heartbeatIntervalMs: 60_000 } });
    await rig.link.connect();
    await rig.link.setProgram(PROGRAM);
    await rig.link.setOutput(true, 'test');
    // Hold the reply to the next SET until STOP has gone out: STOP must not wait for it.
    let held: (() => void) | undefined;
    rig.tap.onInbound = (line, deliver) => {
      const m = decoded(line);
      if (m?.type === 'ACK' && m.of === 'SET') held = () => deliver(line);
      else deliver(line);
    };
    const setsBefore = executed(rig, 'SET').length;
    const inFlight = rig.link.setProgram({ ...PROGRAM, amplitudeUa: 1550 });
    const queuedSet = rig.link.setProgram({ ...PROGRAM, amplitudeUa: 1600 });
    const queuedRead = rig.link.readState();
    await until(() => held !== undefined, 'the first SET reached the generator');
    const stopped = rig.link.stop();
    await expect(queuedSet).rejects.toBeInstanceOf(StaleCommandError);
    await expect(queuedRead).rejects.toBeInstanceOf(StaleCommandError);
    await expect(stopped).resolves.toMatchObject({ output: 'off' });
    held!();
    await expect(inFlight).resolves.toMatchObject({ amplitudeUa: 1550 });
    const kinds = rig.tap.outbound.map((l) => decoded(l)?.type);
    expect(kinds.lastIndexOf('STOP')).toBeGreaterThan(kinds.lastIndexOf('SET'));
    expect(rig.tap.outbound.some((l) => l.includes('amp_ua=1600'))).toBe(false);
    expect(executed(rig, 'SET').length - setsBefore).toBe(1);
    expect(rig.generator.server.model.state.output).toBe('off');
  });

  it('sends heartbeats while idle', async () => {
    rig = inProcessRig();
    await rig.link.connect();
    await until(() => executed(rig!, 'HB').length >= 3, 'three heartbeats');
    expect(rig.link.status).toBe('connected');
  });

  it('counts a silent generator as a lost link: status reconnecting, pending requests rejected', async () => {
    rig = inProcessRig();
    await rig.link.connect();
    rig.tap.onInbound = () => {}; // the generator goes deaf-mute
    const lost = nextEvent(rig.link, 'status', (e) => e.status === 'reconnecting');
    const pending = rig.link.readState();
    await expect(pending).rejects.toThrow(/no reply|not confirmed|not sent/);
    await lost;
    expect(rig.link.stats().timeouts).toBeGreaterThanOrEqual(1);
    await expect(rig.link.setProgram(PROGRAM)).rejects.toBeInstanceOf(DisconnectedError);
  });

  it('detects a generator reset (new boot id), reconnects, and sends no stale command', async () => {
    rig = inProcessRig();
    const first = await rig.link.connect();
    await rig.link.setProgram(PROGRAM);
    await rig.link.setOutput(true, 'test');
    const handshake = nextEvent(rig.link, 'handshake');
    const before = rig.generator.server.model.executions.length;
    rig.generator.server.reset();
    const again = await handshake;
    expect(again.resetDetected).toBe(true);
    expect(again.handshake.identity.bootId).not.toBe(first.identity.bootId);
    expect(again.handshake.state.output).toBe('off');
    const after = rig.generator.server.model.executions.slice(before).map((e) => e.type);
    expect(after).not.toContain('SET');
    expect(after).not.toContain('OUTPUT');
  });

  it('reconnects after an unplug with a new port object, without resetDetected and without replaying', async () => {
    rig = inProcessRig();
    await rig.link.connect();
    const firstPort = rig.generator.port;
    await rig.link.setProgram(PROGRAM);
    const handshake = nextEvent(rig.link, 'handshake');
    const before = rig.generator.server.model.executions.length;
    rig.generator.unplug();
    const again = await handshake;
    expect(again.resetDetected).toBe(false);
    expect(rig.generator.port).not.toBe(firstPort);
    const after = rig.generator.server.model.executions.slice(before).map((e) => e.type);
    expect(after.slice(0, 2)).toEqual(['HELLO', 'STATE']);
    expect(after).not.toContain('SET');
    expect(rig.link.stats().linkLosses).toBe(1);
  });

  it('holds a STOP pressed while reconnecting and sends it first on reconnection, before HELLO', async () => {
    rig = inProcessRig({ timing: { reconnectDelayMs: 150, reconnectMaxDelayMs: 150 } });
    await rig.link.connect();
    const reconnecting = nextEvent(rig.link, 'status', (e) => e.status === 'reconnecting');
    rig.generator.unplug();
    await reconnecting;
    const sent = rig.tap.outbound.length;
    const stopped = rig.link.stop();
    await expect(stopped).resolves.toMatchObject({ output: 'off' });
    const types = rig.tap.outbound.slice(sent).map((l) => decoded(l)?.type);
    expect(types[0]).toBe('STOP');
    expect(types.indexOf('STOP')).toBeLessThan(types.indexOf('HELLO'));
  });

  it('a held STOP is sent before HELLO on every reconnection attempt until one is confirmed (blackbox-12 #4)', async () => {
    rig = inProcessRig({ timing: { reconnectDelayMs: 20, reconnectMaxDelayMs: 20 } });
    await rig.link.connect();
    await rig.link.setProgram(PROGRAM);
    await rig.link.setOutput(true, 'test');
    const reconnecting = nextEvent(rig.link, 'status', (e) => e.status === 'reconnecting');
    // A link that carries nothing to the generator (the tester's proxy): every attempt fails.
    rig.tap.onOutbound = () => {};
    rig.generator.unplug();
    await reconnecting;
    const sent = rig.tap.outbound.length;
    const stopped = rig.link.stop();
    const stopsSent = () => rig!.tap.outbound.slice(sent).filter((l) => decoded(l)?.type === 'STOP').length;
    // Two whole attempts (first send + retransmissions each), on two connections.
    await until(() => stopsSent() >= 2 * (FAST.requestRetries + 1) + 1, 'two failed attempts');
    const attempts = rig.tap.outbound.slice(sent).map((l) => decoded(l)?.type);
    // A HELLO is never written while the STOP is unconfirmed: STOP needs no session (§10).
    expect(attempts[0]).toBe('STOP');
    expect(attempts).not.toContain('HELLO');
    expect(rig.link.stats().connections).toBe(1);
    rig.tap.onOutbound = (line, deliver) => deliver(line);
    await expect(stopped).resolves.toMatchObject({ output: 'off' });
    expect(rig.generator.server.model.state.output).toBe('off');
  });

  it('writes every STOP as CAN + STOP, and CAN first on every connection (PROTOCOL.md §2)', async () => {
    rig = inProcessRig();
    await rig.link.connect();
    await rig.link.stop();
    expect(rig.tap.outbound[0]!.startsWith(CANCEL)).toBe(true);
    const stops = rig.tap.outbound.filter((l) => decoded(l)?.type === 'STOP');
    expect(stops.length).toBeGreaterThan(0);
    for (const l of stops) expect(l.startsWith(CANCEL)).toBe(true);
  });

  it('never wraps inside a session: near the end of the seq space it opens a new session (same cid) and output keeps running', async () => {
    rig = inProcessRig({ firstSeq: MAX_SEQ - SEQ_RENEW_MARGIN - 3 });
    await rig.link.connect();
    await rig.link.setProgram(PROGRAM);
    await rig.link.setOutput(true, 'test');
    const model = rig.generator.server.model;
    const before = model.session!;
    for (let i = 0; i < 3; i++) await rig.link.setProgram({ ...PROGRAM, amplitudeUa: 1550 + 50 * i });
    const after = model.session!;
    expect(after.sess).not.toBe(before.sess);
    expect(after.cid).toBe(before.cid);
    expect(model.state).toMatchObject({ output: 'on', mode: 'test', amplitudeUa: 1650 });
    const seqs = model.executions.map((e) => e.seq);
    expect(Math.max(...seqs)).toBeLessThanOrEqual(MAX_SEQ - SEQ_RENEW_MARGIN + 1);
    expect(model.executions.slice(-4).map((e) => `${e.type} ${e.seq}`)).toEqual(['HELLO 1', 'SET 2', 'SET 3', 'SET 4']);
    expect(rig.events.filter((e) => e.type === 'handshake')).toHaveLength(1);
  });

  it('delivers telemetry and generator events to subscribers and counts lines', async () => {
    rig = inProcessRig({ server: { telemetryHz: 100 } });
    await rig.link.connect();
    await until(() => rig!.events.filter((e) => e.type === 'telemetry').length >= 3, 'telemetry');
    rig.generator.server.externalChange({ ...PROGRAM, amplitudeUa: 0 });
    await until(
      () => rig!.events.some((e) => e.type === 'generator-event' && e.event.kind === 'program-changed'),
      'event',
    );
    const stats = rig.link.stats();
    expect(stats.linesIn).toBeGreaterThan(3);
    expect(stats.linesOut).toBeGreaterThanOrEqual(2);
  });

  it('rejects requests made while not connected, sending nothing', async () => {
    rig = inProcessRig();
    await expect(rig.link.setProgram(PROGRAM)).rejects.toBeInstanceOf(DisconnectedError);
    expect(rig.tap.outbound).toEqual([]);
  });
});

describe('serial generator link against a scripted generator', () => {
  const normal = (m: Message): Message[] => {
    if (m.type === 'HELLO')
      return [
        {
          type: 'ACK',
          seq: m.seq,
          of: 'HELLO',
          identity: SCRIPTED_IDENTITY,
          limits: SCRIPTED_LIMITS,
          session: SCRIPTED_SESSION,
          ended: 'none',
        },
      ];
    if (m.type === 'STATE' || m.type === 'HB') return [{ type: 'ACK', seq: m.seq, of: m.type, state: SCRIPTED_STATE }];
    return [];
  };
  let link: SerialGeneratorLink | undefined;
  afterEach(async () => {
    await link?.close();
    link = undefined;
  });

  it('rejects a read-back that differs from the request (ReadbackMismatchError)', async () => {
    link = new SerialGeneratorLink({
      timing: FAST,
      opener: scriptedOpener((m) => {
        if (m.type !== 'SET') return normal(m);
        // A generator that silently applies one step more than asked.
        const { seq, type: _t, ...program } = m;
        return [
          {
            type: 'ACK',
            seq,
            of: 'SET',
            state: { ...SCRIPTED_STATE, ...program, amplitudeUa: program.amplitudeUa + 50 },
          },
        ];
      }),
    });
    await link.connect();
    const error = await link.setProgram(PROGRAM).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadbackMismatchError);
    expect((error as Error).message).toMatch(/1550 µA/);
  });

  it('rejects an output read-back that differs, and a STOP that does not confirm output off', async () => {
    const on = { ...SCRIPTED_STATE, output: 'on' as const, mode: 'therapy' as const };
    link = new SerialGeneratorLink({
      timing: FAST,
      opener: scriptedOpener((m) => {
        if (m.type === 'OUTPUT') return [{ type: 'ACK', seq: m.seq, of: 'OUTPUT', state: on }];
        if (m.type === 'STOP') return [{ type: 'ACK', seq: m.seq, of: 'STOP', output: 'on', rev: on.programRev }];
        return normal(m);
      }),
    });
    await link.connect();
    await expect(link.setOutput(true, 'test')).rejects.toBeInstanceOf(OutputMismatchError);
    await expect(link.stop()).rejects.toBeInstanceOf(OutputMismatchError);
  });

  it('refuses a generator speaking another protocol version, saying what to do', async () => {
    link = new SerialGeneratorLink({
      timing: FAST,
      opener: scriptedOpener((m) =>
        m.type === 'HELLO'
          ? [
              {
                type: 'ACK',
                seq: m.seq,
                of: 'HELLO',
                identity: { ...SCRIPTED_IDENTITY, proto: 1 },
                limits: SCRIPTED_LIMITS,
              },
            ]
          : normal(m),
      ),
    });
    const error = await link.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionMismatchError);
    expect((error as Error).message).toMatch(/protocol v1.*v2.*[Uu]pdate/);
    expect(link.status).toBe('disconnected');
  });

  it('turns a NAK VERSION_MISMATCH to HELLO into VersionMismatchError', async () => {
    link = new SerialGeneratorLink({
      timing: FAST,
      opener: scriptedOpener((m) =>
        m.type === 'HELLO'
          ? [{ type: 'NAK', seq: m.seq, code: ErrorCode.VERSION_MISMATCH, message: 'protocol 1 not supported' }]
          : normal(m),
      ),
    });
    await expect(link.connect()).rejects.toBeInstanceOf(VersionMismatchError);
  });

  it('counts over-long lines and bad CRCs from the generator, ignores them, and still gets the reply', async () => {
    let readOnce = false;
    link = new SerialGeneratorLink({
      timing: FAST,
      opener: scriptedOpener((m) => {
        if (m.type !== 'STATE' || !readOnce) {
          if (m.type === 'STATE') readOnce = true;
          return normal(m);
        }
        return [`${'X'.repeat(300)}\n`, 'TEL out=off*0000\n', ...normal(m)];
      }),
    });
    await link.connect();
    await expect(link.readState()).resolves.toEqual(SCRIPTED_STATE);
    expect(link.stats()).toMatchObject({ overruns: 1, badCrc: 1 });
  });
});
