import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPtyGenerator, type PtyGenerator } from '../../firmware-sim/pty-generator.js';
import type { FaultKind } from '../../firmware-sim/fault-injector.js';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { verifyChain } from '../../src/audit/audit-chain.js';
import type { LinkTiming } from '../../src/link/link-timing.js';
import { openGeneratorLink } from '../../src/link/open-link.js';
import { parseScript } from '../../src/session/script-parser.js';
import { runScript } from '../../src/session/script-runner.js';
import {
  createSessionController,
  type SessionController,
  type SessionView,
} from '../../src/session/session-controller.js';
import { int, rngFor } from '../fuzz/line-corpus.js';
import { BedsideScript } from './bedside-script.js';
import { ModelWatch } from './model-watch.js';
import { WireTrace } from './wire-trace.js';

/**
 * The fault soak: bedside sessions (`scs script` lines through the session controller) against the
 * simulator on a real pseudo-terminal, over the real serial binding, while the simulator drops,
 * corrupts, duplicates and delays lines and the harness unplugs the cable and resets the generator
 * at random points (also in the middle of a command). Invariants are checked against the generator
 * model as it executes (model-watch.ts) and after each recovery.
 */

export interface SoakOptions {
  seed: number;
  /** Stop after this long (ms), or after maxOps operations, whichever comes first. */
  durationMs: number;
  maxOps?: number;
  /** Go on past durationMs (up to 4×) until every fault kind and COVERED invariant has happened (npm test on a loaded machine). */
  untilCovered?: boolean;
  /** Progress lines (the soak prints them); default silent. */
  log?: (line: string) => void;
}

/** What a short run must have exercised to prove anything (test/soak/fault-soak.test.ts). */
export const FAULT_KINDS = [
  'drop',
  'corrupt',
  'duplicate',
  'delay',
  'hold',
  'unplugs',
  'resets',
  'midCommand',
] as const;
export const COVERED = [
  'window',
  'armed',
  'once',
  'order',
  'refusals',
  'view',
  'recovery',
  'stop',
  'unrequested',
  'inherited',
] as const;

/** Lines each way covered by the printed schedule digest (a short run sees more than this). */
export const DIGEST_LINES = 500;

export interface SoakReport {
  seed: number;
  operations: number;
  elapsedMs: number;
  faults: Record<FaultKind, number> & { unplugs: number; resets: number; midCommand: number };
  invariants: ModelWatch['checks'];
  executed: number;
  replayed: number;
  generatorNaks: Record<number, number>;
  /** Per script command (first two words): [accepted, sent]. */
  commands: Record<string, [number, number]>;
  link: Record<string, number>;
  violations: string[];
  /** Lines each way the fault injector saw, and the digest of its schedule over the first DIGEST_LINES. */
  lines: { inbound: number; outbound: number };
  /** The digest covers the faults of the first digestLines lines each way (DIGEST_LINES, if reached). */
  digestLines: number;
  scheduleDigest: string;
  /** The longest hold released: lines passed and ms (for "≥ 15 s with ≥ 64 requests in between"). */
  holds: { released: number; longestLines: number; longestMs: number };
  /** Last 50 lines each way at the first violation. */
  wireTrace?: string;
}

export const SOAK_TIMING: Partial<LinkTiming> = {
  requestTimeoutMs: 80,
  requestRetries: 5,
  heartbeatIntervalMs: 100,
  reconnectDelayMs: 20,
  reconnectMaxDelayMs: 200,
};
/** Per operation: unplug+replug, generator reset, or either of them in the middle of the command. */
const FAULT_RATES = { unplug: 0.01, reset: 0.01, midCommand: 0.02 };
/** Delays are counted in lines too (3 newer lines overtake a delayed one): no fault waits on a clock. */
const LINE_FAULTS = { drop: 0.05, corrupt: 0.05, duplicate: 0.03, delay: 0.03, delayLines: 3 };
/**
 * Companion → generator only: some lines held back until 200–1000 newer lines have passed (message
 * counts, so a seed replays it): far longer than the reply cache (32), and at the soak's request rate
 * (~30 lines/s) the longer ones exceed 15 s (the soak prints the longest it released).
 */
