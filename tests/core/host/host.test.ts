import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_SETTINGS, type CallResult, type EventName } from '../../../shared/api';
import { createHost, type Host, type HostOptions } from '../../../electron/core/host';

const KEY = 'sk-TESTKEY0123456789abcdefghijklmnop';

let root: string;
let dataDir: string;
const hosts: Host[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'atelier-host-'));
  dataDir = path.join(root, 'data');
});

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(hosts.splice(0).map((host) => host.close()));
  await rm(root, { recursive: true, force: true });
});

async function makeHost(options: Partial<HostOptions> = {}, lines: string[] = []): Promise<Host> {
  const host = await createHost({
    shell: 'browser',
    version: '1.2.3',
    platform: 'linux',
    env: { ATELIER_DATA_DIR: dataDir },
    log: (line) => lines.push(line),
    ...options,
  });
  hosts.push(host);
  return host;
}

function failure(result: CallResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result.error;
}

function value(result: CallResult): unknown {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result.value;
}

describe('host calls through dispatch', () => {
  it('app.info answers name, version, shell, platform and data folder', async () => {
    const host = await makeHost();
    expect(value(await host.dispatch('app.info', {}))).toEqual({
      name: 'Atelier',
      version: '1.2.3',
      shell: 'browser',
      platform: 'linux',
      dataDir,
    });
    expect(host.info.dataDir).toBe(dataDir);
  });

  it('app.info refuses a payload with fields', async () => {
    const host = await makeHost();
    const error = failure(await host.dispatch('app.info', { extra: 1 }));
    expect(error.code).toBe('invalid_request');
    expect(error.fields).toBeDefined();
    expect(error.message).toMatch(/app\.info/);
  });

  it('app.ping echoes the message with the time it was received', async () => {
    const host = await makeHost();
    vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    expect(value(await host.dispatch('app.ping', { message: 'hello' }))).toEqual({
      message: 'hello',
      receivedAt: 1_700_000_000_000,
    });
  });

  it('app.ping refuses a message that is not a string, naming the field', async () => {
    const host = await makeHost();
    const error = failure(await host.dispatch('app.ping', { message: 42 }));
    expect(error.code).toBe('invalid_request');
    expect(Object.keys(error.fields ?? {})).toEqual(['message']);
    const tooLong = failure(await host.dispatch('app.ping', { message: 'x'.repeat(1001) }));
    expect(tooLong.fields?.message).toBeDefined();
  });

  it('settings.get answers the defaults on a fresh data folder', async () => {
    const host = await makeHost();
    expect(value(await host.dispatch('settings.get', {}))).toEqual(DEFAULT_SETTINGS);
    expect(failure(await host.dispatch('settings.get', 'nope')).code).toBe('invalid_request');
  });

  it('settings.set validates, stores, answers all settings and emits settings.changed', async () => {
    const host = await makeHost();
    const seen: [EventName, unknown][] = [];
    host.subscribe((event, payload) => seen.push([event, payload]));
    const after = value(await host.dispatch('settings.set', { theme: 'dark', concurrency: 2 }));
    const expected = { ...DEFAULT_SETTINGS, theme: 'dark', concurrency: 2 };
    expect(after).toEqual(expected);
    expect(seen.filter(([event]) => event === 'settings.changed')).toEqual([
      ['settings.changed', expected],
    ]);
    expect(value(await host.dispatch('settings.get', {}))).toEqual(expected);
    expect(JSON.parse(await readFile(path.join(dataDir, 'settings.json'), 'utf8'))).toEqual(
      expected,
    );
    // A new host on the same folder sees the change.
    const again = await makeHost();
    expect(again.settings.get()).toEqual(expected);
  });

  it('settings.set refuses invalid values with fields, and emits nothing', async () => {
    const host = await makeHost();
    const listener = vi.fn();
    host.subscribe(listener);
    const error = failure(
      await host.dispatch('settings.set', { concurrency: 0, theme: 'purple', apiBaseUrl: 'x' }),
    );
    expect(error.code).toBe('invalid_request');
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['apiBaseUrl', 'concurrency', 'theme']);
    expect(error.message).toMatch(/^Atelier could not do "settings.set": /);
    const unknownKey = failure(await host.dispatch('settings.set', { apiKey: KEY }));
    expect(unknownKey.code).toBe('invalid_request');
    expect(listener).not.toHaveBeenCalled();
    expect(host.settings.get()).toEqual(DEFAULT_SETTINGS);
  });

  it('settings.set with nothing new emits nothing', async () => {
    const host = await makeHost();
    const listener = vi.fn();
    host.subscribe(listener);
    await host.dispatch('settings.set', { theme: DEFAULT_SETTINGS.theme });
    expect(listener).not.toHaveBeenCalled();
  });

  it('answers an unknown call with unknown_call, and a non-string call too', async () => {
    const host = await makeHost();
    const error = failure(await host.dispatch('app.explode', {}));
    expect(error.code).toBe('unknown_call');
    expect(error.message).toMatch(/does not know the request "app.explode"/);
    expect(failure(await host.dispatch(42, {})).code).toBe('unknown_call');
    expect(failure(await host.dispatch('__proto__', {})).code).toBe('unknown_call');
    expect(failure(await host.dispatch('toString', {})).code).toBe('unknown_call');
  });

  it('a failing event listener does not break settings.set, and is logged', async () => {
    const lines: string[] = [];
    const host = await makeHost({}, lines);
    const good = vi.fn();
    host.subscribe(() => {
      throw new Error(`listener bug with ${KEY}`);
    });
    host.subscribe(good);
    expect((await host.dispatch('settings.set', { sandboxMode: true })).ok).toBe(true);
    expect(good.mock.calls.filter(([event]) => event === 'settings.changed')).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/event listener failed/);
  });

  it('unsubscribe stops events', async () => {
    const host = await makeHost();
    const listener = vi.fn();
    const stop = host.subscribe(listener);
    stop();
    await host.dispatch('settings.set', { theme: 'light' });
    expect(listener).not.toHaveBeenCalled();
  });

  it('after close, calls answer not_available and events stop', async () => {
    const host = await makeHost();
    const listener = vi.fn();
    host.subscribe(listener);
    await host.close();
    await host.close();
    const error = failure(await host.dispatch('app.ping', { message: 'x' }));
    expect(error.code).toBe('not_available');
    await host.settings.set({ theme: 'dark' });
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('host environment', () => {
  it('ATELIER_DATA_DIR wins over the shell data folder', async () => {
    const shellDir = path.join(root, 'electron-userData');
    const host = await makeHost({ dataDir: shellDir });
    expect(host.info.dataDir).toBe(dataDir);
    const other = await makeHost({ dataDir: shellDir, env: {} });
    expect(other.info.dataDir).toBe(shellDir);
  });

  it('keeps STABILITY_API_KEY for this run only: never stored, sent or logged', async () => {
    const lines: string[] = [];
    const host = await makeHost(
      { env: { ATELIER_DATA_DIR: dataDir, STABILITY_API_KEY: KEY }, keychain: false },
      lines,
    );
    expect(value(await host.dispatch('key.status', {}))).toMatchObject({
      hasKey: true,
      source: 'env',
      last4: KEY.slice(-4),
    });
    expect(host).not.toHaveProperty('envApiKey');
    const answers = await Promise.all([
      host.dispatch('app.info', {}),
      host.dispatch('settings.get', {}),
      host.dispatch('settings.set', { sandboxMode: true }),
      host.dispatch('settings.set', { apiKey: KEY }),
    ]);
    expect(JSON.stringify(answers)).not.toContain(KEY.slice(3));
    expect(JSON.stringify(host.info)).not.toContain(KEY);
    // Every file in the data folder, sub-folders (jobs, inputs) included.
    for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(entry.parentPath, entry.name);
      expect(await readFile(file, 'utf8')).not.toContain(KEY);
    }
    expect(lines.join('\n')).not.toContain(KEY);
  });

  it('has no key when STABILITY_API_KEY is absent or blank', async () => {
    const status = (host: Host) => host.dispatch('key.status', {}).then(value);
    const none = { hasKey: false, source: null, last4: null };
    expect(await status(await makeHost({ keychain: false }))).toMatchObject(none);
    const blank = await makeHost({
      env: { ATELIER_DATA_DIR: dataDir, STABILITY_API_KEY: '  ' },
      keychain: false,
    });
    expect(await status(blank)).toMatchObject(none);
  });

  it('uses the setting, then STABILITY_API_BASE, then the default API base', async () => {
    expect((await makeHost()).apiBase()).toBe('https://api.stability.ai');
    const host = await makeHost({
      env: { ATELIER_DATA_DIR: dataDir, STABILITY_API_BASE: 'http://127.0.0.1:9999/proxy/' },
    });
    expect(host.apiBase()).toBe('http://127.0.0.1:9999/proxy');
    await host.settings.set({ apiBaseUrl: 'https://mine.example.com' });
    expect(host.apiBase()).toBe('https://mine.example.com');
  });

  it('ignores an invalid STABILITY_API_BASE with a warning that does not repeat it', async () => {
    const lines: string[] = [];
    const host = await makeHost(
      { env: { ATELIER_DATA_DIR: dataDir, STABILITY_API_BASE: 'https://user:secret@x.example' } },
      lines,
    );
    expect(host.apiBase()).toBe('https://api.stability.ai');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/STABILITY_API_BASE/);
    expect(lines[0]).not.toContain('secret');
  });

  it('uses --library for this run without storing it', async () => {
    const host = await makeHost({ libraryDir: 'relative/lib' });
    expect(host.libraryDir()).toBe(path.resolve('relative/lib'));
    expect(host.settings.get().libraryDir).toBeNull();
    const plain = await makeHost();
    expect(plain.libraryDir()).toBe(path.join(homedir(), 'Pictures', 'Atelier'));
    await plain.settings.set({ libraryDir: '/pictures/atelier' });
    expect(plain.libraryDir()).toBe('/pictures/atelier');
  });

  it('resolves the library folder once: the library calls and the host name the same one', async () => {
    const host = await makeHost();
    const folder = () => host.dispatch('library.folder', {}).then(value);
    expect(await folder()).toMatchObject({
      dir: path.join(homedir(), 'Pictures', 'Atelier'),
      isDefault: true,
    });
    const chosen = path.join(root, 'chosen');
    await host.settings.set({ libraryDir: chosen });
    expect(await folder()).toMatchObject({ dir: chosen, isDefault: false });
    expect(host.libraryDir()).toBe(chosen);
    expect(host.library.dir()).toBe(chosen);
    const run = await makeHost({ libraryDir: path.join(root, 'run') });
    expect(await run.dispatch('library.folder', {}).then(value)).toMatchObject({
      dir: path.join(root, 'run'),
      isDefault: false,
    });
  });

  it('reports a corrupt settings file on the log and keeps running', async () => {
    const lines: string[] = [];
    await makeHost(); // creates nothing, but makes sure the folder logic is fine
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'settings.json'), '{"theme":"dark","concurrency":"lots"}');
    const host = await makeHost({}, lines);
    expect(host.settings.get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(host.settings.recovery?.resetFields).toEqual(['concurrency']);
    expect(lines.join('\n')).toMatch(
      /^Atelier: The settings file .* invalid values for concurrency/,
    );
  });
});
