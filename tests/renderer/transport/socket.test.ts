import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AtelierError, DEFAULT_SETTINGS } from '../../../shared/api';
import { createSocketBridge, defaultBackoff, socketUrl } from '../../../renderer/transport/socket';
import { CONNECTION_LOST_MESSAGE } from '../../../renderer/transport';
import { FakeSocket, FakeSocketConstructor, TEST_INFO } from '../fakes';

const URL = 'ws://127.0.0.1:4000/api';

function bridge(backoff: (attempt: number) => number = () => 1000) {
  return createSocketBridge({
    url: URL,
    credential: 'abc',
    WebSocketImpl: FakeSocketConstructor,
    backoff,
  });
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

beforeEach(() => FakeSocket.reset());
afterEach(() => vi.useRealTimers());

describe('socketUrl', () => {
  it('points at the same origin, with no credential in the address', () => {
    expect(socketUrl({ origin: 'http://127.0.0.1:4000' })).toBe('ws://127.0.0.1:4000/api');
    expect(socketUrl({ origin: 'https://host:1' })).toBe('wss://host:1/api');
  });
});

describe('the credential', () => {
  it('rides in the subprotocol list, never in the URL', () => {
    const b = bridge();
    expect(FakeSocket.latest.url).toBe(URL);
    expect(FakeSocket.latest.protocols).toEqual(['atelier', 'atelier.token.abc']);
    b.close();
  });

  it('calls made while the credential is coming wait for it, then go', async () => {
    let give: (value: string | null) => void = () => undefined;
    const b = createSocketBridge({
      url: URL,
      credential: new Promise<string | null>((resolve) => (give = resolve)),
      WebSocketImpl: FakeSocketConstructor,
    });
    const ping = b.invoke('app.ping', { message: 'early' });
    expect(FakeSocket.instances).toHaveLength(0);
    give('later');
    await settle();
    FakeSocket.latest.serverOpen();
    expect(FakeSocket.latest.protocols).toContain('atelier.token.later');
    expect(FakeSocket.latest.messages.map((m) => m.call)).toEqual(['app.ping']);
    b.close();
    await expect(ping).rejects.toBeInstanceOf(AtelierError);
  });

  it('when none comes, waiting calls fail with the sentence that says how to open the page', async () => {
    const b = createSocketBridge({
      url: URL,
      credential: Promise.resolve(null),
      WebSocketImpl: FakeSocketConstructor,
    });
    const call = b.invoke('app.info', {});
    await expect(call).rejects.toMatchObject({ code: 'no_token' });
    expect(FakeSocket.instances).toHaveLength(0);
    expect(b.connection.state.message).toMatch(/Open the address Atelier printed/);
  });
});

describe('the WebSocket bridge', () => {
  it('sends calls with ids once the socket opens and resolves each by its id', async () => {
    const b = bridge();
    expect(b.connection.state.status).toBe('connecting');
    const info = b.invoke('app.info', {});
    const ping = b.invoke('app.ping', { message: 'hi' });
    const socket = FakeSocket.latest;
    expect(socket.url).toBe(URL);
    expect(socket.sent).toHaveLength(0);

    socket.serverOpen();
    expect(b.connection.state.status).toBe('online');
    const [first, second] = socket.messages;
    expect(first).toMatchObject({ type: 'call', call: 'app.info', request: {} });
    expect(second).toMatchObject({ type: 'call', call: 'app.ping', request: { message: 'hi' } });
    expect(first?.id).not.toBe(second?.id);

    // Answers in the other order.
    socket.serverSend({
      type: 'result',
      id: second?.id,
      result: { ok: true, value: { message: 'hi', receivedAt: 5 } },
    });
    socket.serverSend({ type: 'result', id: first?.id, result: { ok: true, value: TEST_INFO } });
    await expect(ping).resolves.toEqual({ message: 'hi', receivedAt: 5 });
    await expect(info).resolves.toEqual(TEST_INFO);
  });

  it("rejects with the core's sentence, code and fields when the call failed", async () => {
    const b = bridge();
    FakeSocket.latest.serverOpen();
    const call = b.invoke('settings.set', { concurrency: 4 });
    const id = FakeSocket.latest.messages[0]?.id;
    const body = {
      code: 'invalid_request',
      message: 'The API address must be an http or https address.',
      fields: { apiBaseUrl: 'must be an http or https address' },
    };
    FakeSocket.latest.serverSend({ type: 'result', id, result: { ok: false, error: body } });
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtelierError);
    expect(error).toMatchObject(body);
  });

  it('rejects an answer that breaks the call’s response schema', async () => {
    const b = bridge();
    FakeSocket.latest.serverOpen();
    const call = b.invoke('settings.get', {});
    const id = FakeSocket.latest.messages[0]?.id;
    FakeSocket.latest.serverSend({
      type: 'result',
      id,
      result: { ok: true, value: { ...DEFAULT_SETTINGS, concurrency: 99 } },
    });
    await expect(call).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('ignores messages it cannot read and keeps working', async () => {
    const b = bridge();
    const socket = FakeSocket.latest;
    socket.serverOpen();
    const call = b.invoke('app.info', {});
    const id = socket.messages[0]?.id;
    socket.serverSend('not json {');
    socket.serverSend({ type: 'mystery' });
    socket.serverSend({ type: 'result', id: 'x', result: {} });
    socket.serverSend({ type: 'result', id: 12345, result: { ok: true, value: TEST_INFO } });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    socket.serverSend({ type: 'error', message: 'could not read that' });
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
    socket.serverSend({ type: 'result', id, result: { ok: true, value: TEST_INFO } });
    await expect(call).resolves.toEqual(TEST_INFO);
  });

  it('fails calls in flight with a plain sentence when the socket closes, then reconnects', async () => {
    vi.useFakeTimers();
    const b = bridge((attempt) => attempt * 1000);
    const statuses: string[] = [];
    b.connection.subscribe((s) => statuses.push(s.status));
    const first = FakeSocket.latest;
    first.serverOpen();
    const inFlight = b.invoke('app.info', {});
    first.serverClose();

    const error = await inFlight.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtelierError);
    expect((error as AtelierError).message).toBe(CONNECTION_LOST_MESSAGE);
    expect(b.connection.state).toEqual({ status: 'offline', message: CONNECTION_LOST_MESSAGE });

    // While offline, calls fail at once instead of hanging.
    await expect(b.invoke('app.info', {})).rejects.toMatchObject({ code: 'disconnected' });

    // First retry after 1 s fails too; the next waits 2 s.
    vi.advanceTimersByTime(999);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.latest.serverClose();
    vi.advanceTimersByTime(1999);
    expect(FakeSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(3);

    FakeSocket.latest.serverOpen();
    expect(b.connection.state.status).toBe('online');
    expect(statuses).toEqual([
      'online',
      'offline',
      'connecting',
      'offline',
      'connecting',
      'online',
    ]);

    // Back online, calls work again (the failed one was not re-sent on its own).
    const again = b.invoke('app.info', {});
    expect(FakeSocket.latest.messages).toHaveLength(1);
    FakeSocket.latest.serverSend({
      type: 'result',
      id: FakeSocket.latest.messages[0]?.id,
      result: { ok: true, value: TEST_INFO },
    });
    await expect(again).resolves.toEqual(TEST_INFO);
    b.close();
  });

  it('fails calls queued before the socket ever opened if it closes instead', async () => {
    const b = bridge();
    const queued = b.invoke('app.info', {});
    FakeSocket.latest.serverClose();
    await expect(queued).rejects.toMatchObject({ message: CONNECTION_LOST_MESSAGE });
    b.close();
  });

  it('reconnect() tries at once instead of waiting for the backoff', () => {
    vi.useFakeTimers();
    const b = bridge(() => 60_000);
    FakeSocket.latest.serverClose();
    expect(FakeSocket.instances).toHaveLength(1);
    b.reconnect();
    expect(FakeSocket.instances).toHaveLength(2);
    b.reconnect(); // already connecting: no second socket
    expect(FakeSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(2);
    b.close();
  });

  it('close() fails pending calls and stops reconnecting', async () => {
    vi.useFakeTimers();
    const b = bridge();
    FakeSocket.latest.serverOpen();
    const pending = b.invoke('app.info', {});
    b.close();
    await expect(pending).rejects.toBeInstanceOf(AtelierError);
    vi.advanceTimersByTime(100_000);
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('delivers valid events to their listeners only, and drops broken ones', async () => {
    const b = bridge();
    FakeSocket.latest.serverOpen();
    const seen: unknown[] = [];
    const stop = b.on('settings.changed', (s) => seen.push(s.theme));
    const changed = { ...DEFAULT_SETTINGS, theme: 'dark' };
    FakeSocket.latest.serverSend({ type: 'event', event: 'settings.changed', payload: changed });
    FakeSocket.latest.serverSend({
      type: 'event',
      event: 'settings.changed',
      payload: { theme: 'purple' },
    });
    FakeSocket.latest.serverSend({ type: 'event', event: 'no.such.event', payload: {} });
    stop();
    FakeSocket.latest.serverSend({ type: 'event', event: 'settings.changed', payload: changed });
    await settle();
    expect(seen).toEqual(['dark']);
    b.close();
  });

  it('refuses to send a message larger than the core accepts', async () => {
    const b = bridge();
    FakeSocket.latest.serverOpen();
    await expect(
      b.invoke('app.ping', { message: 'x'.repeat(2 * 1024 * 1024) }),
    ).rejects.toMatchObject({ code: 'too_large' });
    expect(FakeSocket.latest.sent).toHaveLength(0);
    b.close();
  });

  it('without a credential it never connects and says how to open the page', async () => {
    const b = createSocketBridge({
      url: URL,
      credential: null,
      WebSocketImpl: FakeSocketConstructor,
    });
    expect(FakeSocket.instances).toHaveLength(0);
    expect(b.connection.state.status).toBe('offline');
    expect(b.connection.state.message).toMatch(/Open the address Atelier printed/);
    await expect(b.invoke('app.info', {})).rejects.toMatchObject({ code: 'no_token' });
  });

  it('backs off up to ten seconds', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map(defaultBackoff)).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });
});
