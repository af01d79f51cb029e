import { afterEach, describe, expect, it, vi } from 'vitest';
import { AtelierError, DEFAULT_SETTINGS, type PreloadBridge } from '../../../shared/api';
import { createBridge, CONNECTION_LOST_MESSAGE } from '../../../renderer/transport';
import { wrapPreload } from '../../../renderer/transport/preload';
import { FakeSocket, TEST_INFO } from '../fakes';

/** A stand-in for the Electron preload's window.atelier. */
function fakePreload(answer: (call: string, request: unknown) => Promise<unknown>) {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const invoke = vi.fn(answer);
  const raw: PreloadBridge & {
    calls: typeof invoke;
    emit: (event: string, payload: unknown) => void;
    count: () => number;
  } = {
    invoke,
    calls: invoke,
    on: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (event, payload) => {
      for (const listener of listeners) listener(event, payload);
    },
    count: () => listeners.size,
  };
  return raw;
}

afterEach(() => {
  delete window.atelier;
  vi.unstubAllGlobals();
  FakeSocket.reset();
});

describe('stageFile through the preload', () => {
  const view = { id: 'in1', name: 'cat.png', width: 4, height: 3, bytes: 3, format: 'png' };

  it('a file with a path is staged by the main process: no bytes go through the calls', async () => {
    const raw = fakePreload(() => Promise.reject(new Error('no call expected')));
    const stage = vi.fn((_file: Blob) => Promise.resolve({ ok: true, value: view }));
    raw.stageFile = stage;
    const file = new File(['png'], 'cat.png', { type: 'image/png' });
    await expect(wrapPreload(raw).stageFile(file)).resolves.toEqual(view);
    expect(stage).toHaveBeenCalledWith(file);
    expect(raw.calls).not.toHaveBeenCalled();
  });

  it('a file without a path (pasted) goes as bytes: begin, chunk, finish', async () => {
    const raw = fakePreload((call, request) => {
      const r = request as { data?: string };
      if (call === 'inputs.begin') return Promise.resolve({ ok: true, value: { id: 'up1' } });
      if (call === 'inputs.chunk')
        return Promise.resolve({ ok: true, value: { received: atob(r.data ?? '').length } });
      return Promise.resolve({ ok: true, value: view });
    });
    raw.stageFile = vi.fn(() => Promise.resolve(null));
    const file = new File(['png'], 'pasted.png', { type: 'image/png' });
    await expect(wrapPreload(raw).stageFile(file)).resolves.toEqual(view);
    expect(raw.calls.mock.calls.map(([call]) => call)).toEqual([
      'inputs.begin',
      'inputs.chunk',
      'inputs.finish',
    ]);
  });

  it("the main process's refusal reaches the person as its sentence", async () => {
    const raw = fakePreload(() => Promise.reject(new Error('no call expected')));
    const message = 'Atelier could not open “x.png” as a picture file.';
    raw.stageFile = () =>
      Promise.resolve({ ok: false, error: { code: 'unreadable_file', message } });
    await expect(wrapPreload(raw).stageFile(new File(['x'], 'x.png'))).rejects.toThrow(message);
  });
});

describe('the preload bridge', () => {
  it('passes the call through and returns the validated value', async () => {
    const raw = fakePreload(() => Promise.resolve({ ok: true, value: TEST_INFO }));
    const bridge = wrapPreload(raw);
    expect(bridge.connection.state.status).toBe('online');
    await expect(bridge.invoke('app.info', {})).resolves.toEqual(TEST_INFO);
    expect(raw.calls).toHaveBeenCalledWith('app.info', {});
  });

  it("turns a failed result into an AtelierError with the core's sentence", async () => {
    const body = { code: 'invalid_request', message: 'Jobs at once must be at most 8.' };
    const bridge = wrapPreload(fakePreload(() => Promise.resolve({ ok: false, error: body })));
    const error = await bridge.invoke('settings.set', { concurrency: 8 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtelierError);
    expect(error).toMatchObject(body);
  });

  it('rejects malformed envelopes and values that break the response schema', async () => {
    const bad = wrapPreload(fakePreload(() => Promise.resolve({ yes: 1 })));
    await expect(bad.invoke('app.info', {})).rejects.toMatchObject({ code: 'bad_response' });
    const wrong = wrapPreload(
      fakePreload(() => Promise.resolve({ ok: true, value: { ...TEST_INFO, shell: 'toaster' } })),
    );
    await expect(wrong.invoke('app.info', {})).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('says the connection is lost when IPC itself fails', async () => {
    const bridge = wrapPreload(fakePreload(() => Promise.reject(new Error('IPC gone'))));
    await expect(bridge.invoke('app.info', {})).rejects.toMatchObject({
      message: CONNECTION_LOST_MESSAGE,
    });
  });

  it('validates events and lets listeners stop', () => {
    const raw = fakePreload(() => Promise.resolve(null));
    const bridge = wrapPreload(raw);
    const seen: string[] = [];
    const stop = bridge.on('settings.changed', (s) => seen.push(s.theme));
    raw.emit('settings.changed', { ...DEFAULT_SETTINGS, theme: 'light' });
    raw.emit('settings.changed', { theme: 'light' });
    raw.emit('something.else', {});
    stop();
    raw.emit('settings.changed', { ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(seen).toEqual(['light']);
    bridge.close();
    expect(raw.count()).toBe(0);
  });
});

describe('createBridge', () => {
  it('uses window.atelier when the Electron preload put it there', async () => {
    const raw = fakePreload(() => Promise.resolve({ ok: true, value: TEST_INFO }));
    window.atelier = raw;
    const socket = vi.fn();
    vi.stubGlobal('WebSocket', socket);
    const bridge = createBridge();
    await expect(bridge.invoke('app.info', {})).resolves.toEqual(TEST_INFO);
    expect(raw.calls).toHaveBeenCalledOnce();
    expect(socket).not.toHaveBeenCalled();
  });

  it('otherwise swaps the launch code, clears the address bar, and opens a WebSocket with the credential', async () => {
    window.history.replaceState(null, '', '/#code=once');
    window.sessionStorage.clear();
    vi.stubGlobal('WebSocket', FakeSocket);
    const fetch = vi.fn(() => Promise.resolve(new Response(JSON.stringify({ token: 'tok123' }))));
    vi.stubGlobal('fetch', fetch);
    const bridge = createBridge();
    expect(window.location.hash).toBe('');
    await vi.waitFor(() => expect(FakeSocket.instances.length).toBeGreaterThan(0));
    expect(FakeSocket.latest.url).toBe(`ws://${window.location.host}/api`);
    expect(FakeSocket.latest.protocols).toEqual(['atelier', 'atelier.token.tok123']);
    expect(window.sessionStorage.getItem('atelier.session')).toBe('tok123');
    expect(document.cookie).toBe('');
    bridge.close();
    window.sessionStorage.clear();
    vi.unstubAllGlobals();
  });
});
