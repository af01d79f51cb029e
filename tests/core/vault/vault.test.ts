import { describe, expect, it } from 'vitest';
import {
  composeVault,
  createEnvStore,
  createKeychainStore,
  createMemoryStore,
  createMemoryVault,
  createVault,
  describeKeychainFailure,
  ENV_KEY_NAME,
  envKeyProblem,
  KeychainUnavailableError,
  VaultError,
  keychainAccountFor,
  type KeyringEntry,
} from '../../../electron/core/vault';
import { DEFAULT_API_ADDRESS as AT } from '../../../shared/api-address';

const KEY_A = 'sk-' + 'a'.repeat(44) + 'AAAA';
const KEY_B = 'sk-' + 'b'.repeat(44) + 'BBBB';
const KEY_ENV = 'sk-' + 'e'.repeat(44) + 'EEEE';

async function rejection(p: Promise<unknown>): Promise<VaultError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  }
  throw new Error('expected a rejection');
}

describe('memory vault', () => {
  it('starts empty, stores, replaces and forgets a key', async () => {
    const vault = createMemoryVault();
    expect(await vault.status(AT)).toEqual({
      address: AT,
      hasKey: false,
      last4: null,
      source: null,
      keychain: 'available',
    });
    expect(await vault.getKey(AT)).toBeNull();

    await vault.setKey(AT, `  ${KEY_A}\n`);
    expect(await vault.getKey(AT)).toBe(KEY_A);
    expect(await vault.status(AT)).toMatchObject({
      hasKey: true,
      last4: 'AAAA',
      source: 'keychain',
    });

    await vault.setKey(AT, KEY_B);
    expect(await vault.getKey(AT)).toBe(KEY_B);
    expect((await vault.status(AT)).last4).toBe('BBBB');

    await vault.forgetKey(AT);
    expect(await vault.getKey(AT)).toBeNull();
    expect((await vault.status(AT)).hasKey).toBe(false);
  });

  it('refuses a badly formed key and keeps the old one', async () => {
    const vault = createMemoryVault({ key: KEY_A });
    const error = await rejection(vault.setKey(AT, 'not-a-key'));
    expect(error.code).toBe('invalid_key_format');
    expect(error.message).toMatch(/starts with "sk-"/);
    expect(await vault.getKey(AT)).toBe(KEY_A);
  });

  it('status never carries the key, only its last four characters', async () => {
    const vault = createMemoryVault({ key: KEY_A });
    const json = JSON.stringify(await vault.status(AT));
    expect(json).not.toContain(KEY_A.slice(0, -4));
    expect(json).toContain('AAAA');
  });
});

describe('environment key', () => {
  it('wins for the run and is never written', async () => {
    const keychain = createMemoryStore(new Map([[AT, KEY_A]]), 'keychain');
    const vault = composeVault({
      env: createEnvStore({ [ENV_KEY_NAME]: ` ${KEY_ENV} ` }),
      keychain,
    });
    expect(await vault.getKey(AT)).toBe(KEY_ENV);
    expect(await vault.status(AT)).toMatchObject({ source: 'env', last4: 'EEEE' });

    // Setting a key stores it in the keychain, but the environment's key stays in use.
    await vault.setKey(AT, KEY_B);
    expect(await keychain.read(AT)).toBe(KEY_B);
    expect(await vault.getKey(AT)).toBe(KEY_ENV);

    // Forgetting removes the stored key; the environment's key is still there for this run.
    await vault.forgetKey(AT);
    expect(await keychain.read(AT)).toBeNull();
    expect(await vault.status(AT)).toMatchObject({ hasKey: true, source: 'env' });
  });

  it('is read-only and treats an empty variable as no key', async () => {
    const env = createEnvStore({ [ENV_KEY_NAME]: KEY_ENV });
    await expect(env.write(AT, KEY_A)).rejects.toMatchObject({ code: 'env_key_read_only' });
    await expect(env.remove(AT)).rejects.toThrow(/environment variable/);
    expect(await env.read(AT)).toBe(KEY_ENV);
    expect(await createEnvStore({ [ENV_KEY_NAME]: '   ' }).read(AT)).toBeNull();
    expect(await createEnvStore({}).read(AT)).toBeNull();
  });

  it('reads the variable once, when the vault is made', async () => {
    const env: NodeJS.ProcessEnv = { [ENV_KEY_NAME]: KEY_ENV };
    const vault = createVault({ env, keychain: false });
    env[ENV_KEY_NAME] = KEY_B;
    expect(await vault.getKey(AT)).toBe(KEY_ENV);
  });

  it('warns about a badly formed variable without repeating it', () => {
    expect(envKeyProblem({ [ENV_KEY_NAME]: KEY_ENV })).toBeNull();
    expect(envKeyProblem({})).toBeNull();
    const problem = envKeyProblem({ [ENV_KEY_NAME]: 'oops-secretvalue' });
    expect(problem).toMatch(/STABILITY_API_KEY is set, but/);
    expect(problem).not.toContain('secretvalue');
  });
});

