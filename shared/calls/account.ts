/**
 * The Stability account: the API key (its status only: the renderer can never read a key), testing
 * a key, Sandbox mode and the credit balance.
 */
import { z } from 'zod';
import { Empty } from './common';

/** Where the key in use comes from: the OS keychain, STABILITY_API_KEY, or this session only. */
export const KeySource = z.enum(['keychain', 'env', 'session']);
export type KeySource = z.infer<typeof KeySource>;

/** What the renderer may know about the key. Never the key itself. */
export const KeyStatus = z.object({
  /**
   * The API address this status is for (the one in force). A key is bound to the address it was
   * entered for: after a change of address, hasKey says whether there is a key for the new one.
   */
  address: z.string().max(2048),
  hasKey: z.boolean(),
  /** The last four characters of the key in use, or null. */
  last4: z.string().max(4).nullable(),
  source: KeySource.nullable(),
  /** Whether the system keychain answered. */
  keychain: z.enum(['available', 'unavailable']),
  /** A plain sentence saying why the keychain cannot be used (only when it cannot). */
  keychainProblem: z.string().optional(),
});
export type KeyStatus = z.infer<typeof KeyStatus>;

/** The account as the title bar and Settings show it. */
export const AccountState = z.object({
  key: KeyStatus,
  /** Sandbox mode is on: requests go to the local Sandbox (no key, no cost, generated patterns). */
  sandbox: z.boolean(),
  /** The last balance fetched for the API in force, or null when not known yet. */
  credits: z.number().nullable(),
});
export type AccountState = z.infer<typeof AccountState>;

export const KeySetRequest = z
  .object({
    /** The pasted key; trimmed and format-checked in the core. */
    key: z.string().max(4096),
    /** Keep it in memory for this run only (when the keychain cannot be used). */
    sessionOnly: z.boolean().optional(),
  })
  .strict();

export const KeyTestResult = z.object({
  /** The key works. */
  ok: z.boolean(),
  /** The balance, when the key works. */
  credits: z.number().optional(),
  /** Why not: 'format' (not shaped like a key), 'invalid' (refused), 'network', 'other'. */
  problem: z.enum(['format', 'invalid', 'network', 'no_key', 'other']).optional(),
  /** A plain sentence for the person. */
  message: z.string(),
});
export type KeyTestResult = z.infer<typeof KeyTestResult>;

export const Balance = z.object({
  credits: z.number(),
  /** True when the balance is the Sandbox's (pretend credits). */
  sandbox: z.boolean(),
});
export type Balance = z.infer<typeof Balance>;

export const accountCalls = {
  /** Is a key set, its last four characters, where it comes from, can the keychain be used. */
  'key.status': { request: Empty, response: KeyStatus },
  /**
   * Store a key for the API address in force (keychain, or this session only). Answers the new
   * status, never the key.
   */
  'key.set': { request: KeySetRequest, response: KeyStatus },
  /**
   * Ask Stability (the API address in force, not the Sandbox) for the balance with this key, or with
   * the key stored for that address when none is given (a key stored for another address is never
   * sent). Always answers: the outcome is in `ok` and `message`.
   */
  'key.test': {
    request: z.object({ key: z.string().max(4096).optional() }).strict(),
    response: KeyTestResult,
  },
  /** Remove the key stored for the API address in force (keychain and session). */
  'key.forget': { request: Empty, response: KeyStatus },
  /** Everything the title bar shows: key status, Sandbox mode, last known credits. */
  'account.get': { request: Empty, response: AccountState },
  /** The balance fetched now (in Sandbox mode, the Sandbox's). */
  'account.balance': { request: Empty, response: Balance },
} as const;

export const accountEvents = {
  /** The key, Sandbox mode, the API address or the balance changed. */
  'account.changed': AccountState,
} as const;
