/**
 * The account calls on a real Secret Service (gnome-keyring inside dbus-run-session, as
 * build/scripts/test.mjs runs vitest): store through key.set, read back by a new host (a restart of
 * the core), replace, forget; the key never in an answer, an event, a log line or the data folder.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CallResult } from '../../../shared/api';
import { createHost, type Host } from '../../../electron/core/host';
import { SANDBOX_API_KEY, startSandbox, type Sandbox } from '../../../electron/core/sandbox';

const SECRET_SERVICE = process.env.ATELIER_SECRET_SERVICE === '1';
const OTHER_KEY = 'sk-replacement00000000000000000000000000000000000000wxyz';

let root: string;
let api: Sandbox;
let service: string;
const seen: string[] = [];

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'atelier-host-keychain-'));
  api = await startSandbox({ startingCredits: 77 });
  service = `Atelier-test-${randomUUID()}`;
  seen.length = 0;
});

afterEach(async () => {
  await api.close();
  await rm(root, { recursive: true, force: true });
});

async function makeHost(): Promise<Host> {
  const host = await createHost({
    shell: 'browser',
    version: '1.0.0',
    platform: 'linux',
    env: { ATELIER_DATA_DIR: path.join(root, 'data'), STABILITY_API_BASE: api.url },
    log: (line) => seen.push(line),
    keychain: { service },
  });
  host.subscribe((event, payload) => seen.push(`${event} ${JSON.stringify(payload)}`));
  return host;
}

async function call(host: Host, name: string, request: unknown = {}): Promise<unknown> {
  const result: CallResult = await host.dispatch(name, request);
  seen.push(JSON.stringify(result));
  if (!result.ok) throw new Error(`${name} failed: ${result.error.message}`);
  return result.value;
}

describe.skipIf(!SECRET_SERVICE)(
  'account calls on a real Secret Service (run `npm test`, or set ATELIER_SECRET_SERVICE=1 inside dbus-run-session with gnome-keyring unlocked)',
  () => {
    it('stores, reads back after a restart of the core, replaces and forgets', async () => {
      const first = await makeHost();
      expect(await call(first, 'key.status')).toMatchObject({
        hasKey: false,
        keychain: 'available',
      });
      expect(await call(first, 'key.set', { key: SANDBOX_API_KEY })).toMatchObject({
        hasKey: true,
        source: 'keychain',
      });
      await first.close();

      const second = await makeHost();
      expect(await call(second, 'key.status')).toMatchObject({
        hasKey: true,
        source: 'keychain',
        last4: SANDBOX_API_KEY.slice(-4),
      });
      expect(await call(second, 'account.balance')).toEqual({ credits: 77, sandbox: false });
      expect(await call(second, 'key.set', { key: OTHER_KEY })).toMatchObject({ last4: 'wxyz' });
      expect(await second.services.vault.getKey(second.apiBase())).toBe(OTHER_KEY);
      expect(await call(second, 'key.forget')).toMatchObject({ hasKey: false });
      await second.close();

      const third = await makeHost();
      expect(await call(third, 'key.status')).toMatchObject({ hasKey: false });
      await third.close();

      const text = seen.join('\n');
      expect(text).not.toContain(SANDBOX_API_KEY);
      expect(text).not.toContain(OTHER_KEY);
      for (const name of await readdir(path.join(root, 'data'), { recursive: true })) {
        const file = path.join(root, 'data', name);
        const body = await readFile(file, 'utf8').catch(() => '');
        expect(body).not.toContain(SANDBOX_API_KEY);
        expect(body).not.toContain(OTHER_KEY);
      }
    });
  },
);
