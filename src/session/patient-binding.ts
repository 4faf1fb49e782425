/**
 * H13 across restarts: a session started for a patient begins bound to the generator stored for that
 * patient (a different one puts it in `blocked`), and the binding the session takes — the first
 * generator it meets, or the one an explicit REBIND chose — is stored for the next run.
 */
import type { OpenDatabaseOptions } from '../store/database.js';
import { GeneratorBindingStore } from './generator-binding-store.js';
import type { Binding } from './session-context.js';
import type { SessionController } from './session-controller.js';

export interface PatientBinding {
  patientId: string;
  /** The binding to start a session with (SessionInput.binding): the latest stored, null before the first. */
  readonly binding: Binding | null;
  /** Stores every binding the session takes from now on; returns the unsubscribe. */
  follow(controller: SessionController): () => void;
  close(): void;
}

export function openPatientBinding(
  patientId: string,
  options: OpenDatabaseOptions & { now?: () => Date } = {},
): PatientBinding {
  const store = GeneratorBindingStore.open(options);
  let stored: Binding | null;
  try {
    const current = store.current(patientId);
    stored = current ? { serial: current.serial, proto: current.proto } : null;
  } catch (e) {
    store.close();
    throw e;
  }
  return {
    patientId,
    get binding() {
      return stored;
    },
    follow(controller) {
      const save = (b: Binding | null) => {
        if (!b || (stored && stored.serial === b.serial && stored.proto === b.proto)) return;
        store.record(patientId, b);
        stored = { serial: b.serial, proto: b.proto };
      };
      save(controller.view().binding);
      return controller.subscribe((view) => save(view.binding));
    },
    close: () => store.close(),
  };
}
