import { afterEach, describe, expect, it } from 'vitest';
import type { Request } from '../../protocol/index.js';
import { parseScript } from '../../src/session/script-parser.js';
import { runScript } from '../../src/session/script-runner.js';
import { createSessionController, type SessionController } from '../../src/session/session-controller.js';
import { decoded, inProcessRig, until, type Rig } from '../link/link-test-kit.js';

/**
 * Issue 12, failure 1, reproduced on protocol v2: with inbound lines held back far longer than any
 * reply cache (released only after 64 newer lines, counted, not timed), a scripted session searches,
 * steps, commits and stops. Under v1 a late original arrived after 32 newer requests, ran, and turned
 * output back on after STOP. Now: after the STOP runs, no SET or OUTPUT on=1 runs and output never
 * comes back on; and no held SET or OUTPUT on=1 ever runs after a newer one.
 */

const SCRIPT = [
  'electrodes 1- 2+',
  'search start',
  ...Array.from({ length: 6 }, () => 'amp up'),
  'mark sensory',
  ...Array.from({ length: 4 }, () => 'amp up'),
  'mark discomfort',
  'amp down',
  'commit',
  'amp up',
  'output off',
  'search start',
  'amp up',
  'amp up',
  'stop',
].join('\n');

/** Hold back the first copy of every SET and OUTPUT; release each after this many newer outbound lines. */
const HOLD_FOR_LINES = 64;

let rig: Rig | undefined;
let controller: SessionController | undefined;
afterEach(async () => {
  controller?.dispose();
  await rig?.close();
  rig = controller = undefined;
});

describe('v1 reproduction: late lines after STOP (issue 12)', () => {
  it(
    'held SET/OUTPUT originals released 64 lines later never run; output never comes back on after stop',
    { timeout: 60_000 },
    async () => {
      rig = inProcessRig({ timing: { heartbeatIntervalMs: 20, requestTimeoutMs: 60, requestRetries: 5 } });
      const model = rig.generator.server.model;
      const held: { line: string; releaseAt: number; deliver: (l: string) => void }[] = [];
      const seen = new Set<string>();
      let outbound = 0;
      rig.tap.onOutbound = (line, deliver) => {
        outbound++;
        for (const h of held.filter((x) => x.releaseAt <= outbound)) {
          held.splice(held.indexOf(h), 1);
          h.deliver(h.line);
        }
        const m = decoded(line);
        if ((m?.type === 'SET' || m?.type === 'OUTPUT') && !seen.has(line)) {
          seen.add(line);
          held.push({ line, releaseAt: outbound + HOLD_FOR_LINES, deliver });
          return; // the retransmission (same line) gets through; this original arrives much later
        }
        deliver(line);
      };
      // Everything the model runs, with the output state it leaves.
      const ran: { request: Request; output: string }[] = [];
      const handle = model.handle.bind(model);
      model.handle = (request, now) => {
        const before = model.executions.length;
        const reply = handle(request, now);
        if (model.executions.length > before) ran.push({ request, output: model.state.output });
        return reply;
      };
      controller = createSessionController({ link: rig.link, dwellMs: 0 });
      await controller.dispatch({ type: 'CONNECT' });
      const parsed = parseScript(SCRIPT);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const results = await runScript(parsed.steps, controller);
      expect(results.at(-1)?.accepted).toBe(true);
      expect(results.filter((r) => r.accepted).length).toBeGreaterThan(15);
      expect(held.length + seen.size).toBeGreaterThan(10);
      // Heartbeats carry the count on until every held original has been delivered (late).
      await until(() => held.length === 0, 'every held line released', 30_000);
      await new Promise((r) => setTimeout(r, 100));

      const stopAt = ran.findIndex((r) => r.request.type === 'STOP');
      expect(stopAt).toBeGreaterThan(0);
      const after = ran.slice(stopAt + 1);
      // Turning output off is never refused (PROTOCOL.md §4.4), so a late OUTPUT on=0 may run: harmless.
      const acting = (r: Request) => r.type === 'SET' || (r.type === 'OUTPUT' && r.on);
      expect(after.filter((r) => acting(r.request))).toEqual([]);
      expect(after.every((r) => r.output === 'off')).toBe(true);
      expect(model.state.output).toBe('off');
      // Never after something newer, and at most once, in every session.
      const newest = new Map<string, number>();
      for (const { request } of ran) {
        if (request.type !== 'SET' && !(request.type === 'OUTPUT' && request.on)) continue;
        expect(request.seq).toBeGreaterThan(newest.get(request.sess) ?? 0);
        newest.set(request.sess, request.seq);
      }
    },
  );
});