describe('when the keychain cannot be used', () => {
  const sentence =
    /^Atelier can't reach your system keychain \(.+\)\. You can keep the key for this session only; you'll need to paste it again next time\.$/;

  it('says so plainly and keeps a key for this session only when asked', async () => {
    const vault = createMemoryVault({ keychain: 'broken' });
    const status = await vault.status(AT);
    expect(status).toMatchObject({ hasKey: false, keychain: 'unavailable' });
    expect(status.keychainProblem).toMatch(sentence);

    const error = await rejection(vault.setKey(AT, KEY_A));
    expect(error.code).toBe('keychain_unavailable');
    expect(error.message).toMatch(sentence);
    expect(error.message).not.toContain(KEY_A);
    await expect(vault.getKey(AT)).rejects.toMatchObject({ code: 'keychain_unavailable' });

    await vault.setKey(AT, KEY_A, { sessionOnly: true });
    expect(await vault.getKey(AT)).toBe(KEY_A);
    expect(await vault.status(AT)).toMatchObject({
      hasKey: true,
      source: 'session',
      last4: 'AAAA',
      keychain: 'unavailable',
    });

    // Forgetting a session-only key works although the keychain is still unreachable.
    await vault.forgetKey(AT);
    await expect(vault.getKey(AT)).rejects.toMatchObject({ code: 'keychain_unavailable' });
    expect((await vault.status(AT)).hasKey).toBe(false);
  });

  it('a session-only key is not written to the keychain and goes away with the process', async () => {
    const keychain = createMemoryStore(new Map(), 'keychain');
    const vault = composeVault({ keychain });
    await vault.setKey(AT, KEY_A, { sessionOnly: true });
    expect(await keychain.read(AT)).toBeNull();
    expect(await vault.status(AT)).toMatchObject({ source: 'session', keychain: 'available' });
    // A new vault over the same keychain (the next run) has no key.
    expect(await composeVault({ keychain }).getKey(AT)).toBeNull();
    // Storing a key for good replaces the session-only one.
    await vault.setKey(AT, KEY_B);
    expect(await vault.status(AT)).toMatchObject({ source: 'keychain', last4: 'BBBB' });
  });

  it('with no keychain at all, says so', async () => {
    const vault = createVault({ env: {}, keychain: false });
    const status = await vault.status(AT);
    expect(status.keychain).toBe('unavailable');
    expect(status.keychainProblem).toMatch(/no keychain Atelier can use/);
    expect(await vault.getKey(AT)).toBeNull();
    await expect(vault.setKey(AT, KEY_A)).rejects.toThrow(sentence);
  });

  it('scrubs the key out of a keyring failure', async () => {
    const leaky: KeyringEntry = {
      getPassword: () => Promise.reject(new Error('Secret Service: prompt was dismissed')),
      setPassword: (password) =>
        Promise.reject(new Error(`Platform failure: could not store "${password}": weird`)),
      deleteCredential: () => Promise.reject(new Error('Access denied by policy')),
    };
    const keychain = createKeychainStore({ createEntry: () => leaky });
    const vault = composeVault({ keychain });
    const error = await rejection(vault.setKey(AT, KEY_A));
    expect(error.message).toMatch(/can't reach your system keychain \(it answered with an error/);
    expect(error.message).not.toContain(KEY_A);
    expect(error.message).not.toContain(KEY_A.slice(3));
    expect(error.message).toContain('[hidden]');
    expect((await vault.status(AT)).keychainProblem).toMatch(
      /\(the keychain is locked and was not unlocked\)/,
    );
    await expect(vault.forgetKey(AT)).rejects.toThrow(/access to it was denied/);
  });

  it('a keyring entry that throws on creation (no session bus) is reported, not thrown raw', async () => {
    const keychain = createKeychainStore({
      createEntry: () => {
        throw new Error(
          'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead',
        );
      },
    });
    await expect(keychain.read(AT)).rejects.toBeInstanceOf(KeychainUnavailableError);
    const status = await composeVault({ keychain }).status(AT);
    expect(status.keychainProblem).toMatch(/no Secret Service .* is running in this session/);
  });

  it('maps common keyring failures to plain reasons', () => {
    const cases: [string, RegExp][] = [
      ['DBus error: Failed to connect to socket /x: No such file', /is running in this session/],
      ['The name org.freedesktop.secrets was not provided by any .service files', /installed/],
      ["Couldn't access platform storage: Secret Service: no result found", /locked/],
      ['Access denied', /denied/],
      ['Entry is matched by 2 credentials: Ambiguous', /more than one/],
    ];
    for (const [message, reason] of cases) {
      expect(describeKeychainFailure(new Error(message))).toMatch(reason);
    }
  });

  it('an unexpected bug in a store is not disguised as a keychain problem', async () => {
    const buggy = createMemoryStore(new Map(), 'keychain');
    buggy.read = () => Promise.reject(new TypeError('bug'));
    await expect(composeVault({ keychain: buggy }).status(AT)).rejects.toThrow(TypeError);
  });
});

describe('keys bound to their API address', () => {
  const PROXY = 'https://proxy.example.com/v2';

  it('answers a key only for the address it was stored for (spelling aside)', async () => {
    const vault = createMemoryVault();
    await vault.setKey(`${PROXY}/`, KEY_A);
    expect(await vault.getKey(PROXY)).toBe(KEY_A);
    expect(await vault.getKey('HTTPS://Proxy.Example.com:443/v2//')).toBe(KEY_A);
    expect(await vault.getKey(AT)).toBeNull();
    expect(await vault.getKey('https://proxy.example.com')).toBeNull();
    expect(await vault.getKey('http://proxy.example.com/v2')).toBeNull();
    expect(await vault.status(PROXY)).toMatchObject({ address: PROXY, hasKey: true });
    expect(await vault.status(AT)).toMatchObject({ address: AT, hasKey: false });
    await vault.forgetKey(AT);
    expect(await vault.getKey(PROXY)).toBe(KEY_A);
  });

  it('keeps session-only keys per address too', async () => {
    const vault = createMemoryVault({ keychain: 'broken' });
    await vault.setKey(PROXY, KEY_B, { sessionOnly: true });
    expect(await vault.getKey(PROXY)).toBe(KEY_B);
    await expect(vault.getKey(AT)).rejects.toBeInstanceOf(VaultError);
  });

  it('refuses to store a key for an address the policy refuses, and has none there', async () => {
    const vault = createMemoryVault({ key: KEY_A });
    const error = await rejection(vault.setKey('http://proxy.example.com', KEY_B));
    expect(error.code).toBe('address_refused');
    expect(error.message).toMatch(/must be an https address/);
    expect(await vault.getKey('http://proxy.example.com')).toBeNull();
    expect(await vault.status('ftp://x')).toMatchObject({ hasKey: false });
  });

  it('binds STABILITY_API_KEY to STABILITY_API_BASE, or to the default, or to nothing when refused', async () => {
    const at = (env: NodeJS.ProcessEnv) => createVault({ env, keychain: false });
    const local = 'http://127.0.0.1:8080';
    expect(await at({ [ENV_KEY_NAME]: KEY_ENV }).getKey(AT)).toBe(KEY_ENV);
    const withBase = at({ [ENV_KEY_NAME]: KEY_ENV, STABILITY_API_BASE: `${local}/` });
    expect(await withBase.getKey(local)).toBe(KEY_ENV);
    expect(await withBase.getKey(AT)).toBeNull();
    const refused = at({ [ENV_KEY_NAME]: KEY_ENV, STABILITY_API_BASE: 'http://evil.example' });
    expect(await refused.getKey(AT)).toBeNull();
    expect(await refused.getKey('http://evil.example')).toBeNull();
  });

  it('names the keychain account after the address, keeping the old name for Stability’s own', () => {
    expect(keychainAccountFor(AT)).toBe('stability-api-key');
    expect(keychainAccountFor(PROXY)).toBe(`stability-api-key for ${PROXY}`);
  });
});
