/**
 * Copy Image: through the core (the desktop app's main-process clipboard) in both shells, and the
 * browser's own clipboard only where the core says it cannot (the browser shell).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AtelierError,
  type CallName,
  type CallRequest,
  type CallResponse,
  type LibraryItem,
} from '../../../shared/api';
import { copyImage } from '../../../renderer/features/library/actions';
import { setBridge } from '../../../renderer/state/bridge';
import { useLibraryToast } from '../../../renderer/state/library-toast';
import { FakeCore } from '../fakes';

/** A core whose app.copyImage answers `answer`. */
class ClipboardCore extends FakeCore {
  constructor(private readonly copyAnswer: () => Promise<unknown>) {
    super();
  }
  override invoke<C extends CallName>(call: C, request: CallRequest<C>): Promise<CallResponse<C>> {
    if (call !== 'app.copyImage') return super.invoke(call, request);
    this.calls.push({ call, request });
    return this.copyAnswer() as Promise<CallResponse<C>>;
  }
}

const item = { path: '2026-11/cat.webp' } as LibraryItem;
const write = vi.fn((_items: unknown[]) => Promise.resolve());

beforeEach(() => {
  useLibraryToast.setState({ toast: null });
  write.mockClear();
  vi.stubGlobal('navigator', { clipboard: { write } });
  vi.stubGlobal(
    'ClipboardItem',
    class {
      constructor(readonly items: Record<string, Blob>) {}
    },
  );
  vi.stubGlobal(
    'fetch',
    vi.fn(() => Promise.resolve(new Response('png', { headers: { 'Content-Type': 'image/png' } }))),
  );
});
afterEach(() => {
  setBridge(null);
  vi.unstubAllGlobals();
});

const toast = () => useLibraryToast.getState().toast?.message;

describe('Copy Image', () => {
  it('goes through the core first (the desktop clipboard), never the page’s clipboard', async () => {
    const core = new ClipboardCore(() => Promise.resolve({}));
    setBridge(core);
    await copyImage(item);
    expect(core.calls).toEqual([{ call: 'app.copyImage', request: { path: '2026-11/cat.webp' } }]);
    expect(write).not.toHaveBeenCalled();
    expect(toast()).toBe('Copied the image.');
  });

  it('uses the browser clipboard where the core cannot (the browser shell)', async () => {
    const core = new ClipboardCore(() =>
      Promise.reject(new AtelierError({ code: 'not_available', message: 'desktop only' })),
    );
    setBridge(core);
    await copyImage(item);
    expect(write).toHaveBeenCalledTimes(1);
    expect(toast()).toBe('Copied the image.');
  });

  it('says the core’s sentence when the desktop clipboard refused', async () => {
    const core = new ClipboardCore(() =>
      Promise.reject(
        new AtelierError({ code: 'copy_failed', message: 'The image could not be copied.' }),
      ),
    );
    setBridge(core);
    await copyImage(item);
    expect(write).not.toHaveBeenCalled();
    expect(toast()).toBe('The image could not be copied.');
  });
});
