/**
 * Batches end to end in the core, against the Sandbox over real HTTP with real folders: a folder is
 * summed up (sent, skipped and why, cost), confirmed, every picture upscaled once, and each result
 * saved under Batches/<name>/ with the source's subfolders and its source in the sidecar. A restart
 * finishes queueing a confirmed batch without adding any picture twice; a hostile relative name
 * from the page stays inside the batch's folder.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBatchService, type BatchService } from '../../../electron/core/batch';
import { saveRecord } from '../../../electron/core/batch/store';
import {
  createCreateService,
  viewOf,
  type CreateService,
} from '../../../electron/core/host/create';
import { createInputs, type InputsService } from '../../../electron/core/inputs';
import { SANDBOX_API_KEY, startSandbox, type Sandbox } from '../../../electron/core/sandbox';
import { createStabilityClient, type StabilityClient } from '../../../electron/core/stability';
import type { BatchRecipe } from '../../../shared/api';

let sandbox: Sandbox;
let client: StabilityClient;
let root: string;
let libraryDir: string;
let dataDir: string;
let folder: string;
let inputs: InputsService;
let create: CreateService;
let batches: BatchService;
/** Requests the Sandbox had when the test began. */
let before = 0;

const RECIPE: BatchRecipe = { kind: 'upscale', endpoint: 'upscale.fast', params: {} };

async function png(file: string, shade: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const bytes = await sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 80, b: 160 } },
  })
    .png()
    .toBuffer();
  writeFileSync(file, bytes);
}

async function open(): Promise<void> {
  inputs = createInputs({
    dir: path.join(dataDir, 'inputs'),
    library: () => Promise.reject(new Error('no library here')),
  });
  batches = createBatchService({
    dir: path.join(dataDir, 'batches'),
    queue: () => create.queue,
    inputs,
    balance: () => Promise.resolve(1234),
    emit: () => undefined,
    viewOf,
    chunk: 3,
  });
  await batches.load();
  create = await createCreateService({
    dataDir,
    inputs,
    libraryDir: () => libraryDir,
    client: () => Promise.resolve({ client, sandbox: true }),
    emit: () => undefined,
    placeOf: (job) => batches.placeOf(job),
  });
  await batches.resume();
}

async function close(): Promise<void> {
  await batches.close();
  await create.close();
  await inputs.close();
}

