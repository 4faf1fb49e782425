import { openSessionAudit } from '../../src/audit/session-audit-file.js';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { createGeneratorServer } from '../../firmware-sim/generator-server.js';
import { PROTOCOL_VERSION, crc16Hex, decodeMessage, encodeMessage } from '../../protocol/index.js';
import { DiaryStore } from '../../src/diary/diary-store.js';
import { emptyLinkStats } from '../../src/link/link-stats.js';
import { resolveTiming } from '../../src/link/link-timing.js';
import { RequestChannel } from '../../src/link/request-channel.js';
import { storeDiary } from '../../src/ui/diary-adapter.js';
import { handleKey, type KeyContext, type KeyInfo } from '../../src/ui/key-handler.js';
import { initialUiState, type UiState } from '../../src/ui/ui-state.js';
import { runScs } from './run-scs.js';
import { patientAddArgs } from '../outcomes/patient-add-args.js';

/**
 * How each input surface is driven for the bad-input catalogue: the real CLI (in-process, as
 * main.ts runs it), the real CSV importers, the generator server and the companion's channel for
 * protocol lines, the UI's pure key handler and diary adapter, and `scs script` for script files.
 * Each probe returns what the person (or, for protocol lines, the peer) gets, as one string.
 */

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-bad-input-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
/** A new path named `name` in its own scratch directory (names stay as written: messages show them). */
const fresh = (name: string) => path.join(fs.mkdtempSync(path.join(scratch, 'x-')), name);
/** Scratch paths vary per run; the catalogue shows them as <tmp>. */
const anonymize = (text: string) => text.replaceAll(scratch, '<tmp>').replace(/<tmp>\/x-[A-Za-z0-9]{6}/g, '<tmp>');

/** `scs ARGS`: stderr (or stdout when the command succeeded) with the exit code. */
export async function cli(args: string[], stdin?: string): Promise<string> {
  const r = await runScs(args, stdin === undefined ? {} : { stdin });
  const text = (r.code === 0 ? r.out + r.err : r.err).trim();
  return anonymize(`exit ${r.code}: ${text}`);
}

/** A data directory with one patient in the trial phase. */
export async function dataDirWithPatient(): Promise<string> {
  const dir = fresh('data');
  await runScs([
    'diary',
    'add',
    '--patient',
    'P-1',
    '--phase',
    'trial',
    '--nrs',
    '4',
    '--at',
    '2024-03-01T08:00Z',
    '--data-dir',
    dir,
  ]);
  return dir;
}

/** Writes a file (text or bytes) to scratch and returns its path. */
export function file(name: string, content: string | Buffer): string {
  const p = fresh(name);
  fs.writeFileSync(p, content);
  return p;
}

export async function diaryImport(csv: string | Buffer): Promise<string> {
  return cli(['diary', 'import', '--patient', 'P-1', file('diary.csv', csv), '--data-dir', await dataDirWithPatient()]);
}

export async function cohortReport(csv: string | Buffer): Promise<string> {
  return cli(['cohort', 'report', '--file', file('cohort.csv', csv)]);
}

/** A script file through `scs script` against the built-in simulator; the first output line that matters. */
export async function script(text: string | Buffer, pick: (out: string) => string = (o) => o): Promise<string> {
  const r = await runScs(['script', file('session.scs', text), '--dwell-ms', '0', '--json']);
  // The list of commands grows with the language; the catalogue shows it as <list>.
  if (r.code !== 0)
    return anonymize(`exit ${r.code}: ${r.err.trim()}`).replace(/Commands: [^\n]*/, 'Commands: <list>.');
  return anonymize(`exit 0: ${pick(r.out)}`);
}

/** The notices of script line `line` (1-based) from `scs script --json`. */
export const noticesOf = (line: number) => (out: string) => {
  const step = out
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as {
          line: number;
          accepted: boolean;
          notices: { kind: string; reason: string; requested: unknown; applied: unknown }[];
        },
    )
    .find((s) => s.line === line)!;
  return `accepted=${step.accepted}; ${step.notices.map((x) => `${x.kind} ${String(x.requested)} → ${String(x.applied)}: ${x.reason}`).join('; ')}`;
};

