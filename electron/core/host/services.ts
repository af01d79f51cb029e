/**
 * The core's long-lived services, built once per host from the settings: the vault (the API key),
 * the Stability client for the API in force, and the in-process Sandbox.
 *
 * Names other modules import (keep them stable):
 *   createServices(options: ServicesOptions): Promise<Services>
 *   interface Services {
 *     vault: Vault;                         // keys per API address: keychain / STABILITY_API_KEY / session
 *     client(): Promise<ApiClient>;         // { client, sandbox }: the API in force right now
 *     sandbox(): Promise<Sandbox>;          // the in-process Sandbox, started lazily on 127.0.0.1
 *     sandboxMode(): boolean;               // settings.sandboxMode
 *     apiBase(): string;                    // the real API's base URL in force (not the Sandbox)
 *     accountChanged(): void;               // tell the renderer (event account.changed) to refresh
 *     onAccountChanged(listener): () => void;
 *     close(): Promise<void>;
 *   }
 *   NoKeyError: what client() throws when Sandbox mode is off and no key is set (a PlainError,
 *   code 'no_key', with a plain sentence), so callers can pass it straight to the person.
 *
 * The host creates one Services (host.services) and closes it on host.close().
 */
import type { Settings } from '../../../shared/api';
import { PlainError } from '../errors';
import type { SettingsStore } from '../settings';
import { SANDBOX_API_KEY, startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';
import { createStabilityClient, type StabilityClient } from '../stability';
import { createVault, type KeychainStoreOptions, type Vault } from '../vault';
import { DEFAULT_API_BASE, resolveApiBase } from './api-base';

export interface ApiClient {
  client: StabilityClient;
  /** True when the client talks to the in-process Sandbox (no key, no cost, generated patterns). */
  sandbox: boolean;
}

export interface ServicesOptions {
  settings: SettingsStore;
  env?: NodeJS.ProcessEnv;
  /** The data folder (kept for services that store state next to the settings). */
  dataDir?: string;
  /** One line per event, secrets already removed by the caller's logger. */
  log?: (line: string) => void;
  /** The app version (sent as stability-client-version). */
  version?: string;
  /** Another vault (tests pass createMemoryVault()). Default: createVault({ env }). */
  vault?: Vault;
  /** Keychain service/account for the default vault (tests use their own). */
  keychain?: KeychainStoreOptions | false;
  /** Options for the in-process Sandbox (tests). */
  sandboxOptions?: SandboxOptions;
}

export interface Services {
  vault: Vault;
  /** The Stability client for the API in force: the Sandbox when Sandbox mode is on, else the real one. */
  client(): Promise<ApiClient>;
  /** The in-process Sandbox (started on first use, on 127.0.0.1, random port). */
  sandbox(): Promise<Sandbox>;
  /** Whether Sandbox mode is on (settings.sandboxMode). */
  sandboxMode(): boolean;
  /** The real API's base URL in force (setting, else STABILITY_API_BASE, else the default). */
  apiBase(): string;
  /** Tell listeners (the host turns it into the account.changed event) that the account changed. */
  accountChanged(): void;
  onAccountChanged(listener: () => void): () => void;
  /** Stops the Sandbox and closes every client. Idempotent. */
  close(): Promise<void>;
}

export const NO_KEY_MESSAGE =
  'There is no Stability API key yet. Add your key in Settings, or turn on Sandbox mode to try Atelier for free.';

/** The sentence when there is no key for an address other than Stability's own. */
export function noKeyForAddressMessage(address: string): string {
  return `There is no Stability API key for the API address ${address} yet. A key is sent only to the address it was entered for: add the key for this address in Settings, or turn on Sandbox mode to try Atelier for free.`;
}

export class NoKeyError extends PlainError {
  constructor(address: string = DEFAULT_API_BASE) {
    super(
      'no_key',
      address === DEFAULT_API_BASE ? NO_KEY_MESSAGE : noKeyForAddressMessage(address),
    );
    this.name = 'NoKeyError';
  }
}

export function createServices(options: ServicesOptions): Promise<Services> {
  const env = options.env ?? process.env;
  const settings = options.settings;
  const log = options.log ?? (() => undefined);
  const vault =
    options.vault ??
    createVault({ env, ...(options.keychain !== undefined ? { keychain: options.keychain } : {}) });

  let sandboxStarting: Promise<Sandbox> | null = null;
  let sandboxClient: StabilityClient | null = null;
  const realClients = new Map<string, StabilityClient>();
  const listeners = new Set<() => void>();
  let closed = false;

  const clientLog = (line: string) => log(`api: ${line}`);

  function sandbox(): Promise<Sandbox> {
    if (closed) return Promise.reject(new PlainError('not_available', 'Atelier is shutting down.'));
    sandboxStarting ??= startSandbox(options.sandboxOptions ?? {}).catch((error: unknown) => {
      sandboxStarting = null;
      throw error;
    });
    return sandboxStarting;
  }

  function realClient(baseUrl: string): StabilityClient {
    let client = realClients.get(baseUrl);
    if (!client) {
      client = createStabilityClient({
        baseUrl,
        // The key bound to this client's address only: a key never follows a change of address.
        apiKey: async () => {
          const key = await vault.getKey(baseUrl);
          if (key === null) throw new NoKeyError();
          return key;
        },
        ...(options.version !== undefined ? { clientVersion: options.version } : {}),
        log: clientLog,
      });
      realClients.set(baseUrl, client);
    }
    return client;
  }

  const apiBase = () => resolveApiBase(settings.get(), env);

  let previous: Settings = settings.get();
  const stopSettings = settings.subscribe((next) => {
    const changed =
      next.sandboxMode !== previous.sandboxMode || next.apiBaseUrl !== previous.apiBaseUrl;
    previous = next;
    if (changed) notify();
  });

  function notify(): void {
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure must not stop the others.
      }
    }
  }

  return Promise.resolve({
    vault,
    async client() {
      if (closed) throw new PlainError('not_available', 'Atelier is shutting down.');
      if (settings.get().sandboxMode) {
        const box = await sandbox();
        sandboxClient ??= createStabilityClient({
          baseUrl: box.url,
          apiKey: SANDBOX_API_KEY,
          ...(options.version !== undefined ? { clientVersion: options.version } : {}),
          log: (line) => log(`sandbox: ${line}`),
        });
        return { client: sandboxClient, sandbox: true };
      }
      const base = apiBase();
      if (!(await vault.status(base)).hasKey) throw new NoKeyError(base);
      return { client: realClient(base), sandbox: false };
    },
    sandbox,
    sandboxMode: () => settings.get().sandboxMode,
    apiBase,
    accountChanged: notify,
    onAccountChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      stopSettings();
      listeners.clear();
      const clients = [...realClients.values(), ...(sandboxClient ? [sandboxClient] : [])];
      realClients.clear();
      sandboxClient = null;
      await Promise.allSettled(clients.map((client) => client.close()));
      if (sandboxStarting) {
        const box = await sandboxStarting.catch(() => null);
        await box?.close();
      }
    },
  });
}
