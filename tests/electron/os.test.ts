import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobView } from '../../shared/api';
import {
  batchNotification,
  createJobProgress,
  createOpenFilesQueue,
  imagePathsFromArgv,
} from '../../electron/shell/os';

vi.mock('electron', () => import('./fake-electron'));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-os-'));
  for (const name of ['a.png', 'b.JPG', 'c.jpeg', 'd.webp', 'e.gif', 'f.txt']) {
    writeFileSync(join(dir, name), 'x');
  }
  mkdirSync(join(dir, 'folder.png'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('imagePathsFromArgv', () => {
  it('keeps existing png/jpeg/webp files, resolved against the working folder', () => {
    const argv = [
      '/opt/Atelier/atelier',
      '--no-sandbox',
      '--library=/x.png',
      'a.png',
      join(dir, 'b.JPG'),
      'c.jpeg',
      'd.webp',
      'e.gif',
      'f.txt',
      'missing.png',
      'folder.png',
      'a.png',
    ];
    expect(imagePathsFromArgv(argv, dir)).toEqual([
      join(dir, 'a.png'),
      join(dir, 'b.JPG'),
      join(dir, 'c.jpeg'),
      join(dir, 'd.webp'),
    ]);
  });

  it('finds nothing in a plain launch', () => {
    expect(imagePathsFromArgv(['/usr/bin/electron', '.', '--inspect'], dir)).toEqual([]);
  });
});

describe('createOpenFilesQueue', () => {
  it('holds files until the page has loaded, then delivers each batch once', () => {
    const deliver = vi.fn();
    const queue = createOpenFilesQueue(deliver);
    queue.add(['/a.png']);
    queue.add(['/a.png', '/b.png']);
    queue.add([]);
    expect(deliver).not.toHaveBeenCalled();
    queue.ready();
    expect(deliver).toHaveBeenCalledExactlyOnceWith(['/a.png', '/b.png']);
    queue.add(['/c.png']);
    expect(deliver).toHaveBeenLastCalledWith(['/c.png']);
    queue.notReady();
    queue.add(['/d.png']);
    expect(deliver).toHaveBeenCalledTimes(2);
    expect(queue.pending()).toEqual(['/d.png']);
  });
});

function job(id: string, state: JobView['state'], batch?: string): JobView {
  return {
    id,
    kind: 'text-to-image',
    endpoint: 'generate.core',
    params: {},
    ...(batch ? { batch } : {}),
    createdAt: 1,
    updatedAt: 1,
    state,
    attempts: 0,
    mayHaveBeenCharged: false,
  };
}

describe('createJobProgress', () => {
  it('shows the share of finished jobs, then clears the bar and reports the batch once', () => {
    const setProgress = vi.fn();
    const batchFinished = vi.fn();
    const progress = createJobProgress({ setProgress, batchFinished });
    for (const id of ['1', '2', '3', '4'])
      progress.onEvent('jobs.changed', job(id, 'waiting', 'b'));
    expect(setProgress).toHaveBeenLastCalledWith(0.02);
    progress.onEvent('jobs.changed', job('1', 'generating', 'b'));
    progress.onEvent('jobs.changed', job('1', 'done', 'b'));
    expect(setProgress).toHaveBeenLastCalledWith(0.25);
    progress.onEvent('jobs.changed', job('2', 'done', 'b'));
    progress.onEvent('jobs.changed', job('3', 'failed', 'b'));
    expect(setProgress).toHaveBeenLastCalledWith(0.75);
    expect(batchFinished).not.toHaveBeenCalled();
    progress.onEvent('jobs.changed', job('4', 'done', 'b'));
    expect(setProgress).toHaveBeenLastCalledWith(-1);
    expect(batchFinished).toHaveBeenCalledExactlyOnceWith({ total: 4, done: 3 });
    // A late repeat of a finished job changes nothing.
    progress.onEvent('jobs.changed', job('4', 'done', 'b'));
    expect(batchFinished).toHaveBeenCalledTimes(1);
  });

  it('ignores jobs first seen finished (restored from an earlier run) and malformed events', () => {
    const setProgress = vi.fn();
    const batchFinished = vi.fn();
    const progress = createJobProgress({ setProgress, batchFinished });
    progress.onEvent('jobs.changed', job('old', 'done', 'x'));
    progress.onEvent('jobs.changed', { id: 'broken' });
    progress.onEvent('settings.changed', {});
    expect(setProgress).not.toHaveBeenCalled();
    expect(batchFinished).not.toHaveBeenCalled();
  });

  it('treats a job without a batch as its own batch; an idle queue clears the bar', () => {
    const setProgress = vi.fn();
    const batchFinished = vi.fn();
    const progress = createJobProgress({ setProgress, batchFinished });
    progress.onEvent('jobs.changed', job('solo', 'sending'));
    progress.onEvent('jobs.changed', job('other', 'sending'));
    progress.onEvent('jobs.changed', job('solo', 'done'));
    expect(batchFinished).toHaveBeenCalledExactlyOnceWith({ total: 1, done: 1 });
    progress.onEvent('jobs.queue', {
      online: true,
      running: 0,
      waiting: 0,
      needsAttention: 0,
      paused: false,
    });
    expect(setProgress).toHaveBeenLastCalledWith(-1);
  });
});

describe('batchNotification', () => {
  it('says how many pictures were made, in plain words', () => {
    expect(batchNotification({ total: 1, done: 1 })).toEqual({
      title: 'Your picture is ready',
      body: '1 picture saved to your library.',
    });
    expect(batchNotification({ total: 4, done: 4 }).title).toBe('Your pictures are ready');
    expect(batchNotification({ total: 4, done: 3 })).toEqual({
      title: 'Your batch has finished',
      body: '3 of 4 pictures made. Open Atelier to see what needs attention.',
    });
  });
});
