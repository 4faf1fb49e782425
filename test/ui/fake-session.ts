import type { SessionRequest, UiSession } from '../../src/ui/ui-ports.js';
import { emptyScreenView, type ScreenView } from '../../src/ui/screen-view.js';

/** A session that records what the screen asks and shows whatever view the test sets. */
export class FakeSession implements UiSession {
  readonly intents: SessionRequest[] = [];
  readonly connects: Array<{ port?: string; baud: number }> = [];
  private view: ScreenView;
  private listeners = new Set<() => void>();

  constructor(view: Partial<ScreenView> = {}) {
    this.view = { ...connectedView(), ...view };
  }

  getView = (): ScreenView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  send(intent: SessionRequest): void {
    this.intents.push(intent);
  }

  connect(target: { port?: string; baud: number }): void {
    this.connects.push(target);
  }

  setView(patch: Partial<ScreenView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l();
  }

  types(): string[] {
    return this.intents.map((i) => i.type);
  }
}

/** Connected to the simulator, output off, 8 contacts with 1+ 2-. */
export function connectedView(): ScreenView {
  return {
    ...emptyScreenView({ status: 'connected', source: 'simulator', description: 'simulator' }),
    phase: 'ready',
    generator: {
      output: 'off',
      mode: 'none',
      rateHz: 50,
      pulseWidthUs: 300,
      amplitudeUa: 0,
      contacts: '+-000000',
      batteryPct: 87,
      faults: [],
      committed: false,
      programRev: 0,
    },
    limits: {
      amplitudeUa: { min: 0, max: 25500, step: 50 },
      pulseWidthUs: { min: 20, max: 1000, step: 10 },
      rateHz: { min: 2, max: 1200, step: 1 },
      contactCount: 8,
    },
    electrodes: '+-000000',
    search: { active: false, stepUa: 50, dwellMs: 1000, nextStepAtMs: null },
  };
}
