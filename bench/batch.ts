/**
 * `npm run bench -- batch`: stages a folder of 1,000 pictures of 2–5 MB each (made once, in a cache
 * folder under the system's temporary folder) as a batch for Conservative upscale, through the
 * core's batch service and a real job queue (whose executor sends nothing). Prints:
 *   - the time to the summary (walk + each file's first bytes + the record on disk);
 *   - the peak memory growth (RSS sampled every 5 ms, over the baseline before staging); target
 *     under 200 MB whatever the folder's size;
 *   - the time from the confirmation until every job is on the queue (on disk).
 * Options: --files N (1000), --subfolders N (10).
 */
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { createBatchService } from '../electron/core/batch';
import { viewOf } from '../electron/core/host/create';
import { createInputs } from '../electron/core/inputs';
import { createJobQueue } from '../electron/core/jobs';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const FILES = option('files', 1000);
const SUBFOLDERS = option('subfolders', 10);
const MB = 1024 * 1024;

/** Noise PNGs of about 2, 2.5, … 5 MB (noise does not compress, so pixels ≈ bytes / 3). */
async function bases(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < 7; i++) {
    const file = path.join(dir, `base-${i}.png`);
    files.push(file);
    if (await stat(file).catch(() => null)) continue;
    const side = Math.round(Math.sqrt(((2 + i * 0.5) * MB) / 3));
    const raw = randomBytes(side * side * 3);
    await writeFile(
      file,
      await sharp(raw, { raw: { width: side, height: side, channels: 3 } })
        .png({ compressionLevel: 1 })
        .toBuffer(),
    );
  }
  return files;
}

/** The cached folder of FILES pictures in SUBFOLDERS subfolders (made once). */
async function folder(): Promise<string> {
  const cache = path.join(tmpdir(), 'atelier-bench-batch-cache');
  const root = path.join(cache, `pictures-${FILES}-${SUBFOLDERS}`);
  await mkdir(cache, { recursive: true });
  const made = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  if (made.filter((name) => name.endsWith('.png')).length === FILES) return root;
  const base = await bases(cache);
  process.stdout.write(`Making ${FILES} pictures in ${root} (once)…\n`);
  for (let i = 0; i < FILES; i++) {
    const sub = path.join(root, `folder-${String(i % SUBFOLDERS).padStart(2, '0')}`);
    await mkdir(sub, { recursive: true });
    await copyFile(
      base[i % base.length] ?? '',
      path.join(sub, `picture-${String(i).padStart(4, '0')}.png`),
    );
  }
  return root;
}

async function main(): Promise<void> {
  const pictures = await folder();
  let bytes = 0;
  for (const name of await readdir(pictures, { recursive: true })) {
    const stats = await stat(path.join(pictures, name));
    if (stats.isFile()) bytes += stats.size;
  }
  const data = await mkdtemp(path.join(tmpdir(), 'atelier-bench-batch-'));
  try {
    const queue = await createJobQueue({
      dataDir: path.join(data, 'jobs'),
      concurrency: 1,
      // Sends nothing: waits until the queue closes.
      executor: (_job, context) =>
        new Promise((_resolve, reject) =>
          context.signal.addEventListener('abort', () => reject(new Error('closed'))),
        ),
    });
    const inputs = createInputs({
      dir: path.join(data, 'inputs'),
      library: () => Promise.reject(new Error('no library')),
    });
    const batches = createBatchService({
      dir: path.join(data, 'batches'),
      queue: () => queue,
      inputs,
      balance: () => Promise.resolve(null),
      emit: () => undefined,
      viewOf,
    });
    await batches.load();

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);

    const start = performance.now();
    const summary = await batches.fromFolder(pictures, {
      kind: 'upscale',
      endpoint: 'upscale.conservative',
      params: { prompt: 'the same picture, sharper' },
    });
    const toSummary = performance.now() - start;
    const confirmed = performance.now();
    await batches.handlers['batch.start']({ batch: summary.id });
    await batches.queued(summary.id);
    const toQueued = performance.now() - confirmed;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    const onQueue = queue.list().filter((job) => job.batch === summary.id).length;
    const growth = (peak - baseline) / MB;
    process.stdout.write(
      [
        `Folder: ${FILES} pictures, ${(bytes / MB).toFixed(0)} MB (${(bytes / FILES / MB).toFixed(1)} MB each on average), ${SUBFOLDERS} subfolders`,
        `Summary: ${summary.count} to send, ${summary.skipped} skipped`,
        `Time to the summary:            ${toSummary.toFixed(0)} ms`,
        `Time until every job is queued: ${toQueued.toFixed(0)} ms (${onQueue} jobs on the queue, on disk)`,
        `Peak memory growth:             ${growth.toFixed(1)} MB (target < 200 MB) ${growth < 200 ? 'OK' : 'OVER'}`,
        '',
      ].join('\n'),
    );
    await batches.close();
    await queue.close();
    await inputs.close();
  } finally {
    await rm(data, { recursive: true, force: true });
  }
}

await main();
