/** Whether an async job's result can still be fetched, instead of paying for the job again. */
import { RESULT_RETENTION_MS } from '../../../shared/endpoints';
import type { Generation, Job } from './types';

/** When Stability deletes the result (ms since the epoch). */
export function expiresAt(generation: Generation): number {
  return generation.startedAt + RESULT_RETENTION_MS;
}

/** The job's generation, when polling it again can still bring the picture (not gone, not expired). */
export function resumableGeneration(job: Job, now: number): Generation | undefined {
  const generation = job.generation;
  if (!generation || generation.gone === true || now >= expiresAt(generation)) return undefined;
  return generation;
}

/**
 * What a Retry of this job does: `resume` fetches a result that was paid for (free), `free` sends a
 * job that nothing was charged for, `costs-again` sends one that was (or may have been) charged.
 */
export type RetryKind = 'resume' | 'free' | 'costs-again';

export function retryKindOf(job: Job, now: number): RetryKind {
  if (resumableGeneration(job, now)) return 'resume';
  if (job.state === 'filtered' || job.mayHaveBeenCharged || job.generation) return 'costs-again';
  return 'free';
}
