import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallResponse, LibraryItem } from '../../shared/api';
import { setBridge } from '../../renderer/state/bridge';
import {
  EMPTY_FILTER,
  REFRESH_EVERY_MS,
  followLibrary,
  PAGE_SIZE,
  useLibraryBrowse,
} from '../../renderer/state/library-browse';
import { useLibraryMove } from '../../renderer/state/library-move';
import { useLibrarySelection } from '../../renderer/state/library-selection';
import { useLibraryToast } from '../../renderer/state/library-toast';
import { thumbUrl } from '../../renderer/ui/library-media';
import { FakeCore } from './fakes';

function item(i: number): LibraryItem {
  return {
    id: `ID${String(i).padStart(5, '0')}`,
    path: `2026-11-01/img ${i}.png`,
    operation: 'text-to-image',
    endpoint: null,
    model: 'core',
    prompt: `prompt ${i}`,
    negativePrompt: '',
    seed: i,
    createdAt: '2026-11-01T00:00:00.000Z',
    createdMs: 1_000_000 - i,
    format: 'png',
    width: 10,
    height: 10,
    bytes: 100,
    sha256: 'abcdef0123456789abcdef',
    favourite: false,
    sandbox: false,
    credits: 3,
    rating: 0,
  };
}

const ALL = Array.from({ length: 450 }, (_, i) => item(i));
let core: FakeCore;
/** The calls the store made, with their requests as plain records. */
const calls = () => core.calls as { call: string; request: Record<string, unknown> }[];

beforeEach(() => {
  core = new FakeCore()
    .handle('library.folder', () => ({
      dir: '/lib',
      isDefault: false,
      mediaBase: '',
      canReveal: false,
    }))
    .handle('library.query', ({ offset = 0, limit = PAGE_SIZE }) => ({
      total: ALL.length,
      all: ALL.length,
      offset,
      entries: ALL.slice(offset, offset + limit),
      facets: { models: ['core'], operations: ['text-to-image'] },
    }))
    .handle('library.delete', ({ ids }) => ({ token: 'TOKEN1', ids }))
    .handle('library.undoDelete', () => ({ entries: [ALL[0] ?? item(0)] }));
  setBridge(core);
  useLibraryBrowse.setState({ filter: EMPTY_FILTER, pages: {}, total: 0, all: null });
  useLibrarySelection.setState({ selected: [], detail: null });
  useLibraryToast.setState({ toast: null });
});

afterEach(() => {
  setBridge(null);
  vi.useRealTimers();
});

describe('library store', () => {
  it('asks the core page by page and finds items by index', async () => {
    await useLibraryBrowse.getState().load();
    expect(calls().filter((c) => c.call === 'library.query')).toHaveLength(1);
    expect(calls().at(-1)?.request).toMatchObject({ offset: 0, limit: PAGE_SIZE });
    expect(useLibraryBrowse.getState().total).toBe(450);
    expect(useLibraryBrowse.getState().itemAt(5)?.id).toBe('ID00005');
    expect(useLibraryBrowse.getState().itemAt(PAGE_SIZE + 1)).toBeUndefined();
    await useLibraryBrowse.getState().loadPage(1);
    expect(calls().at(-1)?.request).toMatchObject({ offset: PAGE_SIZE, limit: PAGE_SIZE });
    expect(useLibraryBrowse.getState().itemAt(PAGE_SIZE + 1)?.id).toBe('ID00201');
    // A page already held is not asked again.
    await useLibraryBrowse.getState().loadPage(1);
    expect(calls().filter((c) => c.call === 'library.query')).toHaveLength(2);
  });

  it('turns the filter into the request', async () => {
    vi.useFakeTimers();
    useLibraryBrowse
      .getState()
      .setFilter({ favourites: true, sandbox: 'only', model: 'core', from: '2026-11-01' });
    await vi.runAllTimersAsync();
    const request = calls().at(-1)?.request ?? {};
    expect(request).toMatchObject({ favourites: true, sandbox: true, models: ['core'] });
    expect(request.from).toBe(new Date(2026, 10, 1).getTime());
    useLibraryBrowse.getState().setFilter({ sandbox: 'none', text: '' });
    await vi.runAllTimersAsync();
    expect(calls().at(-1)?.request).toMatchObject({ sandbox: false });
    expect(calls().at(-1)?.request.text).toBeUndefined();
  });

  it('patches a favourite in place without asking again', async () => {
    await useLibraryBrowse.getState().load();
    const before = calls().length;
    const first = ALL[0] ?? item(0);
    useLibraryBrowse
      .getState()
      .received({ added: [], updated: [{ ...first, favourite: true }], removed: [], reset: false });
    expect(useLibraryBrowse.getState().itemAt(0)?.favourite).toBe(true);
    expect(calls().length).toBe(before);
  });

  it('selects with replace, toggle and range', async () => {
    await useLibraryBrowse.getState().load();
    const { itemAt } = useLibraryBrowse.getState();
    const s = useLibrarySelection.getState();
    s.select(2, 'replace', itemAt);
    s.select(5, 'range', itemAt);
    expect(useLibrarySelection.getState().selected).toEqual([
      'ID00002',
      'ID00003',
      'ID00004',
      'ID00005',
    ]);
    useLibrarySelection.getState().select(3, 'toggle', itemAt);
    expect(useLibrarySelection.getState().selected).not.toContain('ID00003');
  });

  it('delete shows an Undo toast; Undo restores', async () => {
    await useLibraryBrowse.getState().load();
    await useLibraryBrowse.getState().deleteIds(['ID00000', 'ID00001']);
    expect(useLibraryToast.getState().toast).toEqual({
      message: 'Deleted 2 images.',
      undoToken: 'TOKEN1',
    });
    await useLibraryBrowse.getState().undo();
    expect(calls().at(-1)).toEqual({ call: 'library.undoDelete', request: { token: 'TOKEN1' } });
    expect(useLibraryToast.getState().toast?.message).toBe('Restored 1 image.');
  });

  it('a deleted picture leaves the selection and the open detail; a changed one shows anew', async () => {
    await useLibraryBrowse.getState().load();
    const { itemAt } = useLibraryBrowse.getState();
    const selection = useLibrarySelection.getState();
    selection.select(0, 'replace', itemAt);
    selection.select(1, 'toggle', itemAt);
    selection.openDetail(ALL[1] ?? item(1));
    const first = { ...(ALL[0] ?? item(0)), favourite: true };
    useLibraryBrowse
      .getState()
      .received({ added: [], updated: [first], removed: ['ID00001'], reset: false });
    expect(useLibrarySelection.getState()).toMatchObject({ selected: ['ID00000'], detail: null });
    selection.openDetail(ALL[0] ?? item(0));
    useLibraryBrowse
      .getState()
      .received({ added: [], updated: [first], removed: [], reset: false });
    expect(useLibrarySelection.getState().detail?.favourite).toBe(true);
  });

  it('builds media URLs from the base the core gives', () => {
    const one = ALL[1] ?? item(1);
    expect(
      thumbUrl(
        { dir: '/l', isDefault: false, mediaBase: 'atelier-media://library', canReveal: true },
        one,
      ),
    ).toBe('atelier-media://library/thumb/ID00001/256?v=abcdef012345');
  });
});

