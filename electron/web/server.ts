/**
 * The browser shell's server: the built renderer over HTTP and the Api over one WebSocket, on
 * 127.0.0.1 only, behind the Host, Origin, one-time code and credential checks of ./security. The
 * page's own files are public (the same for everyone); the Api needs the credential, the library's
 * images the per-run media base.
 *
 * Wire protocol (shared/transport.ts): the page sends ClientMessage {type:'call', id, call,
 * request}; the server answers {type:'result', id, result} with the host's CallResult, forwards
 * the host's events to every open socket as {type:'event', event, payload}, and answers a message
 * it cannot read with {type:'error', message}, keeping the socket open.
 */
import { createReadStream } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import {
  ClientMessage,
  MAX_MESSAGE_BYTES,
  SESSION_PATH,
  SessionRequest,
  WS_PATH,
  WS_PROTOCOL,
  type ServerMessage,
} from '../../shared/transport';
import { pictureContentType } from '../core/fs/content-types';
import type { Host } from '../core/host';
import { lookupMedia, type MediaSource } from '../core/library/media';
import { lookupFile } from './static-files';
import { createGate, createToken, OPEN_AGAIN, securityHeaders, type Gate } from './security';

export const LISTEN_ADDRESS = '127.0.0.1';

export interface WebShellOptions {
  /** The core: its dispatch and its events. */
  host: Pick<Host, 'dispatch' | 'subscribe'>;
  /** The built renderer (dist/renderer); only files inside it are served. */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The session credential; a new random one by default (tests may pass one). */
  token?: string;
  /** Where unexpected errors go, one line each (default: stderr). */
  log?: (line: string) => void;
  /**
   * The library's images and thumbnails, served at <mediaBase>/media/<path> and
   * <mediaBase>/thumb/<id>/<size> (files of the library only). Without both, those addresses are 404.
   */
  media?: MediaSource;
  /** The secret path prefix of the images (createMediaBase()); the host hands the same to the page. */
  mediaBase?: string;
}

/** The largest code exchange accepted (a JSON object with one short string). */
const MAX_SESSION_BODY = 1024;

export interface WebShell {
  /** The first launch address: http://127.0.0.1:PORT/#code=CODE (the code works once). */
  url: string;
  /** Another launch address with a new one-time code. */
  launchUrl(): string;
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  token: string;
  /** Closes every socket and the server. Idempotent. */
  close(): Promise<void>;
}

