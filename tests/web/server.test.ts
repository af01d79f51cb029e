import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_SETTINGS } from '../../shared/api';
import { MAX_MESSAGE_BYTES, WS_PATH } from '../../shared/transport';
import { createHost, type Host } from '../../electron/core/host';
import { startWebShell, type WebShell } from '../../electron/web/server';
import {
  codeOf,
  connect,
  exchangeCode,
  get,
  INDEX_HTML,
  makeRendererDir,
  removeDir,
  type TestSocket,
} from './helpers';

let root: string;
let rendererDir: string;
let host: Host;
let shell: WebShell;
const sockets: TestSocket[] = [];

beforeEach(async () => {
  ({ root, rendererDir } = await makeRendererDir());
  host = await createHost({
    shell: 'browser',
    version: '9.9.9',
    env: { ATELIER_DATA_DIR: path.join(root, 'data') },
    log: () => undefined,
  });
  shell = await startWebShell({ host, rendererDir, log: () => undefined });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await shell.close();
  await host.close();
  await removeDir(root);
});

const page = () => '/';
const wsUrl = () => `ws://127.0.0.1:${shell.port}${WS_PATH}`;
/** The subprotocols Atelier's page offers: the protocol, and the credential. */
const protocols = (token: string = shell.token) => ['atelier', `atelier.token.${token}`];

async function open(): Promise<TestSocket> {
  const connection = await connect(wsUrl(), { origin: shell.origin, protocols: protocols() });
  if (connection.kind !== 'open') throw new Error(`refused with ${connection.status}`);
  sockets.push(connection.socket);
  return connection.socket;
}

