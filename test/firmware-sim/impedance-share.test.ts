import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { SerialPort } from 'serialport';
import { ErrorCode, type Reply, type Request } from '../../protocol/index.js';
import { openModelSession } from './model-session.js';
import { GeneratorModel, type GeneratorConfig } from '../../firmware-sim/generator-model.js';
import { parseImpedanceFlag, parseImpedanceSetting } from '../../firmware-sim/impedance-setting.js';
import { runSim } from '../../src/cli/sim-command.js';
import { UsageError } from '../../src/errors/user-error.js';
import { LineClient, until } from './line-client.js';

/**
 * The generator enforces charge density per contact from its own contacts' impedance (PROTOCOL.md
 * §4.3.1): it refuses with CHARGE_DENSITY, never clamps. At 500 µs one 0.1225 cm² contact may carry
 * 7350 µA; cathodes of 250, 1000, 1000, 1000 Ω give the first 4/7 → at most 12862 µA in all.
 */

const FOUR_BY_FOUR = '----++++';

function connected(config: Partial<GeneratorConfig> = {}) {
  const model = new GeneratorModel({ newBootId: () => 'aaaa0001', ...config });
  let seq = 1;
  // Protocol v2: SET/OUTPUT in this session, computed from the revision now.
  const { sess } = openModelSession(model, seq);
  const send = (r: Record<string, unknown> & { type: Request['type'] }): Reply => {
    const stamp = r.type === 'SET' || r.type === 'OUTPUT' ? { sess, rev: model.state.programRev } : {};
    return model.handle({ seq: ++seq, ...stamp, ...r } as Request, 0);
  };
  return { model, send };
}
const set = (amplitudeUa: number, contacts = FOUR_BY_FOUR) => ({
  type: 'SET' as const,
  rateHz: 50,
  pulseWidthUs: 500,
  amplitudeUa,
  contacts,
});

describe('generator: charge density per contact from its own impedance', () => {
  it('accepts up to the weighted limit and refuses one step more, naming the contact; nothing changes on refusal', () => {
    const { model, send } = connected({ impedances: [250, 1000, 1000, 1000, 1000, 1000, 1000, 1000] });
    expect(send(set(12_850))).toMatchObject({ type: 'ACK', state: { amplitudeUa: 12_850 } });
    const refused = send(set(12_900));
    expect(refused).toMatchObject({ type: 'NAK', code: ErrorCode.CHARGE_DENSITY });
    expect(refused.type === 'NAK' && refused.message).toBe(
      'charge density over 30 uC/cm2: at 500 us this contact set allows at most 12862 uA (contact 1 carries 57%)',
    );
    expect(model.state.amplitudeUa).toBe(12_850);
  });

  it('equal impedances: the equal split, up to the hardware maximum', () => {
    const { send } = connected({ impedances: Array.from({ length: 8 }, () => 1000) });
    expect(send(set(25_500)).type).toBe('ACK');
  });

  it('an open or shorted active contact: the whole amplitude on one contact', () => {
    const { send } = connected({ impedances: [1000, 'open', 1000, 1000, 1000, 1000, 1000, 1000] });
    expect(send(set(7_350)).type).toBe('ACK');
    const refused = send(set(7_400));
    expect(refused).toMatchObject({ type: 'NAK', code: ErrorCode.CHARGE_DENSITY });
    expect(refused.type === 'NAK' && refused.message).toMatch(/at most 7350 uA \(open\/short contact: worst case\)$/);
  });

  it('a contact whose impedance drops is measured at the next SET and reported by IMP', () => {
    const { model, send } = connected({ impedances: Array.from({ length: 8 }, () => 1000) });
    expect(send(set(20_000)).type).toBe('ACK');
    model.setImpedance(1, 250);
    expect(send({ type: 'IMP' })).toMatchObject({ ohms: [250, 1000, 1000, 1000, 1000, 1000, 1000, 1000] });
    expect(send(set(19_950))).toMatchObject({ type: 'NAK', code: ErrorCode.CHARGE_DENSITY });
    expect(model.state.amplitudeUa).toBe(20_000);
    expect(() => model.setImpedance(9, 100)).toThrow(/contact 9 does not exist/);
    // The patient's remote obeys the same rule.
    expect(() =>
      model.externalChange({ rateHz: 50, pulseWidthUs: 500, amplitudeUa: 12_900, contacts: FOUR_BY_FOUR }),
    ).toThrow(/charge density/);
  });
});

describe('scs sim: contact impedance from a flag and from stdin', () => {
  it('parses C=OHMS, C=open, C=short and refuses anything else', () => {
    expect(parseImpedanceFlag('1=250', 8)).toEqual({ ok: true, contact: 1, reading: 250 });
    expect(parseImpedanceFlag('8=open', 8)).toEqual({ ok: true, contact: 8, reading: 'open' });
    expect(parseImpedanceSetting('3', 'short', 8)).toEqual({ ok: true, contact: 3, reading: 'short' });
    for (const bad of ['9=100', '0=100', '1=0', '1=-5', '1=2.5', '1=', '=100', '1', 'x=1'])
      expect(parseImpedanceFlag(bad, 8).ok, bad).toBe(false);
  });

  it('--impedance sets readings at start, `impedance C OHMS` on stdin changes one; IMP reports both', async () => {
    const stdin = new PassThrough();
    let out = '';
    let err = '';
    const stdout = new PassThrough().on('data', (d: Buffer) => (out += d.toString()));
    const stderr = new PassThrough().on('data', (d: Buffer) => (err += d.toString()));
    const stop = new AbortController();
    const done = runSim(
      ['--json', '--telemetry-hz', '0', '--contacts', '4', '--impedance', '1=250', '--impedance', '3=open'],
      { stdout, stderr, stdin, env: {} },
      { signal: stop.signal },
    );
    await until(() => out.includes('\n'), 'the JSON line');
    const doc = JSON.parse(out);
    expect(doc.impedances).toEqual([250, expect.any(Number), 'open', expect.any(Number)]);
    const port = new SerialPort({ path: doc.path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    const client = new LineClient(port);
    expect(await client.request({ type: 'IMP', seq: 1 })).toMatchObject({
      ohms: [250, expect.any(Number), 'open', expect.any(Number)],
    });
    stdin.write('impedance 2 short\n');
    await until(() => err.includes('contact 2 impedance now short'), 'the stdin command applied');
    expect(await client.request({ type: 'IMP', seq: 2 })).toMatchObject({
      ohms: [250, 'short', 'open', expect.any(Number)],
    });
    stdin.write('impedance 5 100\n');
    await until(() => err.includes('impedance: contact must be a whole number from 1 to 4'), 'the bad contact refused');
    await new Promise((r) => port.close(r));
    stop.abort();
    expect(await done).toBe(0);
  });

  it('refuses a bad --impedance with a usage error', async () => {
    const io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
    const error = await runSim(['--impedance', '9=100'], io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/--impedance: contact must be a whole number from 1 to 8/);
  });
});
