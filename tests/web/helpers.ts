/** Helpers for the browser shell tests: a tiny renderer folder, raw HTTP, WebSocket clients. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../shared/transport';

export const INDEX_HTML =
  '<!doctype html><html><head><title>Atelier test</title><script type="module" src="./assets/app.js"></script><link rel="stylesheet" href="./assets/app.css"></head><body></body></html>';

/** A temporary folder holding renderer/ (index.html, assets/app.js, assets/app.css). */
export async function makeRendererDir(): Promise<{ root: string; rendererDir: string }> {
  const root = await mkdtemp(path.join(tmpdir(), 'atelier-web-'));
  const rendererDir = path.join(root, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), INDEX_HTML);
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'export const ok = true;\n');
  await writeFile(path.join(rendererDir, 'assets', 'app.css'), 'body { margin: 0; }\n');
  await writeFile(path.join(root, 'secret.txt'), 'outside the renderer');
  return { root, rendererDir };
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request to 127.0.0.1:port: the path is sent exactly as given (no normalizing). */
export function get(
  port: number,
  target: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: target, method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** POST /session {code} as Atelier's page does (Origin given unless `headers` overrides it). */
export function exchangeCode(
  port: number,
  code: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return get(
    port,
    '/session',
    { origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json', ...headers },
    'POST',
    JSON.stringify({ code }),
  );
}

/** The one-time code of a launch address (http://127.0.0.1:PORT/#code=CODE). */
export function codeOf(launchUrl: string): string {
  return new URL(launchUrl).hash.replace(/^#code=/, '');
}

export type Connection =
  { kind: 'open'; socket: TestSocket } | { kind: 'refused'; status: number; body: string };

/** Opens a WebSocket; resolves with the open socket, or with the HTTP status it was refused with. */
export function connect(
  url: string,
  options: { origin?: string; headers?: Record<string, string>; protocols?: string[] } = {},
): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? [], {
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
      headers: options.headers ?? {},
    });
    ws.once('open', () => resolve({ kind: 'open', socket: new TestSocket(ws) }));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          kind: 'refused',
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, body: '' }));
    });
    ws.once('error', reject);
  });
}

/** A WebSocket client that queues every server message for the test to take in order. */
export class TestSocket {
  private readonly queue: ServerMessage[] = [];
  private waiting: ((message: ServerMessage) => void) | null = null;
  readonly closed: Promise<{ code: number }>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as ServerMessage;
      if (this.waiting) {
        const take = this.waiting;
        this.waiting = null;
        take(message);
      } else {
        this.queue.push(message);
      }
    });
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve({ code })));
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  next(): Promise<ServerMessage> {
    const first = this.queue.shift();
    if (first !== undefined) return Promise.resolve(first);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message from the server')), 5000);
      this.waiting = (message) => {
        clearTimeout(timer);
        resolve(message);
      };
    });
  }

  /** Sends a call and waits for its result (events that arrive first are kept in the queue). */
  async call(id: number, call: string, request: unknown): Promise<ServerMessage> {
    this.send({ type: 'call', id, call, request });
    const skipped: ServerMessage[] = [];
    for (;;) {
      const message = await this.next();
      if (message.type === 'result' && message.id === id) {
        this.queue.unshift(...skipped);
        return message;
      }
      skipped.push(message);
    }
  }

  close(): void {
    this.ws.close();
  }
}
