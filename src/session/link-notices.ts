import { LOSS_REASON } from '../link/loss-reasons.js';
import { notice, type Notice } from './notice.js';

/**
 * The link's own story, told where the person reads (issue 13, black-box finding (e)): its loss and
 * its return each give one notice (a `scs script` line running then, a `wait` included, carries it),
 * and a STOP or `output off` held while the link was down is said delivered once the generator has
 * confirmed output off.
 */

export function linkLostNotice(reason: string | undefined): Notice {
  return notice(
    'warn',
    'link',
    null,
    null,
    `the link to the generator was lost${reason ? ` (${reason})` : ''}: reconnecting; nothing is sent until it returns except a STOP, which goes first. ${whatKeepsRunning(reason)}`,
  );
}

/**
 * bb5-N8: a reset ends every output (PROTOCOL.md §9), committed therapy included, so a loss caused by
 * one must not say that therapy keeps running; NOT_READY may be a reset or a HELLO of another version.
 */
function whatKeepsRunning(reason: string | undefined): string {
  if (reason === LOSS_REASON.reset)
    return 'The generator restarted: a reset stops all output, committed therapy included, and output is not turned on again';
  if (reason === LOSS_REASON.noSession)
    return "If the generator was reset, all its output stopped, committed therapy included; otherwise committed therapy keeps running and the generator's watchdog stops test stimulation; the reconnection says which";
  return "Committed therapy keeps running; the generator's watchdog stops test stimulation";
}

export function linkBackNotice(downMs: number): Notice {
  return notice(
    'info',
    'link',
    null,
    null,
    `the link to the generator is back after ${(Math.max(0, downMs) / 1000).toFixed(1)} s; the generator's state was read again`,
  );
}

export function heldStopDeliveredNotice(): Notice {
  return notice(
    'info',
    'output',
    'stop',
    'off',
    'the STOP held while the link was down went to the generator first when the link returned: output off, confirmed by the generator',
  );
}

export function heldStopNotice(): Notice {
  return notice(
    'warn',
    'output',
    'stop',
    null,
    'STOP held, not applied yet: the link is down; it goes to the generator first, before anything else, when the link returns',
  );
}
