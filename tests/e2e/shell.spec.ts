/**
 * The browser shell itself, in Debian's Chromium: the page at the printed URL loads, and requests
 * or sockets without the token, or from another origin, are refused. Needs `npm run build` first.
 */
import { WebSocket } from 'ws';
import { expect, test } from './fixtures';

/** Opens a WebSocket from Node (not from the page, which holds the cookie); resolves the outcome. */
function openSocket(url: string, origin: string): Promise<{ opened: boolean; status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => {
      ws.close();
      resolve({ opened: true, status: 101 });
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ opened: false, status: res.statusCode ?? 0 });
    });
    ws.once('error', () => resolve({ opened: false, status: 0 }));
  });
}

test('the page at the printed URL loads', async ({ page, shell }) => {
  // Its scripts and styles come without ?token=: the cookie set by the page load carries them.
  const failures: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failures.push(`${String(r.status())} ${r.url()}`);
  });
  page.on('requestfailed', (r) => failures.push(`failed ${r.url()}`));
  page.on('console', (m) => {
    if (m.type() === 'error') failures.push(`console: ${m.text()}`);
  });
  const response = await page.goto(shell.url);
  expect(response?.status()).toBe(200);
  expect(await page.title()).not.toBe('');
  await page.waitForLoadState('networkidle');
  expect(failures).toEqual([]);
  const headers = response?.headers() ?? {};
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['x-content-type-options']).toBe('nosniff');
});

test('the page reaches the core over the WebSocket', async ({ page, shell }) => {
  const socketOpened = page.waitForEvent('websocket', {
    predicate: (ws) => ws.url().startsWith(`${shell.origin.replace('http', 'ws')}/api`),
  });
  await page.goto(shell.url);
  const ws = await socketOpened;
  const frame = await ws.waitForEvent('framereceived', {
    predicate: (f) => typeof f.payload === 'string' && f.payload.includes('"type":"result"'),
  });
  expect(JSON.parse(String(frame.payload))).toMatchObject({ type: 'result', result: { ok: true } });
});

test('a request without the token gets 401', async ({ request, shell }) => {
  const response = await request.get(`${shell.origin}/`);
  expect(response.status()).toBe(401);
  expect(await response.text()).toMatch(/access code/);
  const wrong = await request.get(`${shell.origin}/?token=wrong`);
  expect(wrong.status()).toBe(401);
});

test('a WebSocket without the token is refused', async ({ shell }) => {
  const wsOrigin = shell.origin.replace('http', 'ws');
  expect(await openSocket(`${wsOrigin}/api`, shell.origin)).toEqual({ opened: false, status: 401 });
  expect(await openSocket(`${wsOrigin}/api?token=${shell.token}`, shell.origin)).toEqual({
    opened: true,
    status: 101,
  });
});

test('a foreign Origin gets 403', async ({ request, shell }) => {
  const response = await request.get(shell.url, { headers: { Origin: 'http://evil.example' } });
  expect(response.status()).toBe(403);
  const wsOrigin = shell.origin.replace('http', 'ws');
  expect(await openSocket(`${wsOrigin}/api?token=${shell.token}`, 'http://evil.example')).toEqual({
    opened: false,
    status: 403,
  });
});

test('a page on another origin cannot read Atelier', async ({ page, shell }) => {
  // From a page served elsewhere (about:blank has an opaque origin), fetch and the socket fail.
  await page.goto('about:blank');
  const outcome = await page.evaluate(async (url) => {
    const fetched = await fetch(url).then(
      () => 'read',
      () => 'blocked',
    );
    const socket = await new Promise<string>((resolve) => {
      const ws = new WebSocket(url.replace('http', 'ws').replace('/?', '/api?'));
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    });
    return { fetched, socket };
  }, shell.url);
  expect(outcome).toEqual({ fetched: 'blocked', socket: 'refused' });
});
