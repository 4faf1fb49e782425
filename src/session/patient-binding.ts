/**
 * H13 across restarts: a session started for a patient begins bound to the generator stored for that
 * patient (a different one puts it in `blocked`), and the binding the session takes — the first
 * generator it meets, or the one an explicit REBIND chose — is stored for the next run.
 * Storing happens in the background, one write at a time: the session never waits for the database,
 * and a write that fails (PostgreSQL away) is reported, never thrown into the session. Not stored
 * means the next run still expects the older generator: it starts blocked (the safe side) until REBIND.
 */
import type { StoreOptions } from '../store/sql-store.js';
import { GeneratorBindingStore } from './generator-binding-store.js';
import type { Binding } from './session-context.js';
import type { SessionController } from './session-controller.js';

export interface PatientBinding {
  patientId: string;
  /** The binding to start a session with (SessionInput.binding): the latest stored, null before the first. */
  readonly binding: Binding | null;
  /** Stores every binding the session takes from now on; returns the unsubscribe. */
  follow(controller: SessionController): () => void;
  /** Waits for the bindings still being stored, then closes the store. */
  close(): Promise<void>;
}

export interface PatientBindingOptions extends StoreOptions {
  now?: () => Date;
  /** Told when a binding could not be stored (default: ignored; the next run starts blocked). */
  onStoreError?: (error: Error) => void;
}

export async function openPatientBinding(
  patientId: string,
  options: PatientBindingOptions = {},
): Promise<PatientBinding> {
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
    follow(controller) {
      const save = (b: Binding | null) => {
        if (!b || (stored && stored.serial === b.serial && stored.proto === b.proto)) return;
        const next = { serial: b.serial, proto: b.proto };
        stored = next;
        writes = writes
          .then(() => store.record(patientId, next))
          .then(
            () => undefined,
            (error: unknown) => options.onStoreError?.(error instanceof Error ? error : new Error(String(error))),
          );
      };
      save(controller.view().binding);
      return controller.subscribe((view) => save(view.binding));
    },
    close: async () => {
      await writes;
      await store.close();
    },
  };
}
