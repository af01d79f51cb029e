/**
 * Offline: a job whose request cannot connect makes the queue say it is offline and wait; when the
 * API can be reached again the job goes, without the person doing anything, and nothing is sent
 * twice.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventName, JobView, QueueView } from '../../../shared/api';
import { createCreateService, type CreateService } from '../../../electron/core/host/create';
import { createInputs } from '../../../electron/core/inputs';
import { createOnlineWatch, probeHost } from '../../../electron/core/jobs';
import { SANDBOX_API_KEY, startSandbox, type Sandbox } from '../../../electron/core/sandbox';
import { createStabilityClient } from '../../../electron/core/stability';

/** A port with nothing listening on it (yet). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** "The network comes back": a TCP relay on `port` to the Sandbox. */
async function relay(port: number, target: number): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((incoming) => {
    const outgoing = connect(target, '127.0.0.1');
    sockets.add(incoming).add(outgoing);
    incoming.pipe(outgoing).pipe(incoming);
    const drop = () => {
      incoming.destroy();
      outgoing.destroy();
    };
    incoming.on('error', drop).on('close', drop);
    outgoing.on('error', drop).on('close', drop);
  });
  server.on('close', () => {
    for (const socket of sockets) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('the online watch', () => {
  it('goes offline when the probe fails, and back online when it succeeds', async () => {
    let reachable = false;
    const watch = createOnlineWatch({ probe: () => Promise.resolve(reachable), retryMs: 10 });
    const seen: boolean[] = [];
    watch.watch((online) => seen.push(online));
    watch.suspect();
    await expect.poll(() => seen).toEqual([false]);
    reachable = true;
    await expect.poll(() => seen).toEqual([false, true]);
    expect(watch.online()).toBe(true);
    watch.close();
  });

  it('probes a host by connecting to it', async () => {
    const port = await freePort();
    expect(await probeHost(`http://127.0.0.1:${String(port)}`)).toBe(false);
    expect(await probeHost('not a url')).toBe(false);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    expect(await probeHost(`http://127.0.0.1:${String(port)}`)).toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('Create while offline', () => {
  let sandbox: Sandbox;
  let root: string;
  let service: CreateService;
  let gate: Server | null = null;

  beforeEach(async () => {
    sandbox = await startSandbox({ startingCredits: 1_000, faults: {} });
    root = mkdtempSync(path.join(tmpdir(), 'atelier-offline-'));
  });

  afterEach(async () => {
    await service.close();
    if (gate) await new Promise<void>((resolve) => gate?.close(() => resolve()));
    gate = null;
    await sandbox.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('waits while the API cannot be reached, says so, and goes when it can', async () => {
    const port = await freePort();
    const client = createStabilityClient({
      baseUrl: `http://127.0.0.1:${String(port)}`,
      apiKey: SANDBOX_API_KEY,
    });
    const jobs = new Map<string, JobView>();
    const queue: QueueView[] = [];
    const libraryDir = path.join(root, 'library');
    service = await createCreateService({
      dataDir: path.join(root, 'data'),
      inputs: createInputs({
        dir: path.join(root, 'data', 'inputs'),
        library: () => Promise.reject(new Error('no library in these tests')),
      }),
      libraryDir: () => libraryDir,
      client: () => Promise.resolve({ client, sandbox: true }),
      emit: (event: EventName, payload: unknown) => {
        if (event === 'jobs.changed') jobs.set((payload as JobView).id, payload as JobView);
        if (event === 'jobs.queue') queue.push(payload as QueueView);
      },
      offlineRetryMs: 20,
    });

    const added = await service.handlers['jobs.add']({
      kind: 'text-to-image',
      endpoint: 'generate.core',
      params: { prompt: 'a lighthouse at dusk' },
      count: 1,
    });
    const id = added.jobs[0]?.id ?? '';

    await expect.poll(() => queue.at(-1)?.online, { timeout: 10_000 }).toBe(false);
    expect(queue.at(-1)?.message).toMatch(/Offline/);
    expect(jobs.get(id)?.state).not.toBe('failed');
    expect(sandbox.requests).toHaveLength(0);

    gate = await relay(port, Number(new URL(sandbox.url).port));
    await expect.poll(() => jobs.get(id)?.state, { timeout: 15_000 }).toBe('done');
    expect(queue.at(-1)?.online).toBe(true);
    const generated = sandbox.requests.filter((r) => r.path.includes('/generate/'));
    expect(generated).toHaveLength(1);
    const day = readdirSync(libraryDir).find((name) => /^\d{4}-\d{2}-\d{2}$/.test(name)) ?? '';
    expect(readdirSync(path.join(libraryDir, day)).some((f) => f.endsWith('.png'))).toBe(true);
    await client.close();
  });
});
