/**
 * The Stability account as the renderer knows it: whether a key is set (its last four characters,
 * never the key), Sandbox mode, and the credit balance. The key the person pastes goes straight to
 * the core (key.set / key.test); nothing here keeps it.
 *
 * For other features:
 *   useAccount.getState().refreshCredits()  after each job (the balance is fetched fresh)
 *   confirmRun(cost)                        before a run: true when it may go ahead (asks first
 *                                           when the cost is more than the known balance)
 */
import { create } from 'zustand';
import type { AccountState, KeyStatus, KeyTestResult } from '../../shared/api';
import { getBridge } from './bridge';
import { messageOf } from './connection';
import { useSettings } from './settings';

interface AccountStore {
  /** What the core said last; null until loaded. */
  account: AccountState | null;
  /** Why the account could not be loaded (plain sentence), or null. */
  loadError: string | null;
  /** The balance shown in the title bar (fresh from account.balance or the core's event). */
  credits: number | null;
  /** Why the balance could not be fetched (plain sentence), or null. */
  creditsError: string | null;
  refreshing: boolean;

  load: () => Promise<void>;
  /** Fetch the balance now (Sandbox mode: the Sandbox's). Call it after each job. */
  refreshCredits: () => Promise<void>;
  /** The core says the account changed. */
  received: (account: AccountState) => void;
  /** Store a key; throws an AtelierError with a plain sentence when refused. */
  saveKey: (key: string, sessionOnly?: boolean) => Promise<KeyStatus>;
  /** Test a pasted key, or the stored one when none is given. Never throws for a bad key. */
  testKey: (key?: string) => Promise<KeyTestResult>;
  forgetKey: () => Promise<KeyStatus>;
  /** Turn Sandbox mode on or off (a setting); resolves true when the core took it. */
  setSandbox: (on: boolean) => Promise<boolean>;
}

function usable(account: AccountState | null): boolean {
  return account !== null && (account.sandbox || account.key.hasKey);
}

let refreshing: Promise<void> | null = null;

export const useAccount = create<AccountStore>()((set, get) => ({
  account: null,
  loadError: null,
  credits: null,
  creditsError: null,
  refreshing: false,

  load: async () => {
    try {
      const account = await getBridge().invoke('account.get', {});
      get().received(account);
      set({ loadError: null });
    } catch (error) {
      set({ loadError: messageOf(error) });
    }
  },

  refreshCredits: () => {
    if (!usable(get().account)) {
      set({ credits: null, creditsError: null });
      return Promise.resolve();
    }
    refreshing ??= (async () => {
      set({ refreshing: true });
      try {
        const { credits } = await getBridge().invoke('account.balance', {});
        set({ credits, creditsError: null });
      } catch (error) {
        set({ creditsError: messageOf(error) });
      } finally {
        set({ refreshing: false });
        refreshing = null;
      }
    })();
    return refreshing;
  },

  received: (account) => {
    const before = get().account;
    const switched =
      before === null ||
      before.sandbox !== account.sandbox ||
      before.key.hasKey !== account.key.hasKey ||
      before.key.last4 !== account.key.last4;
    set({
      account,
      ...(account.credits !== null ? { credits: account.credits, creditsError: null } : {}),
      ...(switched && account.credits === null ? { credits: null, creditsError: null } : {}),
    });
    if (account.credits === null && usable(account) && (switched || get().credits === null)) {
      void get().refreshCredits();
    }
  },

  saveKey: async (key, sessionOnly = false) => {
    const status = await getBridge().invoke(
      'key.set',
      sessionOnly ? { key, sessionOnly: true } : { key },
    );
    const account = get().account;
    get().received({ sandbox: account?.sandbox ?? false, key: status, credits: null });
    return status;
  },

  testKey: (key) => getBridge().invoke('key.test', key === undefined ? {} : { key }),

  forgetKey: async () => {
    const status = await getBridge().invoke('key.forget', {});
    const account = get().account;
    get().received({ sandbox: account?.sandbox ?? false, key: status, credits: null });
    return status;
  },

  setSandbox: (on) => useSettings.getState().update({ sandboxMode: on }),
}));

/** Whether the welcome screen should show: the account is known, no key, Sandbox mode off. */
export function needsOnboarding(account: AccountState | null): boolean {
  return account !== null && !account.key.hasKey && !account.sandbox;
}

export function formatCredits(credits: number): string {
  const rounded = Math.round(credits * 100) / 100;
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/**
 * The question to ask before a run that costs more than the balance, or null when it may go ahead
 * (the balance is not known, or it covers the cost).
 */
export function overBalanceQuestion(
  cost: number,
  credits: number | null = useAccount.getState().credits,
  sandbox: boolean = useAccount.getState().account?.sandbox ?? false,
): string | null {
  if (credits === null || cost <= credits) return null;
  const where = sandbox ? 'Sandbox balance' : 'balance';
  return `This run costs ${formatCredits(cost)} credits and your ${where} is ${formatCredits(credits)} credits, so Stability will likely refuse part of it. Run it anyway?`;
}

/**
 * Call before starting a run of `cost` credits (from the endpoint table). Resolves true when the run
 * may go ahead: the balance covers it, or the person said yes when asked.
 */
export function confirmRun(
  cost: number,
  ask: (question: string) => boolean | Promise<boolean> = (question) => window.confirm(question),
): Promise<boolean> {
  const question = overBalanceQuestion(cost);
  if (question === null) return Promise.resolve(true);
  return Promise.resolve(ask(question));
}
