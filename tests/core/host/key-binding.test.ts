/**
 * A key goes only to the API address it was given for (issue 12, part 1). The attack: a page that
 * holds the Api changes the API address to a server of its own, then asks to test the stored key.
 * A throwaway listener on 127.0.0.1 records every request's headers; it must never see the key.
 * Everything goes through the host's real dispatch, as the renderer's calls do.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallResult } from '../../../shared/api';
import { createHost, type Host } from '../../../electron/core/host';
import { failure, value } from './results';
import { SANDBOX_API_KEY, startSandbox, type Sandbox } from '../../../electron/core/sandbox';
import {
  composeVault,
  createEnvStore,
  createMemoryStore,
  type Vault,
} from '../../../electron/core/vault';

const OTHER_KEY = 'sk-' + 'z'.repeat(44) + 'ZZZZ';

let root: string;
let api: Sandbox;
let listener: { url: string; heard: IncomingHttpHeaders[]; server: Server };
const hosts: Host[] = [];
let logged: string[];

/** A server that answers every request like a balance endpoint and keeps each request's headers. */
async function startListener(): Promise<typeof listener> {
  const heard: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    heard.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"credits": 1}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, heard, server };
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'atelier-key-binding-'));
  api = await startSandbox({ startingCredits: 250 });
  listener = await startListener();
  logged = [];
});

afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
  await api.close();
  listener.server.closeAllConnections();
  await new Promise<void>((resolve) => listener.server.close(() => resolve()));
  await rm(root, { recursive: true, force: true });
});

/** A host on `env`; the vault keeps stored keys in memory and reads STABILITY_API_KEY from `env`. */
async function makeHost(env: NodeJS.ProcessEnv, vault: Vault = envAndMemoryVault(env)) {
  const host = await createHost({
    shell: 'browser',
    version: '1.0.0',
    platform: 'linux',
    env: { ATELIER_DATA_DIR: path.join(root, 'data'), ...env },
    log: (line) => logged.push(line),
    vault,
  });
  hosts.push(host);
  return host;
}

async function call(host: Host, name: string, request: unknown = {}): Promise<CallResult> {
  return host.dispatch(name, request);
}

function envAndMemoryVault(env: NodeJS.ProcessEnv): Vault {
  return composeVault({
    env: createEnvStore(env),
    keychain: createMemoryStore(new Map(), 'keychain'),
  });
}

/** Every header value the listener received, as one text. */
const heardText = () => JSON.stringify(listener.heard);

