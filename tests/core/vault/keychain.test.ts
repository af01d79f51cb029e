/**
 * The vault against a real Secret Service (GNOME Keyring). `npm test` runs vitest inside
 * dbus-run-session with an unlocked throwaway keyring and sets ATELIER_SECRET_SERVICE=1; elsewhere
 * those tests skip. "A restart of the core" is a child process that loads the vault afresh.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, type Vault } from '../../../electron/core/vault';
import { DEFAULT_API_ADDRESS as AT } from '../../../shared/api-address';

const SECRET_SERVICE = process.env.ATELIER_SECRET_SERVICE === '1';
const HAS_SECRET_TOOL = spawnSync('sh', ['-c', 'command -v secret-tool']).status === 0;
const SERVICE = 'Atelier (tests)';
const ACCOUNT = `stability-api-key-${String(process.pid)}-${randomBytes(4).toString('hex')}`;
const KEY_A = 'sk-' + randomBytes(24).toString('hex').slice(0, 44) + 'AAAA';
const KEY_B = 'sk-' + randomBytes(24).toString('hex').slice(0, 44) + 'BBBB';

let dir = '';
let childScript = '';

/** Bundles the vault for a plain Node child process (the "restarted core"). */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atelier-vault-'));
  const keyringPath = createRequire(import.meta.url).resolve('@napi-rs/keyring');
  await build({
    entryPoints: [resolve(import.meta.dirname, '../../../electron/core/vault/index.ts')],
    outfile: join(dir, 'vault.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    plugins: [
      {
        name: 'keyring-external',
        setup(b) {
          b.onResolve({ filter: /^@napi-rs\/keyring$/ }, () => ({
            path: keyringPath,
            external: true,
          }));
        },
      },
    ],
  });
  childScript = join(dir, 'child.mjs');
  writeFileSync(
    childScript,
    `import { createVault } from './vault.mjs';
const AT = 'https://api.stability.ai';
const [service, account, action, key] = process.argv.slice(2);
const vault = createVault({ env: {}, keychain: { service, account, timeoutMs: 10000 } });
const out = {};
try {
  if (action === 'set') await vault.setKey(AT, key);
  if (action === 'set-session') await vault.setKey(AT, key, { sessionOnly: true });
  if (action === 'forget') await vault.forgetKey(AT);
  if (action === 'get') out.key = await vault.getKey(AT);
} catch (error) {
  out.error = { name: error.name, code: error.code, message: error.message };
}
out.status = await vault.status(AT);
process.stdout.write(JSON.stringify(out));
`,
  );
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface ChildResult {
  key?: string | null;
  error?: { name: string; code: string; message: string };
  status: Awaited<ReturnType<Vault['status']>>;
}

function runChild(action: string, key = '', env: NodeJS.ProcessEnv = process.env) {
  return new Promise<ChildResult>((ok, fail) => {
    execFile(
      process.execPath,
      [childScript, SERVICE, ACCOUNT, action, key],
      { env, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error) fail(new Error(`child failed: ${error.message}\n${stderr}`));
        else ok(JSON.parse(stdout) as ChildResult);
      },
    );
  });
}

const skipReason =
  'needs a Secret Service: run `npm test`, or set ATELIER_SECRET_SERVICE=1 inside dbus-run-session with gnome-keyring unlocked';

describe.skipIf(!SECRET_SERVICE)(`vault on a real Secret Service (${skipReason})`, () => {
  const vault = () => createVault({ env: {}, keychain: { service: SERVICE, account: ACCOUNT } });

  afterAll(async () => {
    await vault().forgetKey(AT);
  });

  it('stores a key, and a restarted core reads it back', async () => {
    const first = vault();
    expect(await first.status(AT)).toMatchObject({ hasKey: false, keychain: 'available' });
    await first.setKey(AT, KEY_A);
    expect(await first.status(AT)).toMatchObject({
      hasKey: true,
      source: 'keychain',
      last4: 'AAAA',
    });

    // A new vault instance in this process, then a fresh process.
    expect(await vault().getKey(AT)).toBe(KEY_A);
    const child = await runChild('get');
    expect(child.error).toBeUndefined();
    expect(child.key).toBe(KEY_A);
    expect(child.status).toMatchObject({ hasKey: true, source: 'keychain', last4: 'AAAA' });
  });

  it.skipIf(!HAS_SECRET_TOOL)(
    'the key really is in the Secret Service (secret-tool sees it)',
    () => {
      const found = execFileSync(
        'secret-tool',
        ['lookup', 'service', SERVICE, 'username', ACCOUNT],
        {
          encoding: 'utf8',
        },
      );
      expect(found.trim()).toBe(KEY_A);
    },
  );

  it('replaces the key, across processes', async () => {
    const child = await runChild('set', KEY_B);
    expect(child.error).toBeUndefined();
    expect(await vault().getKey(AT)).toBe(KEY_B);
    expect((await vault().status(AT)).last4).toBe('BBBB');
  });

  it('forgets the key, and a restarted core has none', async () => {
    await vault().forgetKey(AT);
    expect(await vault().getKey(AT)).toBeNull();
    const child = await runChild('get');
    expect(child.key).toBeNull();
    expect(child.status).toMatchObject({ hasKey: false, source: null, keychain: 'available' });
    // Forgetting twice is fine.
    await vault().forgetKey(AT);
  });

  it('keeps one key per API address, each under its own account', async () => {
    const proxy = 'https://proxy.example.com/v2';
    const first = vault();
    await first.setKey(AT, KEY_A);
    await first.setKey(`${proxy}/`, KEY_B);
    expect(await vault().getKey(AT)).toBe(KEY_A);
    expect(await vault().getKey(proxy)).toBe(KEY_B);
    expect(await vault().getKey('https://other.example.com')).toBeNull();
    if (HAS_SECRET_TOOL) {
      const found = execFileSync(
        'secret-tool',
        ['lookup', 'service', SERVICE, 'username', `${ACCOUNT} for ${proxy}`],
        { encoding: 'utf8' },
      );
      expect(found.trim()).toBe(KEY_B);
    }
    await vault().forgetKey(proxy);
    expect(await vault().getKey(proxy)).toBeNull();
    expect(await vault().getKey(AT)).toBe(KEY_A);
    await vault().forgetKey(AT);
  });

  it('a session-only key does not survive a restart', async () => {
    const child = await runChild('set-session', KEY_A);
    expect(child.status).toMatchObject({ hasKey: true, source: 'session' });
    expect(await vault().getKey(AT)).toBeNull();
  });
});

describe.skipIf(process.platform !== 'linux')('vault when the keychain cannot be reached', () => {
  it('says so plainly, does not leak the key, and keeps it for the session on request', async () => {
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/atelier-bus' };
    const set = await runChild('set', KEY_A, env);
    expect(set.error?.code).toBe('keychain_unavailable');
    expect(set.error?.message).toBe(
      "Atelier can't reach your system keychain (no Secret Service (such as GNOME Keyring or KWallet) is running in this session). You can keep the key for this session only; you'll need to paste it again next time.",
    );
    expect(JSON.stringify(set)).not.toContain(KEY_A.slice(3, -4));
    expect(set.status).toMatchObject({ hasKey: false, keychain: 'unavailable' });
    expect(set.status.keychainProblem).toBe(set.error?.message);

    const session = await runChild('set-session', KEY_A, env);
    expect(session.error).toBeUndefined();
    expect(session.status).toMatchObject({
      hasKey: true,
      source: 'session',
      last4: 'AAAA',
      keychain: 'unavailable',
    });
  });
});
