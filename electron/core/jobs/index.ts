/**
 * The job queue (concurrency, rate limit, retries, persistence, offline; see queue.ts) and the
 * executor of Create's jobs (executor.ts).
 */
export * from './types';
export { systemClock, type Clock } from './clock';
export {
  API_RATE_LIMIT,
  createRateLimiter,
  type RateLimit,
  type RateLimiter,
  type ReleaseSlot,
} from './limiter';
export {
  defaultClassify,
  defaultDescribe,
  isRateLimited,
  JobFailure,
  retryAfterOf,
} from './classify';
export { createOnlineWatch, probeHost, type OnlineWatch, type OnlineWatchOptions } from './online';
export {
  loadQueue,
  saveQueue,
  QUEUE_FILE,
  QUEUE_FORMAT,
  type LoadResult,
  type QueueFlags,
} from './store';
export {
  createJobQueue,
  DEFAULT_CONCURRENCY,
  MAX_CONCURRENCY,
  OFFLINE_MESSAGE,
  type JobQueue,
  type JobQueueOptions,
  type MoveTarget,
  type QueueEvent,
  type QueueStatus,
  type RetryPolicy,
} from './queue';
export { expiresAt, resumableGeneration, retryKindOf, type RetryKind } from './generation';
export {
  createJobExecutor,
  scalarParams,
  type JobExecutor,
  type JobExecutorOptions,
  type PollTiming,
  type ScalarParams,
} from './executor';
