/**
 * The Compare store: opening two library entries by id (media URLs, real sizes, Compare shown),
 * dropped files, swap, and Save comparison sending each side the way the core can read it
 * (library ids, what an entry was made from; dropped files staged once).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallName, CallRequest, CallResponse, LibraryItem } from '../../shared/api';
import { setBridge } from '../../renderer/state/bridge';
import { forgetMediaBase, useCompare } from '../../renderer/state/compare';
import { useNavigation } from '../../renderer/state/navigation';
import { FakeCore } from './fakes';

function item(id: string, path: string, width: number, height: number): LibraryItem {
  return {
    id,
    path,
    operation: 'upscale',
    endpoint: null,
    model: 'fast',
    prompt: `picture ${id}`,
    negativePrompt: '',
    seed: null,
    createdAt: '2026-11-30T08:00:00.000Z',
    createdMs: 0,
    format: 'png',
    width,
    height,
    bytes: 10,
    sha256: 'x',
    favourite: false,
    sandbox: false,
    credits: null,
    rating: 0,
  };
}

class CompareCore extends FakeCore {
  readonly entries: Record<string, LibraryItem> = {
    A: item('A', '2026-11-30/a small.png', 512, 384),
    B: item('B', '2026-11-30/b.png', 2048, 1536),
  };
  uploads = 0;

  override invoke<C extends CallName>(call: C, request: CallRequest<C>): Promise<CallResponse<C>> {
    const answer = (value: unknown) => {
      this.calls.push({ call, request });
      return Promise.resolve(value as CallResponse<C>);
    };
    const r = request as Record<string, unknown>;
    switch (call) {
      case 'library.folder':
        return answer({ dir: '/lib', isDefault: false, mediaBase: '', canReveal: false });
      case 'library.get':
        return answer({
          entry: this.entries[String(r.id)],
          recipe: { params: {}, finishReason: null, appVersion: '1', inputs: [], source: null },
        });
      case 'inputs.begin':
        this.uploads += 1;
        return answer({ id: `up-${String(this.uploads)}` });
      case 'inputs.chunk':
        return answer({ received: String(r.data).length });
      case 'inputs.finish':
        return answer({ id: r.id, name: 'x', width: 1, height: 1, bytes: 1, format: 'png' });
      case 'compare.save':
        return answer({
          id: 'C',
          path: '2026-11-30/c.png',
          width: 10,
          height: 5,
          libraryDir: '/lib',
        });
      default:
        return super.invoke(call, request);
    }
  }
}

let core: CompareCore;

beforeEach(() => {
  core = new CompareCore();
  setBridge(core);
  forgetMediaBase();
  useCompare.getState().clear();
  useNavigation.setState({ place: 'create' });
  let n = 0;
  URL.createObjectURL = vi.fn(() => `blob:test/${String(++n)}`);
  URL.revokeObjectURL = vi.fn();
});

afterEach(() => setBridge(null));

describe('useCompare', () => {
  it('opens two library entries by id, with media URLs and real sizes, and shows Compare', async () => {
    await useCompare.getState().openLibraryIds('A', 'B');
    const [left, right] = useCompare.getState().pictures;
    expect(useNavigation.getState().place).toBe('compare');
    expect(left).toMatchObject({
      url: '/media/2026-11-30/a%20small.png',
      width: 512,
      height: 384,
      model: 'fast',
      source: { kind: 'library', id: 'A' },
    });
    expect(right).toMatchObject({ url: '/media/2026-11-30/b.png', width: 2048, height: 1536 });
    expect(useCompare.getState().view.zoom).toBeNull();
  });

  it('keeps mode, zoom and position when the mode changes; swap exchanges the sides', async () => {
    await useCompare.getState().openLibraryIds('A', 'B');
    useCompare.getState().setView({ zoom: 2, cx: 300, cy: 200 });
    useCompare.getState().setMode('slider');
    expect(useCompare.getState().view).toEqual({ zoom: 2, cx: 300, cy: 200 });
    useCompare.getState().swap();
    expect(useCompare.getState().pictures.map((p) => p?.source)).toEqual([
      { kind: 'library', id: 'B' },
      { kind: 'library', id: 'A' },
    ]);
    useCompare.getState().setSlider(1.7);
    expect(useCompare.getState().slider).toBe(1);
  });

  it('saves library pictures by id', async () => {
    await useCompare.getState().openLibraryIds('A', 'B');
    const saved = await useCompare.getState().save();
    expect(saved?.path).toBe('2026-11-30/c.png');
    const request = core.calls.find((c) => c.call === 'compare.save')?.request;
    expect(request).toEqual({
      left: { source: { kind: 'library', id: 'A' }, title: 'picture A', model: 'fast' },
      right: { source: { kind: 'library', id: 'B' }, title: 'picture B', model: 'fast' },
    });
  });

  it('takes two dropped files; saving uploads each once as a staged input', async () => {
    const a = new File([new Uint8Array([1, 2, 3])], 'a.png', { type: 'image/png' });
    const b = new File([new Uint8Array([4, 5])], 'b.png', { type: 'image/png' });
    await useCompare.getState().takeFiles([a, b]);
    const [left, right] = useCompare.getState().pictures;
    expect(left).toMatchObject({ title: 'a.png', url: 'blob:test/1', width: 0 });
    expect(right).toMatchObject({ title: 'b.png', url: 'blob:test/2' });
    useCompare.getState().loaded(left?.key ?? '', 64, 48);
    expect(useCompare.getState().pictures[0]).toMatchObject({ width: 64, height: 48 });

    await useCompare.getState().save();
    await useCompare.getState().save();
    expect(core.uploads).toBe(2);
    const saves = core.calls.filter((c) => c.call === 'compare.save').map((c) => c.request);
    expect(saves).toHaveLength(2);
    expect(saves[1]).toMatchObject({
      left: { source: { kind: 'input', id: 'up-1' }, title: 'a.png' },
      right: { source: { kind: 'input', id: 'up-2' }, title: 'b.png' },
    });
  });

  it('refuses files that are not pictures with a sentence', async () => {
    await useCompare.getState().takeFiles([new File(['x'], 'notes.txt', { type: 'text/plain' })]);
    expect(useCompare.getState().error).toMatch(/^Those files are not pictures\..*\.$/);
  });
});

describe('ComparePlace', () => {
  it('takes the two ids the Library hands over and shows both with their labels', async () => {
    const { render, screen, waitFor } = await import('@testing-library/react');
    const { createElement } = await import('react');
    const { ComparePlace } = await import('../../renderer/features/compare/ComparePlace');
    const { useLibraryIntent } = await import('../../renderer/state/library-intent');
    useCompare.getState().setMode('side');
    useLibraryIntent.setState({ intent: { kind: 'compare', ids: ['A', 'B'] } });
    render(createElement(ComparePlace));
    await waitFor(() => expect(screen.getByTestId('label-1').textContent).toContain('2048 × 1536'));
    expect(screen.getByTestId('label-0').textContent).toContain('fast · 512 × 384 px');
    expect(useLibraryIntent.getState().intent).toBeNull();
    expect(screen.getByRole('button', { name: 'Save comparison' })).toBeTruthy();
    expect(screen.getByRole('radio', { name: 'Side by side' })).toHaveProperty('checked', true);
  });
});