class Capture extends EventEmitter {
  destroyed = false;
  lines: string[] = [];
  write(chunk: Buffer | string): boolean {
    this.lines.push(...chunk.toString('latin1').split('\n').filter(Boolean));
    return true;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export const withCrc = (body: string) => `${body}*${crc16Hex(body)}`;

/** One line (bytes as latin1) into a generator that has had a HELLO: its reply, or what it counted. */
/** The probe generator opens session 5e55a001 for the probe companion's HELLO (protocol v2). */
const PROBE_CONFIG = { newSessionId: () => '5e55a001' };
const PROBE_HELLO = { type: 'HELLO', seq: 1, proto: PROTOCOL_VERSION, cid: 'b0b0b0b0' } as const;

export function toGenerator(line: string): string {
  const server = createGeneratorServer({ telemetryHz: 0, tickMs: 60_000, config: PROBE_CONFIG });
  const stream = new Capture();
  server.attach(stream as unknown as Duplex);
  stream.emit('data', Buffer.from(`${encodeMessage(PROBE_HELLO)}\n`, 'latin1'));
  stream.lines = [];
  stream.emit('data', Buffer.from(`${line}\n`, 'latin1'));
  const executed = server.model.executions.length - 1;
  server.close();
  const replies = stream.lines.filter((l) => !l.startsWith('TEL') && !l.startsWith('EVT'));
  if (replies.length === 0)
    return `no reply; counted (badCrc ${server.counters.badCrc}, overruns ${server.counters.overruns}); executed ${executed}`;
  return `${replies.map((l) => l.replace(/\*[0-9A-F]{4}$/, '')).join(' | ')}; executed ${executed}`;
}

/** The same line sent twice (a retransmission): how many times the generator executed it. */
export function toGeneratorTwice(line: string): string {
  const server = createGeneratorServer({ telemetryHz: 0, tickMs: 60_000, config: PROBE_CONFIG });
  const stream = new Capture();
  server.attach(stream as unknown as Duplex);
  stream.emit('data', Buffer.from(`${encodeMessage(PROBE_HELLO)}\n${line}\n${line}\n`, 'latin1'));
  const executions = server.model.executions.length - 1;
  const replies = stream.lines.slice(1).filter((l) => l.startsWith('ACK') || l.startsWith('NAK'));
  server.close();
  return `${replies.length} identical replies: ${replies[0] === replies[1]}; executed ${executions} time(s)`;
}

/** A line from the generator into the companion while STATE seq=7 is outstanding: what the channel did. */
export function toCompanion(line: string): string {
  const stream = new Capture();
  const stats = emptyLinkStats();
  let answered = false;
  const channel = new RequestChannel(
    { stream: stream as unknown as Duplex, close: async () => {} },
    resolveTiming({ requestTimeoutMs: 60_000, requestRetries: 0 }),
    stats,
    { onUnsolicited: () => {}, onLost: () => {} },
  );
  channel.send({ type: 'STATE', seq: 7 }).then(
    () => (answered = true),
    () => {},
  );
  stream.emit('data', Buffer.from(`${line}\n`, 'latin1'));
  const open = channel.isOpen;
  void channel.close();
  const counted = Object.entries(stats)
    .filter(([k, v]) => v > 0 && k !== 'linesOut')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `dropped, request still waiting: ${!answered && open}; counted: ${counted}`;
}

const CTX: KeyContext = {
  view: { generator: null } as unknown as KeyContext['view'],
  ports: [],
  running: false,
} as unknown as KeyContext;

/** Keys typed into a UI field (opened with `opener` on `screen`), then Enter: what the screen shows. */
export function uiField(
  screen: UiState['screen'],
  opener: string,
  keys: Array<[string, KeyInfo]>,
  submit = true,
): { text: string; message: string | null; commands: unknown[] } {
  let state = initialUiState({ screen });
  state = handleKey(state, opener, {}, CTX).state;
  let commands: unknown[] = [];
  for (const [input, key] of keys) {
    const r = handleKey(state, input, key, CTX);
    state = r.state;
    commands = [...commands, ...r.commands];
  }
  const text = state.field?.text ?? '';
  if (submit) {
    const r = handleKey(state, '', { return: true }, CTX);
    state = r.state;
    commands = [...commands, ...r.commands];
  }
  return { text, message: state.message, commands };
}

/** NRS/PDI typed on the diary screen and saved through the real diary adapter: the line the screen shows. */
export async function uiDiary(opener: 'n' | 'p', typed: string, times = 1): Promise<string> {
  const { text, message, commands } = uiField(
    'diary',
    opener,
    [...typed].map((ch) => [ch, {}] as [string, KeyInfo]),
  );
  const add = commands.find(
    (c): c is { kind: 'diary-add'; phase: 'trial'; nrs?: number; pdi?: number } =>
      (c as { kind: string }).kind === 'diary-add',
  );
  if (!add) return `field shows '${text}'; ${message ?? 'nothing sent'}`;
  const store = await DiaryStore.open({ dataDir: fresh('ui-data') });
  try {
    const diary = storeDiary(store, 'P-1', () => new Date('2024-03-01T08:00:00Z'));
    let shown = '';
    for (let i = 0; i < times; i++) {
      const result = await diary.add(add);
      shown = result.ok ? result.text : `error: ${result.error}`;
    }
    return `field shows '${text}'; ${shown}`;
  } finally {
    await store.close();
  }
}

export { decodeMessage };

/**
 * `scs patient export --format html --audit-log` with the log of another patient's session (written by
 * the bedside UI's audit writer) for a registered patient P-1.
 */
export async function exportWithOtherPatientsLog(): Promise<string> {
  const dir = fresh('data');
  await runScs([...patientAddArgs('P-1', { age: '50', location: 'T8' }), '--data-dir', dir]);
  const log = fresh('p2.audit.jsonl');
  const audit = openSessionAudit({ file: log, dataDir: dir, patient: 'P-2' });
  audit.append({ kind: 'link', status: 'connected', identity: null, binding: { serial: 'SN-2', proto: 2 } });
  audit.close();
  return cli(['patient', 'export', '--patient', 'P-1', '--format', 'html', '--audit-log', log, '--data-dir', dir]);
}