describe('browser shell over HTTP', () => {
  it('listens on 127.0.0.1; its launch address carries a one-time code, never the credential', () => {
    expect(shell.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${shell.port}/#code=[A-Za-z0-9_-]{43}$`),
    );
    expect(shell.url).not.toContain(shell.token);
    expect(shell.origin).toBe(`http://127.0.0.1:${shell.port}`);
    expect(shell.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(shell.launchUrl()).not.toBe(shell.url);
  });

  it('serves the page with its security headers and sets no cookie', async () => {
    const res = await get(shell.port, page());
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX_HTML);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['content-security-policy']).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws://127.0.0.1:${shell.port} ws://localhost:${shell.port}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`,
    );
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('also serves /index.html, and answers HEAD without a body', async () => {
    expect((await get(shell.port, '/index.html')).status).toBe(200);
    const head = await get(shell.port, page(), {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(INDEX_HTML.length));
  });

  it('swaps each one-time code for the credential once, and sets no cookie doing it', async () => {
    const code = codeOf(shell.url);
    const first = await exchangeCode(shell.port, code);
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toEqual({ token: shell.token });
    expect(first.headers['cache-control']).toBe('no-store');
    expect(first.headers['set-cookie']).toBeUndefined();

    const again = await exchangeCode(shell.port, code);
    expect(again.status).toBe(401);
    expect(again.body).toMatch(/already been used/);
    expect(again.body).not.toContain(shell.token);

    const other = codeOf(shell.launchUrl());
    expect((await exchangeCode(shell.port, other)).status).toBe(200);
  });

  it('refuses a code from another site, without JSON, too long, or made up', async () => {
    const code = codeOf(shell.launchUrl());
    for (const origin of ['http://evil.example', `http://127.0.0.1:${shell.port + 1}`, 'null']) {
      expect((await exchangeCode(shell.port, code, { origin })).status, origin).toBe(403);
    }
    const plain = await exchangeCode(shell.port, code, { 'content-type': 'text/plain' });
    expect(plain.status).toBe(401);
    const huge = await get(
      shell.port,
      '/session',
      { origin: shell.origin, 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ code: 'x'.repeat(5000) }),
    );
    expect(huge.status).toBe(401);
    expect((await exchangeCode(shell.port, 'made-up')).status).toBe(401);
    expect((await exchangeCode(shell.port, shell.token)).status).toBe(401);
    // None of those used up the real code.
    expect((await exchangeCode(shell.port, code)).status).toBe(200);
  });

  it('serves the page’s own files (the same for everyone), with the right content types', async () => {
    const js = await get(shell.port, '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('export const ok = true;\n');
    const css = await get(shell.port, '/assets/app.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get(shell.port, '/assets/missing.js')).status).toBe(404);
  });

  it('answers 403 to a foreign Origin', async () => {
    for (const origin of [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${shell.port + 1}`,
      `https://127.0.0.1:${shell.port}`,
    ]) {
      const res = await get(shell.port, page(), { origin });
      expect(res.status, origin).toBe(403);
      expect(res.body).toMatch(/another web site/);
    }
    expect((await get(shell.port, page(), { origin: shell.origin })).status).toBe(200);
    expect(
      (await get(shell.port, page(), { origin: `http://localhost:${shell.port}` })).status,
    ).toBe(200);
  });

  it('answers 403 to a Host other than 127.0.0.1:PORT or localhost:PORT (DNS rebinding)', async () => {
    for (const hostHeader of [
      'evil.example',
      `evil.example:${shell.port}`,
      '127.0.0.1',
      `127.0.0.2:${shell.port}`,
    ]) {
      const res = await get(shell.port, page(), { host: hostHeader });
      expect(res.status, hostHeader).toBe(403);
    }
    expect((await get(shell.port, page(), { host: `localhost:${shell.port}` })).status).toBe(200);
  });

  it('refuses traversal, encoded dots, hidden names and symbolic links', async () => {
    await writeFile(path.join(rendererDir, '.hidden'), 'hidden');
    await symlink(path.join(root, 'secret.txt'), path.join(rendererDir, 'link.txt'));
    await mkdir(path.join(rendererDir, 'sub'));
    await symlink(path.join(rendererDir, 'assets'), path.join(rendererDir, 'sub', 'inside'));
    const t = '';
    for (const target of [
      `/../secret.txt${t}`,
      `/assets/../../secret.txt${t}`,
      `/%2e%2e/secret.txt${t}`,
      `/%2E%2E%2Fsecret.txt${t}`,
      `/assets/%2e%2e/%2e%2e/secret.txt${t}`,
      `/..%5csecret.txt${t}`,
      `/%00${t}`,
      `/%E0%A4%A${t}`,
      `/.hidden${t}`,
      `/link.txt${t}`,
      `/sub/inside/app.js${t}`,
      `//etc/passwd${t}`,
    ]) {
      const res = await get(shell.port, target);
      expect([400, 403, 404], target).toContain(res.status);
      expect(res.body).not.toContain('outside the renderer');
      expect(res.body).not.toContain('hidden\n');
    }
    expect((await get(shell.port, `/link.txt${t}`)).status).toBe(403);
    expect((await get(shell.port, `/%2e%2e/secret.txt${t}`)).status).toBe(403);
    expect((await get(shell.port, `/assets/app.js${t}`)).status).toBe(200);
  });

  it('answers only GET and HEAD (and the code exchange)', async () => {
    const res = await get(shell.port, page(), {}, 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});

describe('browser shell over WebSocket', () => {
  it('refuses a socket without the credential or with a wrong one (401)', async () => {
    for (const offered of [
      [],
      ['atelier'],
      protocols('wrong'),
      protocols(shell.token.toUpperCase()),
    ]) {
      const connection = await connect(wsUrl(), { origin: shell.origin, protocols: offered });
      expect(connection.kind).toBe('refused');
      if (connection.kind === 'refused') expect(connection.status).toBe(401);
    }
    // The credential in the URL, or a launch code, lets nothing in.
    for (const query of [`?token=${shell.token}`, `?code=${codeOf(shell.launchUrl())}`]) {
      const connection = await connect(`${wsUrl()}${query}`, { origin: shell.origin });
      expect(connection).toMatchObject({ kind: 'refused', status: 401 });
    }
  });

  it('accepts the credential in the subprotocol list and speaks "atelier"', async () => {
    const socket = await open();
    expect(socket.ws.protocol).toBe('atelier');
  });

  it('refuses a socket with a foreign Origin or none at all (403)', async () => {
    for (const origin of ['http://evil.example', undefined]) {
      const connection = await connect(
        wsUrl(),
        origin === undefined ? { protocols: protocols() } : { origin, protocols: protocols() },
      );
      expect(connection).toMatchObject({ kind: 'refused', status: 403 });
    }
    const badHost = await connect(wsUrl(), {
      origin: shell.origin,
      protocols: protocols(),
      headers: { host: `evil.example:${shell.port}` },
    });
    expect(badHost).toMatchObject({ kind: 'refused', status: 403 });
  });

  it('has no socket at another path', async () => {
    const connection = await connect(`ws://127.0.0.1:${shell.port}/other`, {
      origin: shell.origin,
      protocols: protocols(),
    });
    expect(connection).toMatchObject({ kind: 'refused', status: 404 });
  });

  it('carries ping and settings round trips', async () => {
    const socket = await open();
    const ping = await socket.call(1, 'app.ping', { message: 'hello' });
    expect(ping).toMatchObject({
      type: 'result',
      id: 1,
      result: { ok: true, value: { message: 'hello' } },
    });

    const info = await socket.call(2, 'app.info', {});
    expect(info).toMatchObject({
      result: { ok: true, value: { shell: 'browser', version: '9.9.9' } },
    });

    const got = await socket.call(3, 'settings.get', {});
    expect(got).toEqual({ type: 'result', id: 3, result: { ok: true, value: DEFAULT_SETTINGS } });

    const set = await socket.call(4, 'settings.set', { theme: 'dark' });
    expect(set).toEqual({
      type: 'result',
      id: 4,
      result: { ok: true, value: { ...DEFAULT_SETTINGS, theme: 'dark' } },
    });
    expect(host.settings.get().theme).toBe('dark');
  });

  it('sends settings.changed to every open socket', async () => {
    const first = await open();
    const second = await open();
    await first.call(1, 'settings.set', { concurrency: 3 });
    const expected = {
      type: 'event',
      event: 'settings.changed',
      payload: { ...DEFAULT_SETTINGS, concurrency: 3 },
    };
    expect(await first.next()).toEqual(expected);
    expect(await second.next()).toEqual(expected);
  });

  it('answers invalid messages with an error and keeps the socket open', async () => {
    const socket = await open();
    socket.send('this is not json');
    const notJson = await socket.next();
    expect(notJson.type).toBe('error');
    expect(notJson.type === 'error' ? notJson.message : '').toMatch(/not JSON/);
    for (const bad of [
      { type: 'call', id: -1, call: 'app.ping', request: {} },
      { type: 'call', call: 'app.ping', request: {} },
      { type: 'nope' },
      [1, 2],
      null,
      { type: 'call', id: 1, call: 'app.ping', request: {}, extra: true },
    ]) {
      socket.send(bad);
      expect(await socket.next(), JSON.stringify(bad)).toMatchObject({ type: 'error' });
    }
    socket.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await socket.next()).toMatchObject({ type: 'error' });

    const invalid = await socket.call(7, 'app.ping', { message: 42 });
    expect(invalid).toMatchObject({
      id: 7,
      result: { ok: false, error: { code: 'invalid_request' } },
    });
    const fields =
      invalid.type === 'result' && !invalid.result.ok ? invalid.result.error.fields : {};
    expect(Object.keys(fields ?? {})).toEqual(['message']);
    const unknown = await socket.call(8, 'app.explode', {});
    expect(unknown).toMatchObject({
      id: 8,
      result: { ok: false, error: { code: 'unknown_call' } },
    });

    // Still alive.
    expect(await socket.call(9, 'app.ping', { message: 'still here' })).toMatchObject({
      result: { ok: true },
    });
  });

  it('closes a socket that sends more than MAX_MESSAGE_BYTES, and the server lives on', async () => {
    const socket = await open();
    socket.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    expect((await socket.closed).code).toBe(1009);
    const other = await open();
    expect(await other.call(1, 'app.ping', { message: 'ok' })).toMatchObject({
      result: { ok: true },
    });
  });

  it('close() ends open sockets and stops listening', async () => {
    const socket = await open();
    await shell.close();
    expect((await socket.closed).code).toBe(1001);
    await expect(get(shell.port, page())).rejects.toThrow();
  });
});