/** Resolves once no job of the queue is waiting or running. */
async function settled(): Promise<void> {
  for (;;) {
    const jobs = create.queue.list();
    if (
      jobs.length > 0 &&
      jobs.every((job) =>
        ['done', 'failed', 'needs-attention', 'cancelled', 'filtered'].includes(job.state),
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every file under `dir`, relative, `/` separators. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(path.join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

beforeAll(async () => {
  sandbox = await startSandbox({ startingCredits: 100_000, faults: {}, recordFileBytes: true });
  client = createStabilityClient({ baseUrl: sandbox.url, apiKey: SANDBOX_API_KEY });
});

afterAll(async () => {
  await client.close();
  await sandbox.close();
});

beforeEach(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'atelier-batch-'));
  libraryDir = path.join(root, 'library');
  dataDir = path.join(root, 'data');
  folder = path.join(root, 'holiday');
  await png(path.join(folder, 'beach', 'a.png'), 10);
  await png(path.join(folder, 'beach', 'b.png'), 20);
  await png(path.join(folder, 'hills', 'c.png'), 30);
  await png(path.join(folder, 'd.png'), 40);
  writeFileSync(path.join(folder, 'hills', 'list.txt'), 'not a picture');
  before = sandbox.requests.length;
  await open();
});

afterEach(async () => {
  await close();
  rmSync(root, { recursive: true, force: true });
});

function upscales(): number {
  return sandbox.requests.slice(before).filter((r) => r.path.endsWith('/upscale/fast')).length;
}

describe('a folder batch', () => {
  it('sums up, then upscales each picture once into Batches/<name>/ with its subfolders', async () => {
    const summary = await batches.fromFolder(folder, RECIPE);
    expect(summary).toMatchObject({
      count: 4,
      skipped: 1,
      skippedFiles: [{ relative: 'hills/list.txt', reason: 'not-image' }],
      balance: 1234,
      started: false,
    });
    expect(summary.credits).toBeGreaterThan(0);
    expect(summary.folder).toMatch(/^Batches\/\d{4}-\d{2}-\d{2}-holiday-[0-9a-f]{6}$/);
    expect(upscales()).toBe(0); // Nothing runs before the person confirms.

    await batches.handlers['batch.start']({ batch: summary.id });
    await batches.queued(summary.id);
    await settled();
    expect(upscales()).toBe(4);
    const saved = filesUnder(path.join(libraryDir, ...summary.folder.split('/')));
    const images = saved.filter((f) => !f.endsWith('.json')).map((f) => f.replace(/[^/]*-/, ''));
    expect(images.sort()).toEqual(['beach/a.png', 'beach/b.png', 'd.png', 'hills/c.png']);
    const sidecars = saved.filter((f) => f.endsWith('.json'));
    const sources = sidecars.map((f) => {
      const sidecar = JSON.parse(
        readFileSync(path.join(libraryDir, ...summary.folder.split('/'), f), 'utf8'),
      ) as { batch?: { id: string; source: string } };
      expect(sidecar.batch?.id).toBe(summary.id);
      expect(
        f.startsWith(path.posix.dirname(sidecar.batch?.source ?? '').replace(/^\.$/, '')),
      ).toBe(true);
      return sidecar.batch?.source;
    });
    expect(sources.sort()).toEqual(['beach/a.png', 'beach/b.png', 'd.png', 'hills/c.png']);
  });

  it('after a restart, queues the rest of a confirmed batch and never a picture twice', async () => {
    const summary = await batches.fromFolder(folder, RECIPE);
    await batches.handlers['batch.start']({ batch: summary.id });
    await batches.queued(summary.id);
    await settled();
    await close();
    // As if the app stopped right after the queue took two jobs and before the batch's file said
    // so, with the other two pictures never queued: the batch's file says none is queued.
    const file = path.join(dataDir, 'batches', `${summary.id}.json`);
    const record = JSON.parse(readFileSync(file, 'utf8')) as Parameters<typeof saveRecord>[1];
    await saveRecord(path.join(dataDir, 'batches'), {
      ...record,
      items: record.items.map((item) => ({ ...item, queued: false })),
    });
    const { createJobQueue } = await import('../../../electron/core/jobs');
    const jobsFile = path.join(dataDir, 'jobs');
    const queue = await createJobQueue({
      dataDir: jobsFile,
      executor: () => Promise.reject(new Error('not run')),
    });
    const keep = queue
      .list()
      .slice(0, 2)
      .map((job) => job.id);
    for (const job of queue.list()) if (!keep.includes(job.id)) await queue.remove(job.id);
    await queue.close();

    await open();
    await batches.queued(summary.id);
    await settled();
    // The two pictures whose jobs were on the queue are not added again; the other two are.
    expect(upscales()).toBe(4 + 2);
    expect(create.queue.list().filter((job) => keep.includes(job.id))).toHaveLength(2);
    const batchJobs = create.queue.list().filter((job) => job.batch === summary.id);
    const files = batchJobs.map((job) => job.inputs[0]?.path);
    expect(new Set(files).size).toBe(4);
    expect(files).toHaveLength(4);
  });

  it('keeps a hostile relative name from the page inside the batch folder', async () => {
    const begun = await batches.handlers['batch.begin']({ ...RECIPE, name: 'drop' });
    await png(path.join(root, 'up.png'), 90);
    const view = await inputs.fromPath(path.join(root, 'up.png'));
    await batches.handlers['batch.add']({
      batch: begun.id,
      input: view.id,
      relative: '../../../escape/up.png',
    });
    await batches.handlers['batch.add']({
      batch: begun.id,
      input: view.id,
      relative: '/etc/passwd',
    });
    await batches.handlers['batch.start']({ batch: begun.id });
    await batches.queued(begun.id);
    await settled();
    const everything = filesUnder(root);
    expect(
      everything
        .filter((f) => f.includes('escape') || f.includes('passwd'))
        .every((f) => f.startsWith(`library/${begun.folder}/`)),
    ).toBe(true);
    expect(
      filesUnder(libraryDir).filter((f) => f.endsWith('.png') && f.startsWith('Batches/')),
    ).toHaveLength(2);
  });

  it('folds source folders deeper than five into the fifth (the library reads 8 levels)', async () => {
    const begun = await batches.handlers['batch.begin']({ ...RECIPE, name: 'deep' });
    const job = {
      batch: begun.id,
      inputs: [{ param: 'image', path: '/nowhere.png', name: 'a/b/c/d/e/f/g.png' }],
    } as unknown as Parameters<BatchService['placeOf']>[0];
    expect(batches.placeOf(job)).toEqual({
      folder: `${begun.folder}/a/b/c/d/e-f`,
      batch: begun.id,
      source: 'a/b/c/d/e/f/g.png',
    });
  });
});