/** Starts the server; rejects (e.g. EADDRINUSE) when it cannot listen. */
export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const root = await realpath(options.rendererDir);
  const token = options.token ?? createToken();
  const log = options.log ?? ((line: string) => process.stderr.write(`Atelier: ${line}\n`));
  const { host } = options;

  // The gate needs the port, which is known only once listening; nothing is answered before.
  let gate: Gate | null = null;
  let headers: Record<string, string> = {};

  const server = createServer((req, res) => {
    if (gate === null) {
      res.destroy();
      return;
    }
    handleHttp(req, res, gate).catch((error: unknown) => {
      log(`could not answer a request: ${errorText(error)}`);
      if (!res.headersSent) sendText(res, 500, 'Atelier could not answer. Reload the page.');
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    if (gate === null) {
      socket.destroy();
      return;
    }
    if (pathOf(req) !== WS_PATH) {
      refuseUpgrade(socket, 404, 'Atelier has no socket at this address.');
      return;
    }
    const refusal = gate.checkPlace(req, { requireOrigin: true }) ?? gate.checkCredential(req);
    if (refusal !== null) {
      refuseUpgrade(socket, refusal.status, refusal.message);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      wss.emit('connection', ws, req);
    });
  });

  wss.on('connection', (ws: WebSocket) => {
    ws.on('error', (error) => log(`a socket failed: ${errorText(error)}`));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void onMessage(ws, data, isBinary);
    });
  });

  const onMessage = async (ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> => {
    if (isBinary) {
      send(ws, { type: 'error', message: 'Atelier expects text messages holding JSON.' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(rawText(data));
    } catch {
      send(ws, { type: 'error', message: 'Atelier could not read a message: it is not JSON.' });
      return;
    }
    const parsed = ClientMessage.safeParse(json);
    if (!parsed.success) {
      send(ws, {
        type: 'error',
        message:
          'Atelier could not read a message: it is not a call of the form {type: "call", id, call, request}.',
      });
      return;
    }
    const { id, call, request } = parsed.data;
    const result = await host.dispatch(call, request);
    send(ws, { type: 'result', id, result });
  };

  const unsubscribe = host.subscribe((event, payload) => {
    const text = JSON.stringify({ type: 'event', event, payload } satisfies ServerMessage);
    for (const client of wss.clients) {
      if (client.readyState === WebSocket.OPEN) client.send(text);
    }
  });

  const handleHttp = async (req: IncomingMessage, res: ServerResponse, g: Gate): Promise<void> => {
    const refusal = g.checkPlace(req, { requireOrigin: false });
    if (refusal !== null) {
      sendText(res, refusal.status, refusal.message);
      return;
    }
    if (req.method === 'POST' && pathOf(req) === SESSION_PATH) {
      await exchangeCode(req, res, g);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendText(res, 405, 'Atelier’s page only reads files here.');
      return;
    }
    const rawPath = pathOf(req);
    if (rawPath === null) {
      sendText(res, 400, 'Atelier could not read this address.');
      return;
    }
    if (rawPath === WS_PATH) {
      sendText(res, 426, 'This address is Atelier’s WebSocket; open the page instead.');
      return;
    }
    const { mediaBase } = options;
    if (mediaBase !== undefined && rawPath.startsWith(`${mediaBase}/`)) {
      await serveMedia(req, res, rawPath.slice(mediaBase.length));
      return;
    }
    if (rawPath.startsWith('/media/') || rawPath.startsWith('/thumb/')) {
      sendText(res, 404, 'That image is not in the library (any more).');
      return;
    }
    const found = await lookupFile(root, rawPath);
    if (found.kind === 'refused') {
      sendText(res, 403, 'Atelier does not serve this address.');
      return;
    }
    if (found.kind === 'missing') {
      sendText(res, 404, 'Atelier has no file at this address.');
      return;
    }
    const isPage = found.file.endsWith('.html');
    res.writeHead(200, {
      ...headers,
      'Content-Type': found.contentType,
      'Content-Length': String(found.size),
      'Cache-Control': isPage ? 'no-store' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(found.file);
      stream.on('error', reject);
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  };

  /**
   * POST /session {code}: a one-time code for the credential. Only Atelier's own page may ask
   * (Origin), and each code works once; the answer is never cached.
   */
  const exchangeCode = async (
    req: IncomingMessage,
    res: ServerResponse,
    g: Gate,
  ): Promise<void> => {
    const place = g.checkPlace(req, { requireOrigin: true });
    if (place !== null) {
      sendText(res, place.status, place.message);
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    const body = type === 'application/json' ? await readBody(req, MAX_SESSION_BODY) : null;
    const code = body === null ? null : codeIn(body);
    if (code === null || !g.redeem(code)) {
      sendText(res, 401, `This address has already been used, or is not Atelier’s. ${OPEN_AGAIN}`);
      return;
    }
    const answer = JSON.stringify({ token: g.token });
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(answer)),
      'Cache-Control': 'no-store',
    });
    res.end(answer);
  };

  /** /media/<library path> and /thumb/<id>/<size>: through the library's resolver only. */
  const serveMedia = async (
    req: IncomingMessage,
    res: ServerResponse,
    rawPath: string,
  ): Promise<void> => {
    const found = options.media
      ? await lookupMedia(options.media, rawPath)
      : ({ ok: false, reason: 'not-found' } as const);
    if (!found.ok) {
      if (found.reason === 'refused') {
        sendText(res, 403, 'Atelier serves only the images of its library here.');
      } else {
        sendText(res, 404, 'That image is not in the library (any more).');
      }
      return;
    }
    const file = found.path;
    const handle = await open(file, 'r').catch(() => null);
    if (!handle) {
      sendText(res, 404, 'That image is not in the library (any more).');
      return;
    }
    try {
      const { size } = await handle.stat();
      res.writeHead(200, {
        ...headers,
        'Content-Type': pictureContentType(file),
        'Content-Length': String(size),
        'Cache-Control': 'private, no-cache',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const stream = handle.createReadStream({ autoClose: false });
        stream.on('error', reject);
        res.on('close', () => {
          stream.destroy();
          resolve();
        });
        stream.pipe(res);
      });
    } finally {
      await handle.close().catch(() => undefined);
    }
  };

  const sendText = (res: ServerResponse, status: number, message: string): void => {
    const body = `${message}\n`;
    res.writeHead(status, {
      ...headers,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      'Cache-Control': 'no-store',
    });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port ?? 0, host: LISTEN_ADDRESS, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`the server failed: ${errorText(error)}`));
  const port = (server.address() as AddressInfo).port;
  gate = createGate(token, port);
  headers = securityHeaders(port);
  const origin = `http://${LISTEN_ADDRESS}:${port}`;

  const activeGate = gate;
  const launchUrl = () => `${origin}/#code=${activeGate.newCode()}`;

  let closing: Promise<void> | null = null;
  return {
    url: launchUrl(),
    launchUrl,
    origin,
    port,
    token,
    close() {
      closing ??= (async () => {
        unsubscribe();
        for (const client of wss.clients) client.close(1001, 'Atelier is shutting down.');
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Give sockets a moment for the closing handshake, then cut what is left.
        await Promise.race([allClosed(wss), delay(500)]);
        for (const client of wss.clients) client.terminate();
        server.closeAllConnections();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await serverClosed;
      })();
      return closing;
    },
  };
}

/** The path of the request target (before '?'), or null when it is not an origin-form path. */
function pathOf(req: IncomingMessage): string | null {
  const raw = req.url ?? '';
  if (!raw.startsWith('/')) return null;
  const at = raw.indexOf('?');
  return at < 0 ? raw : raw.slice(0, at);
}

/** The code of a `{ code }` JSON body, or null when the body is anything else. */
function codeIn(body: string): string | null {
  try {
    const parsed = SessionRequest.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.code : null;
  } catch {
    return null;
  }
}

/** The request body as text, or null when it is larger than `limit` bytes. */
async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}

function allClosed(wss: WebSocketServer): Promise<void> {
  const open = [...wss.clients];
  return Promise.all(
    open.map(
      (client) =>
        new Promise<void>((resolve) => {
          if (client.readyState === WebSocket.CLOSED) resolve();
          else client.once('close', () => resolve());
        }),
    ),
  ).then(() => undefined);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}
