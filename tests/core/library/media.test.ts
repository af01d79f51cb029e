import { describe, expect, it } from 'vitest';
import {
  createMediaSource,
  lookupMedia,
  type MediaSource,
} from '../../../electron/core/library/media';
import type { Library } from '../../../electron/core/library';

/** A source that knows one image and one thumbnail, and records what it was asked. */
function fakeSource(asked: string[]): MediaSource {
  return {
    resolve(requestPath) {
      asked.push(`resolve ${requestPath}`);
      if (requestPath === '/day/fox.png')
        return Promise.resolve({ ok: true, path: '/lib/fox.png' });
      if (requestPath === '/gone.png') return Promise.resolve({ ok: false, reason: 'not-found' });
      return Promise.resolve({ ok: false, reason: 'bad-path' });
    },
    thumbnail(id, size) {
      asked.push(`thumb ${id} ${String(size)}`);
      return Promise.resolve(
        id === 'ID1' ? `/lib/.atelier/thumbs/${id}-${String(size)}.webp` : null,
      );
    },
  };
}

describe('lookupMedia', () => {
  it('serves /media/<path> and /thumb/<id>/<size> through the source', async () => {
    const asked: string[] = [];
    const media = fakeSource(asked);
    expect(await lookupMedia(media, '/media/day/fox.png')).toEqual({
      ok: true,
      path: '/lib/fox.png',
    });
    expect(await lookupMedia(media, '/thumb/ID1/256')).toEqual({
      ok: true,
      path: '/lib/.atelier/thumbs/ID1-256.webp',
    });
    expect(asked).toEqual(['resolve /day/fox.png', 'thumb ID1 256']);
  });

  it('tells a missing file from a refused address', async () => {
    const media = fakeSource([]);
    expect(await lookupMedia(media, '/media/gone.png')).toEqual({ ok: false, reason: 'not-found' });
    expect(await lookupMedia(media, '/thumb/NOPE/256')).toEqual({ ok: false, reason: 'not-found' });
    expect(await lookupMedia(media, '/media/../etc/passwd')).toEqual({
      ok: false,
      reason: 'refused',
    });
  });

  it('refuses every other shape without asking the source', async () => {
    const asked: string[] = [];
    const media = fakeSource(asked);
    for (const bad of [
      '/',
      '/fox.png',
      '/thumb/ID1',
      '/thumb/ID1/256/x',
      '/thumb/../256',
      '/thumb/ID1/12345',
      '/thumb/ID%31/256',
      '/MEDIA/day/fox.png',
    ]) {
      expect(await lookupMedia(media, bad), bad).toEqual({ ok: false, reason: 'refused' });
    }
    expect(asked).toEqual([]);
  });
});

describe('createMediaSource', () => {
  it('answers nothing while no library can be opened', async () => {
    const media = createMediaSource(() => Promise.reject(new Error('no drive')));
    expect(await media.resolve('/day/fox.png')).toEqual({ ok: false, reason: 'not-found' });
    expect(await media.thumbnail('ID1', 256)).toBeNull();
  });

  it('asks the library only for ids of its shape and sizes it makes', async () => {
    const asked: string[] = [];
    const library = {
      get: (id: string) => {
        asked.push(id);
        return undefined;
      },
    } as unknown as Library;
    const media = createMediaSource(() => Promise.resolve(library));
    expect(await media.thumbnail('../../etc', 256)).toBeNull();
    expect(await media.thumbnail('ID1', 300)).toBeNull();
    expect(await media.thumbnail('ID1', 256)).toBeNull();
    expect(asked).toEqual(['ID1']);
  });
});
