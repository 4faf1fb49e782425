import { UserError } from '../errors/user-error.js';
import { redactDatabaseUrl } from '../store/database-url.js';
import { openDatabase } from '../store/database.js';
import { isServerUnreachable } from '../store/unreachable.js';
import { BindingCopy, type QueuedRebind } from './binding-copy.js';
import { GeneratorBindingStore, type StoredBinding } from './generator-binding-store.js';
import { type PatientBinding, type PatientBindingOptions, asError, followBindings } from './patient-binding.js';
import { bindingText, sameBinding } from './rebind-decision.js';
import type { Binding } from './session-context.js';

const RETRY_MS = 15_000;

/** "2026-12-01 21:03 UTC" */
export const copyTime = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export const localCopyText = (since: string): string => `bindings from local copy of ${copyTime(since)}`;

function conflictText(q: QueuedRebind, current: StoredBinding | null): string {
  const now = current
    ? `binds patient ${q.patientId} to ${bindingText(current)} now`
    : `holds no binding for patient ${q.patientId}`;
  return (
    `binding conflict: the re-bind of patient ${q.patientId} to ${bindingText(q.binding)} made on this station at ` +
    `${copyTime(q.madeAt)} while the database was away was NOT stored: the server ${now}. The server's binding ` +
    `stands; re-bind again (key B, script 'rebind') if ${bindingText(q.binding)} is this patient's generator.`
  );
}

/**
 * H13 with the bindings on PostgreSQL, and a station that never depends on the server to program or
 * stop (issue 17). Every binding the station reads from or writes to the server is also kept in its
 * own SQLite file (binding-copy.ts). With the server unreachable the session starts from that copy
 * and says so ("bindings from local copy of <time>"); with no copy for the patient it does not start:
 * any generator would then be taken as the patient's, and one could be programmed under the wrong
 * patient. A re-bind made meanwhile is kept on the station and sent when the server is back; one the
 * server can no longer take (another station re-bound the patient) is a conflict, shown, never
 * written over the server's binding.
 */
export async function openServerBinding(
  patientId: string,
  url: string,
  options: PatientBindingOptions,
): Promise<PatientBinding> {
  const now = options.now ?? (() => new Date());
  const local = openDatabase({ dataDir: options.dataDir, env: options.env });
  let copy: BindingCopy;
  try {
    copy = new BindingCopy(local, redactDatabaseUrl(url));
  } catch (e) {
    local.close();
    throw e;
  }
  let store: GeneratorBindingStore | undefined;
  /** Why the server cannot be used, while it cannot (null: reachable at the last try). */
  let away: string | null = null;
  const conflicts: string[] = [];
  const listeners = new Set<() => void>();

  const dropStore = async () => {
    const s = store;
    store = undefined;
    await s?.close().catch(() => undefined);
  };
  /** Runs `fn` on the server; null when it cannot be reached (then `away` says why). */
  async function onServer<T>(fn: (s: GeneratorBindingStore) => Promise<T>): Promise<T | null> {
    try {
      store ??= await GeneratorBindingStore.open({ ...options, now });
      const result = await fn(store);
      away = null;
      return result;
    } catch (e) {
      if (!isServerUnreachable(e)) throw e;
      away = asError(e).message;
      await dropStore();
      return null;
    }
  }
  /** Offers the queued re-binds to the server, oldest first; stops when it cannot be reached. */
  const sendQueued = () =>
    onServer(async (s) => {
      for (const q of copy.queued()) {
        const { decision, current } = await s.recordOver(q.patientId, q.base, q.binding);
        if (decision === 'conflict') conflicts.push(conflictText(q, current));
        copy.confirm(q.patientId, current, now());
        copy.done(q.seq);
      }
      return true;
    });

  let bound: Binding | null;
  try {
    // Re-binds kept from an earlier outage go first, so the binding read next is the reconciled one.
    const read =
      (await sendQueued()) &&
      (await onServer(async (s) => {
        const current = await s.current(patientId);
        copy.confirm(patientId, current, now());
        return { binding: current ? { serial: current.serial, proto: current.proto } : null };
      }));
    if (read) bound = read.binding;
    else {
      const kept = copy.forPatient(patientId);
      if (!kept)
        throw new UserError(
          `the database cannot be reached (${away}) and this station holds no local copy of patient ` +
            `${patientId.slice(0, 80)}'s generator binding (it never read or made one from this server). Nothing was ` +
            `started: without the binding any generator would be taken as this patient's (H13). Start without ` +
            `--patient to program or stop with no patient, or again once the database is back.`,
        );
      bound = kept.binding;
    }
  } catch (e) {
    await dropStore();
    local.close();
    throw e;
  }

  let note: string | null = null;
  const refresh = () => {
    const kept = copy.forPatient(patientId);
    const waiting = kept?.waiting ?? 0;
    const parts = [
      ...(away !== null && kept ? [`${localCopyText(kept.since)} (the database cannot be reached)`] : []),
      ...(waiting > 0 ? [`${waiting} re-bind${waiting === 1 ? '' : 's'} waiting to be sent`] : []),
    ];
    note = parts.length > 0 ? parts.join('; ') : null;
    for (const l of listeners) l();
  };
  refresh();

  let writes: Promise<void> = Promise.resolve();
  const send = () => {
    writes = writes
      .then(() => sendQueued())
      .then(
        () => undefined,
        (error: unknown) => options.onStoreError?.(asError(error)),
      )
      .finally(refresh);
    return writes;
  };
  // While re-binds wait, the server is asked again now and then: they go as soon as it is back.
  const retry = setInterval(() => {
    if (copy.queued().length > 0) void send();
  }, options.retryMs ?? RETRY_MS);
  retry.unref();

  return {
    patientId,
    get binding() {
      return bound;
    },
    get note() {
      return note;
    },
    get conflicts() {
      return conflicts;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    follow(controller) {
      return followBindings(controller, (next) => {
        if (sameBinding(bound, next)) return;
        // Kept on this station before anything else: the server may be away, or go away mid-send.
        copy.queue(patientId, next, bound, now());
        bound = next;
        refresh();
        void send();
      });
    },
    close: async () => {
      clearInterval(retry);
      await writes;
      if (copy.queued().length > 0) await send();
      await dropStore();
      local.close();
    },
  };
}
