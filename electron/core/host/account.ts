/**
 * The account calls (shared/calls/account.ts): the key's status, set, test and forget; the balance;
 * and the account.changed event. The key goes into the vault and to Stability, and nowhere else:
 * no answer, event, log line or error here ever holds it.
 *
 * Every call works on the key of the API address in force: a key stored for one address is never
 * tested against, or sent to, another (changing the address means entering a key for it).
 */
import type {
  AccountState,
  EventName,
  EventPayload,
  KeyStatus,
  KeyTestResult,
} from '../../../shared/api';
import { PlainError } from '../errors';
import type { Handlers } from '../rpc/dispatch';
import { createStabilityClient, StabilityError } from '../stability';
import { validateKeyFormat, VaultError, type VaultStatus } from '../vault';
import { DEFAULT_API_BASE } from './api-base';
import type { Services } from './services';

export type AccountCallName =
  'key.status' | 'key.set' | 'key.test' | 'key.forget' | 'account.get' | 'account.balance';

export interface AccountOptions {
  services: Services;
  emit: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
  log: (line: string) => void;
  version?: string;
  /** How long a key test may take before it counts as "can't reach Stability" (default 20 s). */
  testTimeoutMs?: number;
}

export interface Account {
  handlers: Pick<Handlers, AccountCallName>;
  state(): Promise<AccountState>;
  close(): void;
}

export const MESSAGES = {
  works: (credits: number) =>
    `The key works. Your Stability account has ${formatCredits(credits)} credits.`,
  invalid:
    'Stability did not accept this key. Copy it again from the API keys page of your Stability account, or make a new one there.',
  network:
    "Atelier can't reach Stability. Check your internet connection (and the API address in Settings), then try again.",
  noKey: 'There is no key to test yet. Paste your Stability API key first.',
  noKeyFor: (address: string) =>
    `There is no key for the API address ${address} yet. A key is sent only to the address it was entered for: paste the key for this address first.`,
  saved: 'Key saved.',
} as const;

function formatCredits(credits: number): string {
  return Number.isInteger(credits) ? String(credits) : credits.toFixed(2);
}

function statusOf(status: VaultStatus): KeyStatus {
  const out: KeyStatus = {
    address: status.address,
    hasKey: status.hasKey,
    last4: status.last4,
    source: status.source,
    keychain: status.keychain,
  };
  if (status.keychainProblem !== undefined) out.keychainProblem = status.keychainProblem;
  return out;
}

function plain(error: unknown): never {
  if (error instanceof VaultError) throw new PlainError(error.code, error.message);
  if (error instanceof StabilityError) throw new PlainError(error.kind, error.message);
  throw error;
}

function testFailure(error: unknown): KeyTestResult {
  if (error instanceof StabilityError) {
    if (error.kind === 'unauthorized') {
      return { ok: false, problem: 'invalid', message: MESSAGES.invalid };
    }
    if (error.kind === 'network' || error.kind === 'timeout') {
      return { ok: false, problem: 'network', message: MESSAGES.network };
    }
    return { ok: false, problem: 'other', message: error.message };
  }
  if (error instanceof PlainError) return { ok: false, problem: 'other', message: error.message };
  throw error;
}

export function createAccount(options: AccountOptions): Account {
  const { services } = options;
  const vault = services.vault;
  /** The last balance, and where it came from ('sandbox' or the API base URL). */
  let known: { where: string; credits: number } | null = null;

  const where = () => (services.sandboxMode() ? 'sandbox' : services.apiBase());

  async function state(): Promise<AccountState> {
    const key = statusOf(await vault.status(services.apiBase()));
    const here = where();
    return {
      key,
      sandbox: services.sandboxMode(),
      credits: known !== null && known.where === here ? known.credits : null,
    };
  }

  function remember(place: string, credits: number): void {
    const changed = known?.where !== place || known.credits !== credits;
    known = { where: place, credits };
    if (changed) services.accountChanged();
  }

  const stop = services.onAccountChanged(() => {
    state().then(
      (next) => options.emit('account.changed', next),
      (error: unknown) =>
        options.log(
          `could not read the account state: ${error instanceof Error ? error.name : 'error'}`,
        ),
    );
  });

  /** Asks `base` (the address the key was read or entered for) for the balance with `key`. */
  async function testKey(key: string, base: string): Promise<KeyTestResult> {
    const client = createStabilityClient({
      baseUrl: base,
      apiKey: key,
      connectTimeoutMs: 10_000,
      requestTimeoutMs: options.testTimeoutMs ?? 20_000,
      ...(options.version !== undefined ? { clientVersion: options.version } : {}),
    });
    try {
      const { credits } = await client.balance();
      return { ok: true, credits, message: MESSAGES.works(credits) };
    } catch (error) {
      return testFailure(error);
    } finally {
      await client.close();
    }
  }

  const handlers: Account['handlers'] = {
    'key.status': async () => statusOf(await vault.status(services.apiBase())),

    'key.set': async ({ key, sessionOnly }) => {
      const base = services.apiBase();
      try {
        await vault.setKey(base, key, sessionOnly ? { sessionOnly: true } : {});
      } catch (error) {
        plain(error);
      }
      known = null;
      services.accountChanged();
      return statusOf(await vault.status(base));
    },

    'key.test': async ({ key }) => {
      if (key !== undefined) {
        const checked = validateKeyFormat(key);
        if (!checked.ok) return { ok: false, problem: 'format', message: checked.message };
        return testKey(checked.key, services.apiBase());
      }
      // One address for both the read and the request: the key read is the one bound to it.
      const base = services.apiBase();
      let stored: string | null;
      try {
        stored = await vault.getKey(base);
      } catch (error) {
        if (error instanceof VaultError)
          return { ok: false, problem: 'other', message: error.message };
        throw error;
      }
      if (stored === null) {
        const message = base === DEFAULT_API_BASE ? MESSAGES.noKey : MESSAGES.noKeyFor(base);
        return { ok: false, problem: 'no_key', message };
      }
      const result = await testKey(stored, base);
      if (result.ok && result.credits !== undefined && !services.sandboxMode()) {
        remember(base, result.credits);
      }
      return result;
    },

    'key.forget': async () => {
      const base = services.apiBase();
      try {
        await vault.forgetKey(base);
      } catch (error) {
        plain(error);
      }
      known = null;
      services.accountChanged();
      return statusOf(await vault.status(base));
    },

    'account.get': () => state(),

    'account.balance': async () => {
      const place = where();
      try {
        const { client, sandbox } = await services.client();
        const { credits } = await client.balance();
        remember(place, credits);
        return { credits, sandbox };
      } catch (error) {
        return plain(error);
      }
    },
  };

  return { handlers, state, close: stop };
}