const INBOUND_FAULTS = { ...LINE_FAULTS, hold: 0.01, holdLines: 200, holdLinesMax: 1000 };
/** Longest a single script line or a recovery may take before the soak calls it a hang. */
const HANG_MS = 20_000;
/** Only turning output on needs a fresh action after a reset or reconnect. */
const ARMING = /^(search start|output on|commit)$/;
/** After a reset whose EVT boot was lost, the link may not notice until a request is refused: wait this long for it. */
const RESET_NOTICE_MS = 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms (hang)`)), ms)),
  );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const recovered = (v: SessionView) =>
  v.link.status === 'connected' && v.settled && ['ready', 'search', 'tuning', 'therapy', 'blocked'].includes(v.state);

export async function runFaultSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const r = rngFor(options.seed);
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-soak-'));
  const linkPath = path.join(dir, 'generator');
  let bootNo = 0;
  const trace = new WireTrace();
  let wireTrace: string | undefined;
  const gen: PtyGenerator = await startPtyGenerator({
    linkPath,
    onWire: trace.record,
    telemetryHz: 10,
    faults: { seed: options.seed, inbound: INBOUND_FAULTS, outbound: LINE_FAULTS },
    config: { newBootId: () => (0xb0000000 + bootNo++).toString(16) },
  });
  const link = openGeneratorLink({ port: linkPath, timing: SOAK_TIMING });
  const audit = openAuditLog(path.join(dir, 'audit.jsonl'));
  const context = { armed: false, patientCeilingUa: () => null as number | null };
  const watch = new ModelWatch(gen.server.model, context, () => performance.now() - started);
  watch.onFirstViolation = () => (wireTrace = trace.snapshot());
  const controller: SessionController = createSessionController({ link, dwellMs: 0, audit: (e) => audit.append(e) });
  context.patientCeilingUa = () => {
    const v = controller.view();
    return v.patientMode && v.window ? v.window.highUa : null;
  };
  // A reconnect the harness did not cause (a timeout under faults) also disarms.
  let connections = 0;
  link.subscribe((e) => {
    if (e.type === 'handshake' && ++connections > 1) context.armed = false;
  });
  const faults = { unplugs: 0, resets: 0, midCommand: 0 };
  const FORCED: Record<number, { fault: 'unplug' | 'reset' | null; mid?: 'unplug' | 'reset' }> = {
    8: { fault: 'unplug' },
    16: { fault: 'reset' },
    24: { fault: null, mid: 'unplug' },
    32: { fault: null, mid: 'reset' },
  };
  const forcedDone = new Set<number>();
  const script = new BedsideScript(r);
  let operations = 0;
  const commands: Record<string, [number, number]> = {};

  const unplug = async () => {
    faults.unplugs++;
    context.armed = false;
    gen.unplug();
    await sleep(int(r, 0, 300));
    await gen.replug();
  };
  const reset = () => {
    faults.resets++;
    context.armed = false;
    gen.server.reset();
  };

  /**
   * After a fault: the link notices and reconnects (after an unplug it must; after a reset it does when
   * the EVT boot or a NOT_READY reveals it), the session settles, and then its view equals the
   * generator's within one heartbeat.
   */
  const checkRecovery = async (what: string, handshakesBefore: number, mustReconnect: boolean) => {
    const t0 = performance.now();
    while (connections <= handshakesBefore && performance.now() - t0 < (mustReconnect ? HANG_MS : RESET_NOTICE_MS))
      await sleep(5);
    if (mustReconnect)
      watch.check('recovery', connections > handshakesBefore, () => `no reconnection ${HANG_MS} ms after ${what}`);
    while (!recovered(controller.view())) {
      if (performance.now() - t0 > HANG_MS) {
        watch.check(
          'recovery',
          false,
          () => `no recovery ${HANG_MS} ms after ${what}: ${controller.view().state}/${controller.view().link.status}`,
        );
        return;
      }
      await sleep(5);
    }
    watch.check('recovery', true, () => '');
    // Reconnected: a new session of this companion may be in search/tuning only with output it turned on.
    watch.checkNewSession(link.companionId, controller.view().state);
    const heartbeat = SOAK_TIMING.heartbeatIntervalMs!;
    const deadline = performance.now() + heartbeat;
    let last = '';
    for (;;) {
      const v = controller.view().generator;
      const m = gen.server.model.state;
      const same =
        v !== null &&
        v.output === m.output &&
        v.mode === m.mode &&
        v.rateHz === m.rateHz &&
        v.pulseWidthUs === m.pulseWidthUs &&
        v.amplitudeUa === m.amplitudeUa &&
        v.contacts === m.contacts;
      if (same) break;
      last = `companion shows ${JSON.stringify(v)}, generator is ${JSON.stringify(m)}`;
      if (performance.now() > deadline) {
        watch.check('view', false, () => `${what}: view differs one heartbeat after recovery: ${last}`);
        return;
      }
      await sleep(5);
    }
    watch.check('view', true, () => '');
  };

  try {
    await within(HANG_MS, 'connect', controller.dispatch({ type: 'CONNECT' }));
    const totals = (): Record<string, number> => ({ ...gen.server.faults.totals, ...faults });
    const covered = () => FAULT_KINDS.every((k) => totals()[k]! > 0) && COVERED.every((name) => watch.checks[name] > 0);
    const more = () => {
      const t = performance.now() - started;
      return t < options.durationMs || (!!options.untilCovered && t < 4 * options.durationMs && !covered());
    };
    while (more() && operations < (options.maxOps ?? Infinity) && watch.violations.length === 0) {
      // Besides the random ones, one fault of each kind early on, so even a short run has every kind.
      const forced = FORCED[operations];
      if (forced && forcedDone.has(operations)) forced.fault = null;
      forcedDone.add(operations);
      const roll = forced ? (forced.fault === 'unplug' ? 0 : forced.fault === 'reset' ? FAULT_RATES.unplug : 1) : r();
      const before = connections;
      if (roll < FAULT_RATES.unplug) {
        await unplug();
        await checkRecovery('unplug/replug', before, true);
        continue;
      }
      if (roll < FAULT_RATES.unplug + FAULT_RATES.reset) {
        reset();
        await checkRecovery('generator reset', before, false);
        continue;
      }
      const line = script.next();
      const parsed = parseScript(line);
      if (!parsed.ok)
        throw new Error(`soak generated a line the parser refuses: ${line}: ${JSON.stringify(parsed.errors)}`);
      if (ARMING.test(line)) context.armed = true;
      // Some commands have a fault land while they are under way.
      const midFault = forced?.mid ?? (r() < FAULT_RATES.midCommand ? (r() < 0.5 ? 'unplug' : 'reset') : null);
      const midTimer = midFault
        ? sleep(int(r, 0, 30)).then(() => (faults.midCommand++, midFault === 'unplug' ? unplug() : reset()))
        : Promise.resolve();
      const [result] = await within(HANG_MS, `script line '${line}'`, runScript(parsed.steps, controller));
      await midTimer;
      operations++;
      const verb = /^(amp|mark|output|patient-mode|search) \S+|^\S+/.exec(line)![0];
      const tally = (commands[verb] ??= [0, 0]);
      tally[1]++;
      if (result?.accepted) tally[0]++;
      if (midFault) await checkRecovery(`${midFault} during '${line}'`, before, midFault === 'unplug');
      if (line === 'stop' && result) {
        const v = controller.view();
        // A STOP that ran to its end on a connected link left the generator off (unless a reset already did).
        if (v.link.status === 'connected' && !v.stopPending && !midFault) {
          watch.check(
            'stop',
            gen.server.model.state.output === 'off',
            () => `after 'stop' the generator is ${JSON.stringify(gen.server.model.state)}`,
          );
        }
      }
      if (operations % 200 === 0)
        log(
          `  ${operations} operations, ${Math.round((performance.now() - started) / 1000)} s, ${watch.executed} requests executed`,
        );
    }
  } catch (error) {
    watch.violation('recovery', (error as Error).message);
  } finally {
    controller.dispose();
    await link.close();
    await gen.close();
    audit.close();
  }
  // The digest covers a prefix both directions reached: two runs of a seed that reached it agree.
  const digestLines = Math.min(DIGEST_LINES, gen.server.faults.lines.inbound, gen.server.faults.lines.outbound);
  const chain = verifyChain(fs.readFileSync(path.join(dir, 'audit.jsonl'), 'utf8'));
  watch.check('audit', chain.ok, () => `audit log chain broken: ${JSON.stringify(chain)}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    seed: options.seed,
    operations,
    elapsedMs: Math.round(performance.now() - started),
    faults: { ...gen.server.faults.totals, ...faults },
    invariants: watch.checks,
    executed: watch.executed,
    replayed: watch.replayed,
    generatorNaks: watch.naks,
    commands,
    link: { ...link.stats() },
    violations: watch.violations,
    lines: gen.server.faults.lines,
    digestLines,
    scheduleDigest: gen.server.faults.scheduleDigest(digestLines),
    holds: { ...gen.server.faults.holds },
    ...(wireTrace === undefined ? {} : { wireTrace }),
  };
}