describe('a stored key is bound to its API address', () => {
  it('the attack: settings.set to a listener, then key.test {}, sends the listener nothing', async () => {
    const host = await makeHost({ STABILITY_API_BASE: api.url });
    expect(value(await call(host, 'key.set', { key: SANDBOX_API_KEY }))).toMatchObject({
      hasKey: true,
      address: api.url,
    });
    // The key works where it was entered.
    expect(value(await call(host, 'key.test'))).toMatchObject({ ok: true, credits: 250 });

    value(await call(host, 'settings.set', { apiBaseUrl: listener.url }));
    const tested = value(await call(host, 'key.test'));

    expect(tested).toMatchObject({ ok: false, problem: 'no_key' });
    expect(tested.message).toContain(listener.url);
    expect(tested.message).toMatch(/only to the address it was entered for/);
    expect(listener.heard).toEqual([]);
    expect(heardText()).not.toContain(SANDBOX_API_KEY);

    // The balance, and the status the page sees, say the same: no key for this address.
    expect(failure(await call(host, 'account.balance'))).toMatchObject({ code: 'no_key' });
    expect(value(await call(host, 'key.status'))).toMatchObject({
      hasKey: false,
      address: listener.url,
    });
    expect(listener.heard).toEqual([]);
  });

  it('a key entered for the new address goes there, and the old one comes back with its address', async () => {
    const host = await makeHost({ STABILITY_API_BASE: api.url });
    value(await call(host, 'key.set', { key: SANDBOX_API_KEY }));
    value(await call(host, 'settings.set', { apiBaseUrl: `${listener.url}/` }));

    value(await call(host, 'key.set', { key: OTHER_KEY }));
    expect(value(await call(host, 'key.test'))).toMatchObject({ ok: true });
    expect(listener.heard.map((headers) => headers.authorization)).toEqual([`Bearer ${OTHER_KEY}`]);
    expect(heardText()).not.toContain(SANDBOX_API_KEY);

    // Back to the first address: its own key, and the listener hears nothing more.
    value(await call(host, 'settings.set', { apiBaseUrl: null }));
    expect(value(await call(host, 'key.status'))).toMatchObject({
      hasKey: true,
      last4: SANDBOX_API_KEY.slice(-4),
    });
    expect(value(await call(host, 'key.test'))).toMatchObject({ ok: true, credits: 250 });
    expect(listener.heard).toHaveLength(1);
  });

  it('STABILITY_API_KEY goes only to STABILITY_API_BASE as given at launch', async () => {
    const host = await makeHost({
      STABILITY_API_BASE: api.url,
      STABILITY_API_KEY: SANDBOX_API_KEY,
    });
    expect(value(await call(host, 'key.status'))).toMatchObject({ hasKey: true, source: 'env' });

    value(await call(host, 'settings.set', { apiBaseUrl: listener.url }));
    expect(value(await call(host, 'key.test'))).toMatchObject({ ok: false, problem: 'no_key' });
    expect(failure(await call(host, 'account.balance'))).toMatchObject({ code: 'no_key' });
    expect(listener.heard).toEqual([]);
  });

  it('STABILITY_API_KEY without STABILITY_API_BASE is bound to https://api.stability.ai', async () => {
    const host = await makeHost({ STABILITY_API_KEY: SANDBOX_API_KEY });
    expect(value(await call(host, 'key.status'))).toMatchObject({
      hasKey: true,
      address: 'https://api.stability.ai',
    });
    value(await call(host, 'settings.set', { apiBaseUrl: listener.url }));
    expect(value(await call(host, 'key.test'))).toMatchObject({ ok: false, problem: 'no_key' });
    expect(listener.heard).toEqual([]);
  });
});

describe('the API address policy', () => {
  it.each([
    'http://example.com',
    'http://192.168.1.10:8080',
    'http://10.0.0.1',
    'http://[::2]:80',
    'http://127.0.0.1.example.com',
    'ftp://127.0.0.1',
    'https://user:pass@example.com',
    'https://example.com/?x=1',
  ])('refuses %s as the API address with a sentence, and keeps the old one', async (address) => {
    const host = await makeHost({});
    const error = failure(await call(host, 'settings.set', { apiBaseUrl: address }));
    expect(error.code).toBe('invalid_request');
    expect(error.fields?.apiBaseUrl).toMatch(/must be an https address/);
    expect(value(await call(host, 'settings.get')).apiBaseUrl).toBeNull();
  });

  it.each([
    'https://proxy.example.com/v2',
    'http://127.0.0.1:9',
    'http://127.8.9.10',
    'http://localhost:8080',
    'http://[::1]:8080',
  ])('accepts %s', async (address) => {
    const host = await makeHost({});
    expect(value(await call(host, 'settings.set', { apiBaseUrl: address })).apiBaseUrl).toBe(
      address,
    );
  });

  it('a refused STABILITY_API_BASE is ignored with a sentence, and its STABILITY_API_KEY goes nowhere', async () => {
    const host = await makeHost({
      STABILITY_API_BASE: 'http://stability.example.com',
      STABILITY_API_KEY: SANDBOX_API_KEY,
    });
    expect(logged.join('\n')).toMatch(/STABILITY_API_BASE is refused: it must be an https address/);
    expect(host.apiBase()).toBe('https://api.stability.ai');
    expect(value(await call(host, 'key.status'))).toMatchObject({ hasKey: false });
    expect(value(await call(host, 'key.test'))).toMatchObject({ ok: false, problem: 'no_key' });
    expect(logged.join('\n')).not.toContain(SANDBOX_API_KEY);
  });

  it('the Sandbox needs no key at any address', async () => {
    const host = await makeHost({ STABILITY_API_BASE: listener.url });
    value(await call(host, 'settings.set', { sandboxMode: true }));
    expect(value(await call(host, 'account.balance'))).toMatchObject({ sandbox: true });
    expect(listener.heard).toEqual([]);
  });
});
