/**
 * 8. The patient web diary under load, on 127.0.0.1 only: P simulated phones (default 500) each
 * enrol with their link and send E entries (default 3), C at a time, against `scs diary serve` as
 * its own process. Beside it, in the same run, the anchor: a bare node:http server answering the same
 * requests without framework or storage. Reports p50/p99 latency and entries/s for both, their ratio,
 * and checks the store: 0 entries lost (answered 2xx but missing), 0 stored twice. Bounded by the
 * fixed count and a time limit (--time-limit seconds, default 120).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiaryStore } from '../src/diary/diary-store.js';
import { instantFromDate, parseInstant, formatInstant } from '../src/diary/instant.js';
import { newToken, tokenHash, enrolLink } from '../src/diary/web/invite-token.js';
import { WebDiaryStore } from '../src/diary/web/web-diary-store.js';
import {
  type PhoneEntry,
  type RunningServer,
  enrolPhone,
  phoneEntry,
  postEntry,
  startListening,
} from './lib/web-diary-client.js';
import { intFlag, isMain, printJson, printTable, ratio, round, spread } from './lib/stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const H = 3_600_000;

interface LoadResult {
  latencyMs: ReturnType<typeof spread>;
  entriesPerSecond: number;
  wallSeconds: number;
  acknowledged: string[];
  failed: number;
  timedOut: boolean;
}

/** Sends every phone's entries, `concurrency` requests in flight; stops early at the time limit. */
async function load(
  baseUrl: string,
  phones: { cookie: string; entries: PhoneEntry[] }[],
  concurrency: number,
  limitMs: number,
): Promise<LoadResult> {
  const work = phones.flatMap((p) => p.entries.map((entry) => ({ cookie: p.cookie, entry })));
  const latencies: number[] = [];
  const acknowledged: string[] = [];
  let failed = 0;
  let next = 0;
  const t0 = performance.now();
  const deadline = t0 + limitMs;
  const worker = async () => {
    while (next < work.length && performance.now() < deadline) {
      const { cookie, entry } = work[next++]!;
      const r = await postEntry(baseUrl, cookie, entry);
      latencies.push(r.ms);
      if (r.status === 201 || r.status === 200) acknowledged.push(entry.id);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = (performance.now() - t0) / 1000;
  return {
    latencyMs: spread(latencies),
    entriesPerSecond: latencies.length / wall,
    wallSeconds: wall,
    acknowledged,
    failed,
    timedOut: next < work.length,
  };
}

function entriesFor(patients: number, perPatient: number): PhoneEntry[][] {
  const now = Date.now();
  // Distinct described times per patient (a second NRS at the same instant would be refused).
  return Array.from({ length: patients }, () =>
    Array.from({ length: perPatient }, (_, j) => phoneEntry(j % 11, (j + 1) * 60_000, now)),
  );
}

export async function runWebDiary(patients = 500, perPatient = 3, concurrency = 16, limitSeconds = 120) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-bench-web-'));
  let server: RunningServer | undefined;
  let anchor: RunningServer | undefined;
  try {
    // Trials and invites written straight into the store (what `diary trial` and `diary invite` do).
    const store = await WebDiaryStore.on(await DiaryStore.open({ dataDir: dir }));
    const tokens: string[] = [];
    const start = parseInstant(formatInstant(Date.now() - 48 * H, 0));
    const end = parseInstant(formatInstant(Date.now() + 5 * 24 * H, 0));
    for (let i = 0; i < patients; i++) {
      const id = `B-${String(i).padStart(4, '0')}`;
      await store.diary.setTrial(id, { start, end });
      const token = newToken();
      await store.createInvite(id, tokenHash(token), 'en', end.ms, Date.now());
      tokens.push(token);
    }
    await store.diary.close();

    server = await startListening([
      '--import',
      'tsx',
      path.join(ROOT, 'src/cli/main.ts'),
      'diary',
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data-dir',
      dir,
      '--rate-per-address',
      '100000000',
      '--rate-per-session',
      '100000',
      '--rate-enrol-per-address',
      '100000',
    ]);
    anchor = await startListening(['--import', 'tsx', path.join(ROOT, 'bench/lib/web-diary-anchor.ts')]);
    const cookies: string[] = [];
    for (let i = 0; i < tokens.length; i += concurrency) {
      cookies.push(
        ...(await Promise.all(tokens.slice(i, i + concurrency).map((t) => enrolPhone(enrolLink(server!.baseUrl, t))))),
      );
    }
    const entries = entriesFor(patients, perPatient);
    const phones = cookies.map((cookie, i) => ({ cookie, entries: entries[i]! }));
    // Warm both (JIT, connections) with a throwaway round on the anchor and a few real entries.
    await load(
      anchor.baseUrl,
      phones.slice(0, 20).map((p) => ({ ...p, entries: entriesFor(1, perPatient)[0]! })),
      concurrency,
      10_000,
    );
    const anchorRun = await load(anchor.baseUrl, phones, concurrency, limitSeconds * 1000);
    const serverRun = await load(server.baseUrl, phones, concurrency, limitSeconds * 1000);
    server.child.kill('SIGTERM');
    await server.exited;

    const check = await DiaryStore.open({ dataDir: dir, mustExist: true });
    const rows = check.db.prepare('SELECT client_uuid, patient_id FROM diary_web_entries').all() as {
      client_uuid: string;
    }[];
    const webCount = (
      check.db.prepare("SELECT count(*) AS n FROM diary_entries WHERE source = 'web'").get() as { n: number }
    ).n;
    await check.close();
    const storedIds = new Set(rows.map((r) => r.client_uuid));
    const lost = serverRun.acknowledged.filter((id) => !storedIds.has(id)).length;
    const duplicated = webCount - storedIds.size;
    const sent = patients * perPatient;
    return {
      bench: 'web-diary' as const,
      unit: 'ms',
      host: '127.0.0.1',
      patients,
      entriesPerPatient: perPatient,
      concurrency,
      timeLimitSeconds: limitSeconds,
      server: {
        latencyMs: roundSpread(serverRun.latencyMs),
        entriesPerSecond: round(serverRun.entriesPerSecond, 1),
        wallSeconds: round(serverRun.wallSeconds, 2),
        answered2xx: serverRun.acknowledged.length,
        failed: serverRun.failed,
      },
      anchor: {
        latencyMs: roundSpread(anchorRun.latencyMs),
        entriesPerSecond: round(anchorRun.entriesPerSecond, 1),
        wallSeconds: round(anchorRun.wallSeconds, 2),
      },
      ratio: {
        p50: ratio(serverRun.latencyMs.median, anchorRun.latencyMs.median),
        p99: ratio(serverRun.latencyMs.p99, anchorRun.latencyMs.p99),
        throughput: ratio(serverRun.entriesPerSecond, anchorRun.entriesPerSecond),
      },
      integrity: { sent, stored: storedIds.size, lost, duplicated, timedOut: serverRun.timedOut },
      ok: lost === 0 && duplicated === 0 && !serverRun.timedOut && storedIds.size === sent && serverRun.failed === 0,
      at: instantFromDate(new Date()).text,
    };
  } finally {
    server?.child.kill('SIGKILL');
    anchor?.child.kill('SIGTERM');
    await Promise.all([server?.exited, anchor?.exited]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function roundSpread(s: ReturnType<typeof spread>) {
  return { n: s.n, median: round(s.median), p99: round(s.p99), min: round(s.min), max: round(s.max) };
}

if (isMain(import.meta.url)) {
  const argv = process.argv;
  const r = await runWebDiary(
    intFlag(argv, 'patients', 500),
    intFlag(argv, 'entries', 3),
    intFlag(argv, 'concurrency', 16),
    intFlag(argv, 'time-limit', 120),
  );
  printTable(
    `web diary: ${r.patients} phones × ${r.entriesPerPatient} entries, ${r.concurrency} in flight, 127.0.0.1`,
    [
      ['', 'p50 ms', 'p99 ms', 'entries/s'],
      [
        'scs diary serve (Fastify + SQLite, committed)',
        r.server.latencyMs.median,
        r.server.latencyMs.p99,
        r.server.entriesPerSecond,
      ],
      [
        'anchor: bare node:http, no storage',
        r.anchor.latencyMs.median,
        r.anchor.latencyMs.p99,
        r.anchor.entriesPerSecond,
      ],
      ['ratio server / anchor', r.ratio.p50, r.ratio.p99, r.ratio.throughput],
    ],
  );
  process.stdout.write(
    `integrity: sent ${r.integrity.sent}, stored ${r.integrity.stored}, lost ${r.integrity.lost}, duplicated ${r.integrity.duplicated}${r.integrity.timedOut ? ', TIME LIMIT HIT' : ''} → ${r.ok ? 'OK' : 'FAILED'}\n`,
  );
  printJson(r);
  process.exitCode = r.ok ? 0 : 1;
}
