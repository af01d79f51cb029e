/**
 * The account calls through the host's dispatch, with a memory vault and a Sandbox standing in for
 * Stability (STABILITY_API_BASE points at it): key status/set/test/forget, the balance (real API and
 * Sandbox mode), the account.changed event, and no answer or event ever holding the key.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallResult } from '../../../shared/api';
import { createHost, type Host } from '../../../electron/core/host';
import { failure, value } from './results';
import {
  SANDBOX_API_KEY,
  SANDBOX_BAD_KEY,
  startSandbox,
  type Sandbox,
} from '../../../electron/core/sandbox';
import { createMemoryVault, KEY_MIN_LENGTH, type Vault } from '../../../electron/core/vault';

let root: string;
let api: Sandbox;
const hosts: Host[] = [];
/** Everything the renderer received: answers and events. */
let seen: string[];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'atelier-account-'));
  api = await startSandbox({ startingCredits: 250 });
  seen = [];
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
  await api.close();
  await rm(root, { recursive: true, force: true });
});

async function makeHost(vault: Vault = createMemoryVault(), env: NodeJS.ProcessEnv = {}) {
  const host = await createHost({
    shell: 'browser',
    version: '1.0.0',
    platform: 'linux',
    env: { ATELIER_DATA_DIR: path.join(root, 'data'), STABILITY_API_BASE: api.url, ...env },
    log: (line) => seen.push(`log ${line}`),
    vault,
    sandboxOptions: { startingCredits: 40 },
  });
  host.subscribe((event, payload) => seen.push(`event ${event} ${JSON.stringify(payload)}`));
  hosts.push(host);
  return host;
}

