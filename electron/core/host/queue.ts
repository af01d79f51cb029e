/**
 * Steering the queue (the Queue panel): reorder, pause and resume, and the queue-wide actions.
 *
 * A hostile page gains nothing here: every request is checked against the contract first (ids are
 * short strings, an index is a bounded whole number, the rest take no fields at all); an id that is
 * not in the queue is a plain "no longer in the list"; a running or finished job cannot be moved,
 * nor can a job be moved next to one; and no call here sends a job that may have been charged:
 * retryFailed leaves those to jobs.retry with payAgain, the person's own click.
 */
import type { QueueView } from '../../../shared/api';
import type { JobQueue, QueueStatus } from '../jobs';
import type { PlainError } from '../errors';
import type { Handlers } from '../rpc/dispatch';

/** The queue's state as the renderer sees it. */
export function queueView(status: QueueStatus): QueueView {
  return {
    online: status.online,
    paused: status.paused,
    running: status.running,
    waiting: status.waiting,
    needsAttention: status.needsAttention,
    ...(status.message !== undefined ? { message: status.message } : {}),
  };
}

export type QueueCallName =
  | 'jobs.move'
  | 'jobs.pause'
  | 'jobs.resume'
  | 'jobs.cancelWaiting'
  | 'jobs.clearFinished'
  | 'jobs.retryFailed';

export function queueHandlers(
  queue: JobQueue,
  notFound: () => PlainError,
): Pick<Handlers, QueueCallName> {
  return {
    'jobs.move': async ({ id, before, after, index }) => {
      if (!queue.get(id)) throw notFound();
      const to =
        before !== undefined ? { before } : after !== undefined ? { after } : { index: index ?? 0 };
      return { ids: await queue.move(id, to) };
    },
    'jobs.pause': async () => queueView(await queue.pause()),
    'jobs.resume': async () => queueView(await queue.resume()),
    'jobs.cancelWaiting': async () => ({ count: await queue.cancelWaiting() }),
    'jobs.clearFinished': async () => ({ count: await queue.clearFinished() }),
    'jobs.retryFailed': async () => ({ count: await queue.retryFailed() }),
  };
}
