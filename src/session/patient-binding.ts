/**
 * H13 across restarts: a session started for a patient begins bound to the generator stored for that
 * patient (a different one puts it in `blocked`), and the binding the session takes — the first
 * generator it meets, or the one an explicit REBIND chose — is stored for the next run.
 * Storing happens in the background, one write at a time: the session never waits for the database,
 * and a write that fails is reported, never thrown into the session. Not stored means the next run
 * still expects the older generator: it starts blocked (the safe side) until REBIND.
 * On PostgreSQL the station also keeps its own copy, so it goes on while the server is away
 * (server-patient-binding.ts).
 */
import { resolveDatabaseUrl } from '../store/database-url.js';
import type { StoreOptions } from '../store/sql-store.js';
import { GeneratorBindingStore } from './generator-binding-store.js';
import { sameBinding } from './rebind-decision.js';
import type { Binding } from './session-context.js';
import type { SessionController } from './session-controller.js';

export interface PatientBinding {
  patientId: string;
  /** The binding to start a session with (SessionInput.binding): the latest stored, null before the first. */
  readonly binding: Binding | null;
  /**
   * Set while the binding is this station's own copy rather than the server's word now ("bindings from
   * local copy of <time>", re-binds waiting to be sent); null on the SQLite file and with the server up.
   */
  readonly note: string | null;
  /** Re-binds made here that the server did not take because it binds the patient elsewhere now. */
  readonly conflicts: readonly string[];
  /** Told whenever `note` or `conflicts` change; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Stores every binding the session takes from now on; returns the unsubscribe. */
  follow(controller: SessionController): () => void;
  /** Waits for the bindings still being stored, then closes the store. */
  close(): Promise<void>;
}

export interface PatientBindingOptions extends StoreOptions {
  now?: () => Date;
  /** Told when a binding could not be stored (default: ignored; the next run starts blocked). */
  onStoreError?: (error: Error) => void;
  /** PostgreSQL: how often re-binds waiting on this station are offered to the server again. */
  retryMs?: number;
}

export async function openPatientBinding(
  patientId: string,
  options: PatientBindingOptions = {},
): Promise<PatientBinding> {
  const url = resolveDatabaseUrl(options);
  if (url !== undefined) {
    const { openServerBinding } = await import('./server-patient-binding.js');
    return openServerBinding(patientId, url, options);
  }
  const store = await GeneratorBindingStore.open(options);
  let stored: Binding | null;
  try {
    const current = await store.current(patientId);
    stored = current ? { serial: current.serial, proto: current.proto } : null;
  } catch (e) {
    await store.close();
    throw e;
  }
  let writes: Promise<void> = Promise.resolve();
  return {
    patientId,
    get binding() {
      return stored;
    },
    note: null,
    conflicts: [],
    onChange: () => () => undefined,
    follow(controller) {
      return followBindings(controller, (next) => {
        if (sameBinding(stored, next)) return;
        stored = next;
        writes = writes
          .then(() => store.record(patientId, next))
          .then(
            () => undefined,
            (error: unknown) => options.onStoreError?.(asError(error)),
          );
      });
    },
    close: async () => {
      await writes;
      await store.close();
    },
  };
}

/** Calls `take` with the session's binding now and every one it takes later; returns the unsubscribe. */
export function followBindings(controller: SessionController, take: (binding: Binding) => void): () => void {
  const seen = (b: Binding | null) => {
    if (b) take({ serial: b.serial, proto: b.proto });
  };
  seen(controller.view().binding);
  return controller.subscribe((view) => seen(view.binding));
}

export const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