describe('following the library', () => {
  it('reads the folder again when it opens and when the window comes back, not more often', async () => {
    vi.useFakeTimers();
    core.handle('library.refresh', () => ({ added: 0, updated: 0, removed: 0 }));
    const refreshes = () => calls().filter((c) => c.call === 'library.refresh').length;
    const stop = followLibrary();
    expect(refreshes()).toBe(1);
    window.dispatchEvent(new Event('focus'));
    expect(refreshes()).toBe(1);
    await vi.advanceTimersByTimeAsync(REFRESH_EVERY_MS);
    window.dispatchEvent(new Event('focus'));
    expect(refreshes()).toBe(2);

    // What the core finds arrives as changes, which the store takes.
    await useLibraryBrowse.getState().load();
    core.emit('library.changed', {
      added: [],
      updated: [{ ...(ALL[0] ?? item(0)), favourite: true }],
      removed: [],
      reset: false,
    });
    expect(useLibraryBrowse.getState().itemAt(0)?.favourite).toBe(true);

    stop();
    await vi.advanceTimersByTimeAsync(REFRESH_EVERY_MS);
    window.dispatchEvent(new Event('focus'));
    expect(refreshes()).toBe(2);
  });
});

describe('moving the library', () => {
  it('shows the progress of its own move only, then says what it did', async () => {
    let answer: ((value: CallResponse<'library.move'>) => void) | undefined;
    setBridge(core.handle('library.move', () => new Promise((resolve) => (answer = resolve))));
    const moving = useLibraryMove.getState().move('/new/library');
    expect(useLibraryMove.getState().progress).toEqual({ done: 0, total: 0 });
    core.emit('library.moving', { done: 3, total: 10 });
    expect(useLibraryMove.getState().progress).toEqual({ done: 3, total: 10 });
    answer?.({ dir: '/new/library', moved: 10, pictures: 5, left: 1 });
    await moving;
    expect(useLibraryMove.getState().progress).toBeNull();
    expect(useLibraryMove.getState().outcome).toBe(
      'Moved 5 pictures (10 files with their recipes) to /new/library. 1 stayed in the old folder: a different file already had their name in the new one.',
    );
    // A late progress event is not listened to any more.
    core.emit('library.moving', { done: 10, total: 10 });
    expect(useLibraryMove.getState().progress).toBeNull();
  });

  it("keeps the core's sentence when the move fails", async () => {
    setBridge(
      core.handle('library.move', () =>
        Promise.reject(new Error('The new folder’s drive is full after 3 of 10 files.')),
      ),
    );
    await useLibraryMove.getState().move('/full/drive');
    expect(useLibraryMove.getState()).toMatchObject({ progress: null, outcome: null });
    expect(useLibraryMove.getState().error).toMatch(/drive is full/);
  });
});
