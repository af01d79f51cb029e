/**
 * "Killing the core mid-run leaves no job re-sent without consent": a queue runs in a child process
 * with a slow executor that records every send; the test SIGKILLs it mid-run (twice), then starts
 * a queue on the same folder and lets it finish.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import { createJobQueue } from '../../../electron/core/jobs/queue';
import { QUEUE_FILE } from '../../../electron/core/jobs/store';
import type { Job } from '../../../electron/core/jobs/types';

const repo = path.resolve(import.meta.dirname, '../../..');
const JOBS = 40;
let root: string;
let child: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'atelier-jobs-kill-'));
  child = path.join(root, 'kill-child.mjs');
  await build({
    absWorkingDir: repo,
    entryPoints: ['tests/core/jobs/kill-child.ts'],
    outfile: child,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    banner: {
      js: "import { createRequire as __atelierCreateRequire } from 'node:module'; const require = __atelierCreateRequire(import.meta.url);",
    },
  });
  // Packages stay external: let the bundle find the repo's node_modules.
  await symlink(path.join(repo, 'node_modules'), path.join(root, 'node_modules'), 'dir');
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function sends(file: string): string[][] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '));
}

function onDisk(dir: string): Job[] {
  return (JSON.parse(readFileSync(path.join(dir, QUEUE_FILE), 'utf8')) as { jobs: Job[] }).jobs;
}

/** Runs the child until `sendsBefore + more` sends are recorded, then SIGKILLs it. */
async function runAndKill(
  dir: string,
  sendsFile: string,
  tag: string,
  add: number,
  more: number,
): Promise<void> {
  const before = sends(sendsFile).length;
  const proc = spawn(process.execPath, [child], {
    env: { ...process.env, JOBS_DIR: dir, SENDS_FILE: sendsFile, ADD: String(add), TAG: tag },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    proc.once('exit', (_code, signal) => resolve(signal)),
  );
  for (let i = 0; i < 1500 && sends(sendsFile).length < before + more; i++) {
    if (proc.exitCode !== null) throw new Error(`the child stopped early: ${stderr}`);
    await sleep(10);
  }
  expect(sends(sendsFile).length).toBeGreaterThanOrEqual(before + more);
  proc.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

describe('killing the core mid-run', () => {
  it('leaves no job re-sent without consent', async () => {
    const dir = path.join(root, 'jobs');
    const sendsFile = path.join(root, 'sends.log');

    await runAndKill(dir, sendsFile, 'run1', JOBS, 10);
    const afterFirst = onDisk(dir);
    expect(afterFirst).toHaveLength(JOBS);
    // Some were in flight when it died (otherwise the test proves nothing).
    expect(
      afterFirst.filter((j) => ['sending', 'generating', 'saving'].includes(j.state)).length,
    ).toBeGreaterThan(0);

    await runAndKill(dir, sendsFile, 'run2', 0, 10);
    const afterSecond = onDisk(dir);

    // Start again in this process and let everything that may go, go.
    const queue = await createJobQueue({
      dataDir: dir,
      concurrency: 4,
      executor: async (job, ctx) => {
        await ctx.acquireRequestSlot();
        appendFileSync(sendsFile, `${job.id} run3\n`);
        return { state: 'done', result: { by: 'run3' } };
      },
    });
    const settled = (): boolean =>
      queue.list().every((j) => ['done', 'needs-attention'].includes(j.state));
    for (let i = 0; i < 1000 && !settled(); i++) await sleep(10);
    const final = queue.list();
    await queue.close();

    // 1. No job was sent twice, across the three runs.
    const all = sends(sendsFile);
    const ids = all.map(([id]) => id);
    expect(new Set(ids).size).toBe(ids.length);

    // 2. Every job ends done or needs-attention; each one is accounted for.
    expect(final).toHaveLength(JOBS);
    expect(final.every((j) => j.state === 'done' || j.state === 'needs-attention')).toBe(true);

    // 3. A job in flight when a run died came back as needs-attention (or had finished before).
    const sentBy = new Map(all.map(([id, tag]) => [id, tag]));
    for (const job of final) {
      const tag = sentBy.get(job.id);
      if (job.state === 'needs-attention') {
        expect(job.error?.code).toBe('interrupted');
        // never sent again after the crash that interrupted it
        expect(tag === undefined || tag !== 'run3').toBe(true);
      } else {
        expect(tag).toBeDefined();
        expect(job.result).toEqual({ by: tag });
      }
    }
    const inFlightAtSecondKill = afterSecond.filter((j) =>
      ['preparing', 'sending', 'generating', 'saving'].includes(j.state),
    );
    for (const job of inFlightAtSecondKill) {
      expect(final.find((j) => j.id === job.id)?.state).toBe('needs-attention');
    }
    // 4. Jobs sent in a run and not finished on disk are flagged as possibly charged.
    for (const job of final.filter((j) => j.state === 'needs-attention')) {
      if (sentBy.has(job.id)) expect(job.mayHaveBeenCharged).toBe(true);
    }
    // 5. The jobs that had not started did run, after the crashes.
    expect(all.filter(([, tag]) => tag === 'run3').length).toBeGreaterThan(0);
  }, 60_000);
});
