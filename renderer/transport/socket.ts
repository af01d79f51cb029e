/**
 * The browser shell's transport: one WebSocket to the core on the page's own origin, proving
 * itself with the session credential (./session.ts) in the subprotocol list, never in the URL. Calls carry ids and wait for their result; the socket reconnects with backoff;
 * calls in flight when it closes fail with a plain sentence (they are never re-sent silently).
 */
import type { CallName, CallRequest, CallResponse } from '../../shared/api';
import {
  MAX_MESSAGE_BYTES,
  ServerMessage,
  WS_PATH,
  WS_PROTOCOL,
  WS_TOKEN_PROTOCOL_PREFIX,
  type ClientMessage,
} from '../../shared/transport';
import { ConnectionWatch } from './connection';
import { decodeResult, EventListeners } from './decode';
import { connectionLost, missingToken } from './errors';
import type { RendererBridge } from './types';
import { uploadFile } from './upload';
import { AtelierError } from '../../shared/api';

/** The WebSocket constructor (the real one, or a fake in tests). */
export type SocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

export interface SocketBridgeOptions {
  /** The ws:// URL of the core (it holds no credential). */
  url: string;
  /**
   * The session credential, or null when the page has none (then it never connects). Calls made
   * while it is still coming wait for it.
   */
  credential: string | null | Promise<string | null>;
  WebSocketImpl?: SocketConstructor;
  /** Milliseconds to wait before reconnect attempt number `attempt` (1, 2, ...). */
  backoff?: (attempt: number) => number;
}

/** 0.5 s, 1 s, 2 s, 4 s, 8 s, then every 10 s. */
export function defaultBackoff(attempt: number): number {
  return Math.min(500 * 2 ** (attempt - 1), 10_000);
}

/** Where the core listens, from the page's own address: same origin, WS_PATH. */
export function socketUrl(location: { origin: string }): string {
  return `${location.origin.replace(/^http/, 'ws')}${WS_PATH}`;
}

/** The subprotocols a socket offers: the protocol, and the credential as a second one. */
export function socketProtocols(credential: string): string[] {
  return [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${credential}`];
}

interface Pending {
  call: CallName;
  resolve: (value: unknown) => void;
  reject: (error: AtelierError) => void;
}

const OPEN = 1;

export function createSocketBridge(options: SocketBridgeOptions): RendererBridge {
  const Impl = options.WebSocketImpl ?? WebSocket;
  const backoff = options.backoff ?? defaultBackoff;
  const listeners = new EventListeners();
  /** undefined while the credential is still coming. */
  let credential: string | null | undefined =
    options.credential instanceof Promise ? undefined : options.credential;
  const watch = new ConnectionWatch(
    credential === null
      ? { status: 'offline', message: missingToken().message }
      : { status: 'connecting', message: null },
  );
  const pending = new Map<number, Pending>();
  /** Messages of calls made while the socket was still opening. */
  let unsent: ClientMessage[] = [];
  let socket: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  function failAll(): void {
    const error = connectionLost();
    const waiting = [...pending.values()];
    pending.clear();
    unsent = [];
    for (const call of waiting) call.reject(error);
  }

  function connect(): void {
    if (stopped || credential == null || socket) return;
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    watch.set({ status: 'connecting', message: null });
    const ws = new Impl(options.url, socketProtocols(credential));
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      attempt = 0;
      watch.set({ status: 'online', message: null });
      const queued = unsent;
      unsent = [];
      for (const message of queued) send(ws, message);
    };
    ws.onmessage = (event: MessageEvent) => {
      if (socket === ws) receive(event.data);
    };
    ws.onerror = () => undefined; // a close event always follows
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      failAll();
      watch.set({ status: 'offline', message: connectionLost().message });
      scheduleReconnect();
    };
  }

  function scheduleReconnect(): void {
    if (stopped || timer) return;
    attempt += 1;
    timer = setTimeout(() => {
      timer = null;
      connect();
    }, backoff(attempt));
  }

  function send(ws: WebSocket, message: ClientMessage): void {
    try {
      ws.send(JSON.stringify(message));
    } catch {
      const call = pending.get(message.id);
      pending.delete(message.id);
      call?.reject(connectionLost());
    }
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'event') {
      listeners.emit(message.event, message.payload);
    } else if (message.type === 'result') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      try {
        call.resolve(decodeResult(call.call, message.result));
      } catch (error) {
        call.reject(error instanceof AtelierError ? error : connectionLost());
      }
    } else {
      console.warn(`Atelier's core could not read a message from this window: ${message.message}`);
    }
  }

  if (options.credential instanceof Promise) {
    options.credential.then(
      (value) => arrived(value),
      () => arrived(null),
    );
  } else {
    connect();
  }

  function arrived(value: string | null): void {
    credential = value;
    if (value !== null) {
      connect();
      return;
    }
    const error = missingToken();
    const waiting = [...pending.values()];
    pending.clear();
    unsent = [];
    for (const call of waiting) call.reject(error);
    watch.set({ status: 'offline', message: error.message });
  }

  function invoke<C extends CallName>(call: C, request: CallRequest<C>): Promise<CallResponse<C>> {
    if (credential === null) return Promise.reject(missingToken());
    // While the credential is coming there is no socket yet: the call waits in `unsent`.
    if (stopped || (!socket && credential !== undefined)) {
      return Promise.reject(connectionLost());
    }
    const message: ClientMessage = { type: 'call', id: nextId++, call, request };
    const text = JSON.stringify(message);
    if (new TextEncoder().encode(text).byteLength > MAX_MESSAGE_BYTES) {
      return Promise.reject(
        new AtelierError({
          code: 'too_large',
          message:
            'This request is too large to send to Atelier\u2019s core. Make it smaller, then try again.',
        }),
      );
    }
    return new Promise<CallResponse<C>>((resolve, reject) => {
      pending.set(message.id, {
        call,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (socket?.readyState === OPEN) send(socket, message);
      else unsent.push(message);
    });
  }

  return {
    invoke,
    // The browser has no paths: every file goes as bytes.
    stageFile: (file) => uploadFile(invoke, file),
    on: (event, listener) => listeners.add(event, listener),
    connection: watch,
    reconnect: () => {
      attempt = 0;
      connect();
    },
    close: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const ws = socket;
      socket = null;
      failAll();
      ws?.close();
      watch.set({ status: 'offline', message: connectionLost().message });
    },
  };
}
