/**
 * The browser shell itself, in Debian's Chromium: the page at the printed launch address loads,
 * swaps its one-time code for the credential and drops the code from the address bar; the credential
 * lives in the tab's sessionStorage (no cookie), so another server on this computer never receives
 * it; sockets without it, or from another origin, are refused. Needs `npm run build` first.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { expect, openApp, READ_SESSION, test } from './fixtures';

/** Opens a WebSocket from Node, offering `protocols`; resolves the outcome. */
function openSocket(
  url: string,
  origin: string,
  protocols: string[] = [],
): Promise<{ opened: boolean; status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { origin });
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

test('the page at the printed address loads, and the code leaves the address bar', async ({
  page,
  shell,
}) => {
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
  const headers = response?.headers() ?? {};
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  await expect(page.getByRole('navigation', { name: 'Places' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(failures).toEqual([]);

  expect(page.url()).toBe(`${shell.origin}/`);
  expect(await page.context().cookies()).toEqual([]);
  const kept = await page.evaluate(READ_SESSION);
  expect(kept).toMatch(/^[A-Za-z0-9_-]{43}$/);

  // A reload keeps working: the tab kept its credential.
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Places' })).toBeVisible();
});

test('the page reaches the core over the WebSocket, with no credential in its address', async ({
  page,
  shell,
}) => {
  const socketOpened = page.waitForEvent('websocket', {
    predicate: (ws) => ws.url().startsWith(`${shell.origin.replace('http', 'ws')}/api`),
  });
  await page.goto(shell.url);
  const ws = await socketOpened;
  expect(ws.url()).toBe(`${shell.origin.replace('http', 'ws')}/api`);
  const frame = await ws.waitForEvent('framereceived', {
    predicate: (f) => typeof f.payload === 'string' && f.payload.includes('"type":"result"'),
  });
  expect(JSON.parse(String(frame.payload))).toMatchObject({ type: 'result', result: { ok: true } });
});

test('a launch address works once: a second browser gets a sentence, not Atelier', async ({
  app,
  shell,
  browser,
}) => {
  await expect(app.getByRole('navigation', { name: 'Places' })).toBeVisible();
  const other = await browser.newContext();
  const late = await other.newPage();
  await late.goto(shell.url);
  await expect(late.getByRole('alert').first()).toContainText(
    'Open the address Atelier printed when it started',
  );
  expect(late.url()).toBe(`${shell.origin}/`);
  await other.close();
});

test('another server on this computer never receives the credential', async ({
  app,
  shell,
  request,
}) => {
  // A throwaway server on another port of 127.0.0.1: it records what the browser sends it.
  const heard: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    heard.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<!doctype html><title>other</title><img src="/media/x.png"><img src="/thumb/x/256"><script>fetch('/api', { credentials: 'include' })</script>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const other = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  try {
    await expect(app.getByRole('navigation', { name: 'Places' })).toBeVisible();
    const credential = shell.session ?? '';
    expect(credential).not.toBe('');

    // The same tab goes to the other server, as a person following a link would.
    await app.goto(`${other}/`);
    await app.waitForLoadState('networkidle');
    expect(heard.length).toBeGreaterThanOrEqual(3);
    const everything = JSON.stringify(heard);
    expect(everything).not.toContain(credential);
    expect(everything).not.toContain(shell.code);
    expect(heard.every(({ headers }) => headers.cookie === undefined)).toBe(true);
    // The other server's own page cannot read Atelier's credential either (another origin).
    expect(await app.evaluate(READ_SESSION)).toBeNull();
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  // And the credential is useless without the page's Origin (checked on the socket).
  expect((await request.get(`${shell.origin}/api`)).status()).toBe(426);
});

test('a WebSocket without the credential is refused', async ({ app, shell }) => {
  await expect(app.getByRole('navigation', { name: 'Places' })).toBeVisible();
  const credential = shell.session ?? '';
  const wsOrigin = shell.origin.replace('http', 'ws');
  expect(await openSocket(`${wsOrigin}/api`, shell.origin)).toEqual({ opened: false, status: 401 });
  expect(await openSocket(`${wsOrigin}/api?token=${credential}`, shell.origin)).toEqual({
    opened: false,
    status: 401,
  });
  expect(
    await openSocket(`${wsOrigin}/api`, shell.origin, ['atelier', `atelier.token.${credential}`]),
  ).toEqual({ opened: true, status: 101 });
});

test('a foreign Origin gets 403, for the page, the code exchange and the socket', async ({
  request,
  shell,
}) => {
  const response = await request.get(`${shell.origin}/`, {
    headers: { Origin: 'http://evil.example' },
  });
  expect(response.status()).toBe(403);
  const exchange = await request.post(`${shell.origin}/session`, {
    headers: { Origin: 'http://evil.example', 'Content-Type': 'application/json' },
    data: JSON.stringify({ code: shell.code }),
  });
  expect(exchange.status()).toBe(403);
  const wsOrigin = shell.origin.replace('http', 'ws');
  expect(
    await openSocket(`${wsOrigin}/api`, 'http://evil.example', ['atelier', 'atelier.token.x']),
  ).toEqual({ opened: false, status: 403 });
});

test('a page on another origin cannot read Atelier or swap its code', async ({ page, shell }) => {
  // From a page served elsewhere (about:blank has an opaque origin), fetch and the socket fail.
  await page.goto('about:blank');
  const outcome = await page.evaluate(
    async ({ origin, code }) => {
      const exchanged = await fetch(`${origin}/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code }),
      }).then(
        (r) => (r.ok ? 'swapped' : 'refused'),
        () => 'blocked',
      );
      const socket = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`${origin.replace('http', 'ws')}/api`, ['atelier']);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
      return { exchanged, socket };
    },
    { origin: shell.origin, code: shell.code },
  );
  expect(outcome.exchanged).not.toBe('swapped');
  expect(outcome.socket).toBe('refused');
  // The code was not used up by the refused attempt: Atelier's own page still gets in.
  await openApp(page, shell);
  await expect(page.getByRole('navigation', { name: 'Places' })).toBeVisible();
});
