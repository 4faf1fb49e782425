import type { DiaryChartView } from './diary-chart.js';
import type { DiaryPhase } from './ui-state.js';
import type { ControlEvent } from '../session/session-context.js';
import type { Intent } from '../session/session-types.js';
import type { ScreenView } from './screen-view.js';
import type { PortListing } from './screens/connect-screen.js';

/**
 * What a key asks the session for: one of the session's own intents or control events as they are.
 * None carries a computed value ("one step up", never "set 2.35 mA"): the session does the arithmetic.
 */
export type SessionRequest = Intent | ControlEvent;

/**
 * What the screen needs from the rest of the companion. The shell (run-ui.tsx) adapts the session
 * controller, the diary store and the port lister to these; tests pass fakes.
 */

export interface UiSession {
  /** The same object until something changes (React's useSyncExternalStore relies on it). */
  getView(): ScreenView;
  subscribe(listener: () => void): () => void;
  send(request: SessionRequest): void;
  /** Drops the current generator link and connects to a port, or to the built-in simulator without one. */
  connect(target: { port?: string; baud: number }): void;
}

/** `outsideTrial`: refused only because it lies outside the trial dates; the question to ask before storing it anyway. */
export type DiaryAddResult = { ok: true; text: string } | { ok: false; error: string; outsideTrial?: string };

/** A store on a server answers later: the screen shows what it has and updates when the answer comes. */
export interface UiDiary {
  chart(): DiaryChartView | Promise<DiaryChartView>;
  /** `outsideTrial: true` stores an entry outside the trial dates (after the person said yes). */
  add(entry: {
    phase: DiaryPhase;
    nrs?: number;
    pdi?: number;
    outsideTrial?: boolean;
  }): DiaryAddResult | Promise<DiaryAddResult>;
}

export type ListPorts = () => Promise<Omit<PortListing, 'loading'>>;
