/**
 * A queue in its own process, for kill.test.ts: runs jobs with a slow executor that appends each
 * request it sends to a file (as the network would see it), until the test kills it with SIGKILL.
 *
 * env: JOBS_DIR (the queue's folder), SENDS_FILE, ADD (jobs to add at start, default 0), TAG.
 */
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createJobQueue } from '../../../electron/core/jobs/queue';

const dataDir = process.env.JOBS_DIR ?? '';
const sendsFile = process.env.SENDS_FILE ?? '';
const add = Number(process.env.ADD ?? '0');
const tag = process.env.TAG ?? 'child';

const queue = await createJobQueue({
  dataDir,
  concurrency: 4,
  executor: async (job, ctx) => {
    await ctx.acquireRequestSlot();
    appendFileSync(sendsFile, `${job.id} ${tag}\n`);
    ctx.setState('generating');
    await sleep(30 + Math.floor(Math.random() * 60), undefined, { signal: ctx.signal });
    ctx.setState('saving');
    await sleep(5 + Math.floor(Math.random() * 10), undefined, { signal: ctx.signal });
    return { state: 'done', result: { by: tag } };
  },
});
if (add > 0) {
  await queue.addMany(
    Array.from({ length: add }, (_, i) => ({
      kind: 'text-to-image',
      endpoint: 'generate.core',
      params: { prompt: `picture ${i}` },
    })),
  );
}
process.stdout.write('ready\n');
// Keep running until killed.
setInterval(() => undefined, 60_000);
