import type { NoticeView, ScreenView } from './screen-view.js';

/**
 * Lines that go stale (issue 13): a screen line must stay true, so it goes once what it says is no
 * longer the case. "» STOP sent" goes when output is back on, "» connecting to …" once the link is up
 * (or has failed, the link line then says why), and the last notice carries its age and fades: a
 * refusal or clamp is about the key that caused it, so after a minute it is history, not status.
 */

/** How long a refusal or clamp stays on the status lines. */
export const REFUSAL_SHOWN_MS = 60_000;
/** How long a warning stays (it may be about the generator, not about a key). */
export const WARNING_SHOWN_MS = 5 * 60_000;

/** True when the screen's own message no longer describes the session shown in `after`. */
export function messageGoneStale(message: string | null, before: ScreenView, after: ScreenView): boolean {
  if (message === null) return false;
  if (message === 'STOP sent') return before.generator?.output !== 'on' && after.generator?.output === 'on';
  if (message.startsWith('connecting')) {
    const upNow =
      after.link.status === 'connected' &&
      (before.link.status !== 'connected' || before.link.description !== after.link.description);
    const failed = before.link.status === 'connecting' && after.link.status === 'disconnected';
    return upNow || failed;
  }
  return false;
}

/** The notice to show now, or null once it has faded; notices without a time never fade. */
export function noticeShownNow(notice: NoticeView | null, nowMs: number): NoticeView | null {
  if (notice === null || notice.at === undefined) return notice;
  return nowMs - Date.parse(notice.at) > shownFor(notice) ? null : notice;
}

/** When the shown notice fades (epoch ms), null when it never does: the screen's clock ticks until then. */
export function noticeFadesAt(notice: NoticeView | null): number | null {
  if (notice === null || notice.at === undefined) return null;
  return Date.parse(notice.at) + shownFor(notice);
}

const shownFor = (notice: NoticeView): number => (notice.kind === 'warn' ? WARNING_SHOWN_MS : REFUSAL_SHOWN_MS);
