import type { GeneratorLink } from '../link/generator-link.js';

/** How long a way out (quit, Ctrl+C, SIGTERM, an interrupted script) waits for the generator to confirm STOP. */
export const STOP_ON_EXIT_TIMEOUT_MS = 3000;

/**
 * After a STOP was given to the session: STOP again directly on the link (it needs no session and
 * goes before anything queued) and wait for the generator's word. True once it confirmed output off;
 * false when it did not within `timeoutMs` or there is no link to say it on; 'never-connected' when no
 * generator state was ever read and none confirmed the STOP (there is no output this companion could
 * have set). Also while the link is still connecting: a signal can land between HELLO and the
 * handshake's end, when the generator may already serve this connection.
 */
export async function confirmStop(
  link: GeneratorLink,
  generatorSeen: boolean,
  timeoutMs: number = STOP_ON_EXIT_TIMEOUT_MS,
): Promise<boolean | 'never-connected'> {
  const unseen = generatorSeen ? false : ('never-connected' as const);
  if (link.status === 'disconnected' || (link.status === 'reconnecting' && !generatorSeen)) return unseen;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const confirmed = await Promise.race([
      link.stop().then(
        (s) => s.output === 'off',
        () => false,
      ),
      timeout,
    ]);
    return confirmed || unseen;
  } finally {
    clearTimeout(timer);
  }
}