async function call(host: Host, name: string, request: unknown = {}): Promise<CallResult> {
  const result = await host.dispatch(name, request);
  seen.push(`answer ${name} ${JSON.stringify(result)}`);
  return result;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('account calls', () => {
  it('the Sandbox test key passes the vault format check (length and prefix)', () => {
    expect(SANDBOX_API_KEY.length).toBeGreaterThanOrEqual(KEY_MIN_LENGTH);
    expect(SANDBOX_BAD_KEY.length).toBeGreaterThanOrEqual(KEY_MIN_LENGTH);
  });

  it('first run: no key; set, status with last four, test, balance, forget', async () => {
    const host = await makeHost();
    expect(value(await call(host, 'key.status'))).toMatchObject({ hasKey: false, last4: null });
    expect(value(await call(host, 'account.get'))).toMatchObject({ sandbox: false, credits: null });
    expect(failure(await call(host, 'account.balance'))).toMatchObject({ code: 'no_key' });

    const status = value(await call(host, 'key.set', { key: `  ${SANDBOX_API_KEY}\n` }));
    expect(status).toMatchObject({
      hasKey: true,
      last4: SANDBOX_API_KEY.slice(-4),
      source: 'keychain',
    });

    const tested = value(await call(host, 'key.test', {}));
    expect(tested).toEqual({
      ok: true,
      credits: 250,
      message: 'The key works. Your Stability account has 250 credits.',
    });

    expect(value(await call(host, 'account.balance'))).toEqual({ credits: 250, sandbox: false });
    expect(value(await call(host, 'account.get'))).toMatchObject({ credits: 250 });

    expect(value(await call(host, 'key.forget'))).toMatchObject({ hasKey: false, last4: null });
    expect(value(await call(host, 'account.get'))).toMatchObject({ credits: null });
    await settle();
    expect(seen.join('\n')).not.toContain(SANDBOX_API_KEY);
    expect(seen.join('\n')).not.toContain(SANDBOX_API_KEY.slice(3, -4));
  });

  it('key.test answers in plain words: format, not valid, cannot reach', async () => {
    const host = await makeHost();
    expect(value(await call(host, 'key.test', { key: 'hello' }))).toMatchObject({
      ok: false,
      problem: 'format',
      message: expect.stringContaining('starts with "sk-"') as string,
    });
    expect(value(await call(host, 'key.test', { key: 'sk-short' }))).toMatchObject({
      ok: false,
      problem: 'format',
      message: expect.stringContaining('too short') as string,
    });
    expect(value(await call(host, 'key.test', { key: SANDBOX_BAD_KEY }))).toMatchObject({
      ok: false,
      problem: 'invalid',
      message: expect.stringContaining('Stability did not accept this key') as string,
    });
    expect(value(await call(host, 'key.test', {}))).toMatchObject({ ok: false, problem: 'no_key' });
    // A bad key tested is not stored.
    expect(value(await call(host, 'key.status'))).toMatchObject({ hasKey: false });

    await api.close();
    expect(value(await call(host, 'key.test', { key: SANDBOX_API_KEY }))).toMatchObject({
      ok: false,
      problem: 'network',
      message: expect.stringContaining("can't reach Stability") as string,
    });
    api = await startSandbox();
    const text = seen.join('\n');
    expect(text).not.toContain(SANDBOX_BAD_KEY);
    expect(text).not.toContain(SANDBOX_API_KEY);
  });

  it('key.set refuses a malformed key with a sentence and stores nothing', async () => {
    const host = await makeHost();
    const error = failure(
      await call(host, 'key.set', { key: 'pk-0123456789012345678901234567890123' }),
    );
    expect(error.code).toBe('invalid_key_format');
    expect(error.message).toMatch(/starts with "sk-"/);
    expect(error.message).not.toContain('pk-0123');
    expect(value(await call(host, 'key.status'))).toMatchObject({ hasKey: false });
  });

  it('a broken keychain is said plainly; the key can be kept for this session only', async () => {
    const host = await makeHost(createMemoryVault({ keychain: 'broken' }));
    const status = value(await call(host, 'key.status'));
    expect(status).toMatchObject({ hasKey: false, keychain: 'unavailable' });
    expect(status.keychainProblem).toMatch(/can't reach your system keychain/);
    const error = failure(await call(host, 'key.set', { key: SANDBOX_API_KEY }));
    expect(error).toMatchObject({ code: 'keychain_unavailable' });
    expect(error.message).toMatch(/this session only/);
    expect(
      value(await call(host, 'key.set', { key: SANDBOX_API_KEY, sessionOnly: true })),
    ).toMatchObject({
      hasKey: true,
      source: 'session',
    });
    expect(value(await call(host, 'account.balance'))).toEqual({ credits: 250, sandbox: false });
    expect(value(await call(host, 'key.forget'))).toMatchObject({ hasKey: false });
  });

  it('Sandbox mode: no key needed, the in-process Sandbox ledger, event on switch', async () => {
    const host = await makeHost();
    await call(host, 'settings.set', { sandboxMode: true });
    await settle();
    expect(
      seen.some(
        (line) => line.startsWith('event account.changed') && line.includes('"sandbox":true'),
      ),
    ).toBe(true);
    expect(value(await call(host, 'account.balance'))).toEqual({ credits: 40, sandbox: true });
    expect(value(await call(host, 'account.get'))).toMatchObject({ sandbox: true, credits: 40 });
    const box = await host.services.sandbox();
    box.ledger.set(12.5);
    expect(value(await call(host, 'account.balance'))).toEqual({ credits: 12.5, sandbox: true });
    const { sandbox } = await host.services.client();
    expect(sandbox).toBe(true);
    await call(host, 'settings.set', { sandboxMode: false });
    expect(value(await call(host, 'account.get'))).toMatchObject({ sandbox: false, credits: null });
    expect(api.requests).toHaveLength(0);
  });

  it('events carry the key status after set and forget, never the key', async () => {
    const host = await makeHost();
    await call(host, 'key.set', { key: SANDBOX_API_KEY });
    await settle();
    await call(host, 'key.forget');
    await settle();
    const events = seen.filter((line) => line.startsWith('event account.changed'));
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.some((line) => line.includes('"hasKey":true'))).toBe(true);
    expect(events.at(-1)).toContain('"hasKey":false');
    expect(seen.join('\n')).not.toContain(SANDBOX_API_KEY);
  });

  it('a key from STABILITY_API_KEY is used for the run and cannot be forgotten from the app', async () => {
    const host = await makeHost(createMemoryVault({ envKey: SANDBOX_API_KEY, envBase: api.url }));
    expect(value(await call(host, 'key.status'))).toMatchObject({ hasKey: true, source: 'env' });
    expect(value(await call(host, 'account.balance'))).toMatchObject({ credits: 250 });
    const status = value(await call(host, 'key.forget'));
    expect(status).toMatchObject({ hasKey: true, source: 'env' });
    expect(seen.join('\n')).not.toContain(SANDBOX_API_KEY);
  });
});
