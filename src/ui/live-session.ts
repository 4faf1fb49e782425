import type { GeneratorLink } from '../link/generator-link.js';
import { createSessionController, type SessionController } from '../session/session-controller.js';
import type { PatientBinding } from '../session/patient-binding.js';
import type { AuditSink } from '../session/session-context.js';
import { confirmStop } from '../session/confirm-stop.js';
import type { Notice } from '../session/notice.js';
import { toScreenView } from './session-view.js';
import type { SessionRequest, UiSession } from './ui-ports.js';
import { emptyScreenView, type ScreenView } from './screen-view.js';

export interface ConnectTarget {
  port?: string;
  baud?: number;
}

export interface LiveSessionOptions {
  openLink: (target: ConnectTarget) => GeneratorLink;
  initial: ConnectTarget;
  clock?: () => number;
  audit?: AuditSink;
  dwellMs?: number;
  /** H13: start every session bound to the patient's stored generator, and store the bindings it takes. */
  patientBinding?: PatientBinding;
}

/**
 * The screen's session: one session controller over one generator link at a time. Keys arrive as the
 * session's own intents and go to it as they are; STOP goes to the machine and, on exit paths,
 * straight to the link as well (it jumps every queue there).
 */
export class LiveSession implements UiSession {
  private link!: GeneratorLink;
  private controller!: SessionController;
  private unsubscribe: () => void = () => {};
  private unfollow: () => void = () => {};
  private view: ScreenView = emptyScreenView();
  private readonly listeners = new Set<() => void>();
  private readonly clock: () => number;
  private keys: Promise<void> = Promise.resolve();
  /** Bumped by every STOP and generator switch: queued keys from before it are dropped. */
  private generation = 0;
  /** Serialises generator switches so two quick connects cannot interleave. */
  private switching: Promise<void> = Promise.resolve();
  /** When each session notice was first seen (for "Last notice … 12 s ago"). */
  private readonly noticeSeen = new WeakMap<Notice, number>();

  constructor(private readonly options: LiveSessionOptions) {
    this.clock = options.clock ?? Date.now;
    this.attach(options.initial);
    // The binding's source can change without the session (the server back, a conflict found).
    this.unwatchBinding = options.patientBinding?.onChange(() => this.refresh()) ?? (() => {});
  }

  private readonly unwatchBinding: () => void;

  getView = (): ScreenView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The link in use now (for the exit path's direct STOP). */
  get currentLink(): GeneratorLink {
    return this.link;
  }

  get sessionController(): SessionController {
    return this.controller;
  }

  /**
   * STOP goes at once. Other keys queue and go one at a time once the machine is settled (a key
   * pressed while a previous change is still being applied would otherwise be refused as busy);
   * a STOP or a change of generator drops whatever is still queued, so nothing runs after a STOP.
   */
  send(request: SessionRequest): void {
    if (request.type === 'STOP') {
      this.generation++;
      this.controller.send({ type: 'STOP' });
      return;
    }
    const generation = this.generation;
    const controller = this.controller;
    this.keys = this.keys
      .then(async () => {
        await settledOrTimeout(controller, SETTLE_WAIT_MS);
        if (generation !== this.generation || controller !== this.controller) return;
        controller.send(request);
        await settledOrTimeout(controller, SETTLE_WAIT_MS);
      })
      .catch(() => {});
  }

  connect(target: { port?: string; baud: number }): void {
    const next: ConnectTarget = target.port === undefined ? {} : { port: target.port, baud: target.baud };
    this.generation++;
    this.switching = this.switching.then(async () => {
      // Leaving a generator: its output goes off first, as with any STOP.
      await this.stopAndConfirm(2000);
      await this.detach();
      this.attach(next);
    });
  }

  /**
   * STOP through the machine and directly on the link; resolves true once the generator confirmed
   * output off, false when it did not within `timeoutMs` (or there was no link to say it on).
   */
  async stopAndConfirm(timeoutMs: number): Promise<boolean | 'never-connected'> {
    this.send({ type: 'STOP' });
    return confirmStop(this.link, this.view.generator !== null, timeoutMs);
  }

  /** Resolves when every queued key has been sent and the machine settled after it. */
  idle(): Promise<void> {
    return this.keys;
  }

  async close(): Promise<void> {
    this.unwatchBinding();
    await this.switching.catch(() => {});
    await this.detach();
  }

  private attach(target: ConnectTarget): void {
    this.link = this.options.openLink(target);
    this.controller = createSessionController({
      link: this.link,
      clock: this.clock,
      ...(this.options.audit ? { audit: this.options.audit } : {}),
      ...(this.options.dwellMs !== undefined ? { dwellMs: this.options.dwellMs } : {}),
      ...(this.options.patientBinding ? { binding: this.options.patientBinding.binding } : {}),
    });
    this.unfollow = this.options.patientBinding?.follow(this.controller) ?? (() => {});
    this.unsubscribe = this.controller.subscribe(() => this.refresh());
    this.refresh();
    this.controller.send({ type: 'CONNECT' });
  }

  private async detach(): Promise<void> {
    this.unsubscribe();
    this.unfollow();
    this.controller.dispose();
    await this.link.close().catch(() => {});
  }

  private refresh(): void {
    const view = this.controller.view();
    this.noteNewNotices(view.notices);
    const next = toScreenView(view, {
      source: this.link.source,
      nowMs: this.clock(),
      noticeAt: (n) => this.noticeSeen.get(n),
    });
    const binding = this.options.patientBinding;
    if (binding?.note) next.bindingNote = binding.note;
    if (binding?.conflicts.length) next.bindingConflicts = [...binding.conflicts];
    // Telemetry arrives ~10 times a second; redraw only when something on screen changed.
    if (JSON.stringify(next) === JSON.stringify(this.view)) return;
    this.view = next;
    for (const listener of this.listeners) listener();
  }

  /** Stamps each notice with the time the screen first saw it (the newest come last). */
  private noteNewNotices(notices: readonly Notice[]): void {
    const now = this.clock();
    for (let i = notices.length - 1; i >= 0 && !this.noticeSeen.has(notices[i]!); i--)
      this.noticeSeen.set(notices[i]!, now);
  }
}

/** How long a queued key waits for the machine to settle before it is sent anyway (and refused as busy). */
const SETTLE_WAIT_MS = 5000;

async function settledOrTimeout(controller: SessionController, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    controller.settled().then(() => {}),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}
