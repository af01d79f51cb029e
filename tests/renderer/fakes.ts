/**
 * Test doubles for the renderer: a fake WebSocket the tests drive by hand, and an in-memory core
 * behind a RendererBridge.
 */
import {
  AtelierError,
  DEFAULT_SETTINGS,
  SettingsPatch,
  type AppInfo,
  type CallName,
  type CallRequest,
  type CallResponse,
  type EventName,
  type EventPayload,
  type JobView,
  type Settings,
} from '../../shared/api';
import type { SocketConstructor } from '../../renderer/transport/socket';
import type { ConnectionListener, ConnectionState } from '../../renderer/transport/connection';
import type { RendererBridge } from '../../renderer/transport';
import { uploadFile } from '../../renderer/transport/upload';

export class FakeSocket {
  static instances: FakeSocket[] = [];
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  readonly url: string;
  /** The subprotocols offered (the credential rides in one of them). */
  readonly protocols: string[];
  readyState = 0;
  readonly sent: unknown[] = [];
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;

  constructor(url: string, protocols: string | string[] = []) {
    this.url = url;
    this.protocols = typeof protocols === 'string' ? [protocols] : protocols;
    FakeSocket.instances.push(this);
  }

  static reset(): void {
    FakeSocket.instances = [];
  }

  static get latest(): FakeSocket {
    const socket = FakeSocket.instances.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }

  /** What the client sent, parsed. */
  get messages(): { type: string; id: number; call: string; request: unknown }[] {
    return this.sent.map((text) => JSON.parse(String(text)) as never);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }

  close(): void {
    this.serverClose();
  }

  // --- driven by the test ---

  serverOpen(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  serverSend(message: unknown): void {
    const data = typeof message === 'string' ? message : JSON.stringify(message);
    this.onmessage?.(new MessageEvent('message', { data }));
  }

  serverClose(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onerror?.(new Event('error'));
    this.onclose?.(new CloseEvent('close'));
  }
}

export const FakeSocketConstructor = FakeSocket as unknown as SocketConstructor;

export const TEST_INFO: AppInfo = {
  name: 'Atelier',
  version: '9.8.7',
  shell: 'browser',
  platform: 'linux',
  dataDir: '/tmp/atelier-test-data',
};

/** A job just added to the queue (what jobs.add answers). */
export const WAITING_JOB: JobView = {
  id: 'j1',
  kind: 'text-to-image',
  endpoint: 'generate.core',
  params: {},
  createdAt: 1,
  updatedAt: 1,
  state: 'waiting',
  attempts: 0,
  mayHaveBeenCharged: false,
};

/** A RendererBridge over an in-memory core that behaves like the real one for the frame's calls. */
export class FakeCore implements RendererBridge {
  settings: Settings = { ...DEFAULT_SETTINGS };
  readonly calls: { call: CallName; request: unknown }[] = [];
  reconnects = 0;
  /** When set, the next calls fail with this error. */
  failWith: AtelierError | null = null;
  readonly connection = new FakeConnection();
  private readonly eventListeners = new Set<(event: string, payload: unknown) => void>();

  private readonly handlers = new Map<CallName, (request: never) => unknown>();

  /** Answers `call` with `handler` (a value, a promise, or a throw) instead of the built-in answer. */
  handle<C extends CallName>(
    call: C,
    handler: (request: CallRequest<C>) => CallResponse<C> | Promise<CallResponse<C>>,
  ): this {
    this.handlers.set(call, handler);
    return this;
  }

  invoke<C extends CallName>(call: C, request: CallRequest<C>): Promise<CallResponse<C>> {
    this.calls.push({ call, request });
    if (this.failWith) return Promise.reject(this.failWith);
    const handler = this.handlers.get(call) as
      ((request: CallRequest<C>) => CallResponse<C> | Promise<CallResponse<C>>) | undefined;
    try {
      return Promise.resolve(
        handler ? handler(request) : (this.answer(call, request) as CallResponse<C>),
      );
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** As the browser shell: the bytes, through inputs.begin / chunk / finish (tests answer them). */
  stageFile(file: File) {
    return uploadFile((call, request) => this.invoke(call, request), file);
  }

  private answer(call: CallName, request: unknown): unknown {
    switch (call) {
      case 'app.info':
        return TEST_INFO;
      case 'app.ping':
        return { message: (request as { message: string }).message, receivedAt: 1 };
      case 'settings.get':
        return this.settings;
      // An empty library, so the Library place shows its empty state.
      case 'library.folder':
        return { dir: '/pictures/Atelier', isDefault: true, mediaBase: '', canReveal: false };
      case 'library.refresh':
        return { added: 0, updated: 0, removed: 0 };
      case 'library.query':
        return {
          total: 0,
          all: 0,
          offset: 0,
          entries: [],
          facets: { models: [], operations: [] },
        };
      case 'settings.set': {
        const parsed = SettingsPatch.safeParse(request);
        if (!parsed.success) {
          const fields: Record<string, string> = {};
          for (const issue of parsed.error.issues) fields[issue.path.join('.')] = issue.message;
          throw new AtelierError({
            code: 'invalid_request',
            message: `Atelier could not do "settings.set": ${Object.entries(fields)
              .map(([k, v]) => `${k}: ${v}`)
              .join('; ')}.`,
            fields,
          });
        }
        this.settings = { ...this.settings, ...parsed.data };
        this.emit('settings.changed', this.settings);
        return this.settings;
      }
      default:
        throw new AtelierError({ code: 'unknown_call', message: `No call ${call}.` });
    }
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const wrapped = (name: string, payload: unknown) => {
      if (name === event) listener(payload as EventPayload<E>);
    };
    this.eventListeners.add(wrapped);
    return () => {
      this.eventListeners.delete(wrapped);
    };
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of [...this.eventListeners]) listener(event, payload);
  }

  setConnection(state: ConnectionState): void {
    this.connection.set(state);
  }

  reconnect(): void {
    this.reconnects += 1;
  }

  close(): void {
    this.setConnection({ status: 'offline', message: 'closed' });
  }
}

class FakeConnection {
  state: ConnectionState = { status: 'online', message: null };
  private readonly listeners = new Set<ConnectionListener>();

  subscribe(listener: ConnectionListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  set(state: ConnectionState): void {
    this.state = state;
    for (const listener of [...this.listeners]) listener(state);
  }
}
