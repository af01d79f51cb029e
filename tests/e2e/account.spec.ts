/**
 * The account end to end in Chromium through the browser shell, with a Sandbox this test starts
 * standing in for Stability (STABILITY_API_BASE): first run -> a wrong key -> a plain sentence -> a
 * good key -> the balance in the title bar; the key survives a restart (the system keychain, when
 * a Secret Service runs: `npm test` provides one); forget -> the welcome screen again; the Sandbox
 * path -> the badge; and the leak test: over the whole session, the key is in no WebSocket frame the
 * page received, nor the DOM, input values, localStorage, sessionStorage, IndexedDB, the shell's
 * output, or any file in the data and library folders. Screenshots of the welcome screen and the
 * Settings account section, light and dark, 1280x800 and 900x600.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { SANDBOX_BAD_KEY, startSandbox, type Sandbox } from '../../electron/core/sandbox';
import { expect, openApp, startShell, stopShell, test, type RunningShell } from './fixtures';

/** Set by build/scripts/test.mjs when Playwright runs inside a private Secret Service. */
const SECRET_SERVICE = process.env.ATELIER_SECRET_SERVICE === '1';

test.describe.configure({ mode: 'serial' });

let sandbox: Sandbox;

test.beforeAll(async () => {
  sandbox = await startSandbox({ startingCredits: 321, faults: {} });
});

test.afterAll(async () => {
  await sandbox.close();
});

/** A fresh, unguessable key for each run: any well-formed key works in the Sandbox. */
function freshKey(): string {
  return `sk-${randomBytes(24).toString('hex')}`;
}

/** A shell on the test's Sandbox with no STABILITY_API_KEY, recording its stdout and stderr. */
async function accountShell(output: string[]): Promise<RunningShell> {
  const shell = await startShell({ STABILITY_API_BASE: sandbox.url, STABILITY_API_KEY: '' });
  output.push(shell.url);
  shell.process.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  shell.process.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return shell;
}

const welcome = (page: Page) => page.getByRole('heading', { name: 'Welcome to Atelier' });
const keyField = (page: Page) => page.getByRole('textbox', { name: 'Stability API key' });
const credits = (page: Page) => page.getByTestId('credits');
const answer = (page: Page) => page.locator('.key-form__answer');

/** Keep the key for this session only, when (and only when) the keychain cannot be used. */
async function allowSessionOnlyIfNeeded(page: Page) {
  const box = page.getByRole('checkbox', { name: 'Keep the key for this session only' });
  if (SECRET_SERVICE) {
    await expect(box).toHaveCount(0);
    return;
  }
  if ((await box.count()) > 0) await box.check();
}

async function openSettings(page: Page) {
  await page
    .getByRole('navigation', { name: 'Places' })
    .getByRole('button', { name: 'Settings' })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
}

/**
 * Everything the page holds: DOM, input values, localStorage, sessionStorage, IndexedDB. (A script
 * string: this file is type-checked without the DOM library.)
 */
const PAGE_CONTENTS = `(async () => {
  const inputs = [...document.querySelectorAll('input, textarea')].map((el) => el.value);
  const dump = (storage) => JSON.stringify(Object.fromEntries(
    Array.from({ length: storage.length }, (_, i) => [storage.key(i), storage.getItem(storage.key(i))])));
  const idb = [];
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(info.name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const rows = await new Promise((resolve, reject) => {
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      idb.push({ db: info.name, store, rows });
    }
    db.close();
  }
  return {
    dom: document.documentElement.outerHTML,
    inputs: JSON.stringify(inputs),
    localStorage: dump(localStorage),
    sessionStorage: dump(sessionStorage),
    indexedDB: JSON.stringify(idb),
  };
})()`;

async function pageContents(page: Page): Promise<Record<string, string>> {
  return page.evaluate<Record<string, string>>(PAGE_CONTENTS);
}

/** Every file under a folder, as text (binary files too: a key would show as its bytes). */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[full] = readFileSync(full).toString('latin1');
    }
  };
  walk(dir);
  return out;
}

/** Which recorded places hold the secret (also its middle part, in case it was cut or masked). */
function leaks(places: Record<string, string>, secret: string): string[] {
  const middle = secret.slice(6, -6);
  return Object.entries(places)
    .filter(([, text]) => text.includes(secret) || text.includes(middle))
    .map(([where]) => where);
}

test('first run: wrong key, good key, balance, restart, forget; the key leaks nowhere', async ({
  page,
}) => {
  const key = freshKey();
  const received: string[] = [];
  const sent: string[] = [];
  page.on('websocket', (socket) => {
    socket.on('framereceived', (frame) => received.push(String(frame.payload)));
    socket.on('framesent', (frame) => sent.push(String(frame.payload)));
  });
  const output: string[] = [];
  const first = await accountShell(output);
  const shells: RunningShell[] = [first];
  const snapshots: Record<string, string> = {};
  const files: Record<string, string> = {};
  /** The shell removes its folders when it exits: read them first. */
  const stop = async (shell: RunningShell) => {
    if (shell.process.exitCode !== null) return;
    Object.assign(files, filesUnder(shell.dataDir), filesUnder(shell.libraryDir));
    await stopShell(shell);
  };
  const snap = async (label: string) => {
    for (const [k, v] of Object.entries(await pageContents(page))) snapshots[`${label} ${k}`] = v;
  };

  try {
    // First run: the welcome screen, two sentences on what Atelier does and costs.
    await openApp(page, first);
    await expect(welcome(page)).toBeVisible();
    await expect(page.locator('.welcome__lead')).toContainText(/credits/);
    await expect(page.getByRole('link', { name: 'Get a key' })).toHaveAttribute(
      'href',
      'https://platform.stability.ai/account/keys',
    );
    await expect(keyField(page)).toHaveAttribute('type', 'password');
    await allowSessionOnlyIfNeeded(page);

    // Not shaped like a key: the core's sentence, nothing sent to Stability.
    await keyField(page).fill('my key is 1234');
    await page.getByRole('button', { name: 'Test key' }).click();
    await expect(answer(page)).toHaveText(/has a space or a line break|starts with "sk-"/);
    await keyField(page).fill('sk-short');
    await page.getByRole('button', { name: 'Save key' }).click();
    await expect(answer(page)).toHaveText(/too short to be a Stability API key/);
    await expect(welcome(page)).toBeVisible();

    // Well formed but refused by Stability (the Sandbox refuses its bad key with 401).
    await keyField(page).fill(SANDBOX_BAD_KEY);
    await page.getByRole('button', { name: 'Test key' }).click();
    await expect(answer(page)).toHaveText(/Stability did not accept this key/);
    await expect(answer(page)).not.toContainText(/401/);

    // The good key, pasted with spaces around it, shown then hidden again.
    await keyField(page).fill(`  ${key}\n`);
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(keyField(page)).toHaveAttribute('type', 'text');
    await page.getByRole('button', { name: 'Hide' }).click();
    await page.getByRole('button', { name: 'Test key' }).click();
    await expect(answer(page)).toHaveText('The key works. Your Stability account has 321 credits.');
    await page.getByRole('button', { name: 'Save key' }).click();

    // The app, with the balance in the title bar; no Sandbox badge.
    await expect(page.getByRole('navigation', { name: 'Places' })).toBeVisible();
    await expect(credits(page)).toHaveText('321 credits');
    await expect(page.getByTestId('sandbox-badge')).toHaveCount(0);
    await snap('after save');

    // A job's worth of credits spent elsewhere: clicking the figure fetches it fresh.
    sandbox.ledger.set(296);
    await credits(page).click();
    await expect(credits(page)).toHaveText('296 credits');

    // A generation through the Create place.
    const prompt = page.getByRole('textbox', { name: /^Prompt/ });
    await prompt.fill('a quiet harbour at dawn');
    await page.getByRole('button', { name: /Make 1 image/ }).click();
    await expect(page.locator('[data-testid=job][data-state=done] img')).toHaveCount(1, {
      timeout: 30_000,
    });
    // The job was charged: the title bar fetched the balance again by itself.
    await expect(credits(page)).not.toHaveText('296 credits');
    expect(sandbox.ledger.balance).toBeLessThan(296);

    // Settings: last four, where it is kept, Test; a failing test (Stability answering 503).
    await openSettings(page);
    const account = page.getByRole('region', { name: 'Stability account' });
    await expect(account).toContainText(`Key ending in ${key.slice(-4)}`);
    if (SECRET_SERVICE) await expect(account).toContainText('stored in your system keychain');
    await account.getByRole('button', { name: 'Test', exact: true }).click();
    await expect(account.getByRole('status')).toHaveText(/The key works/);
    // Stability failing (every request answered 503): a sentence, not a status code.
    sandbox.setFaults({ error503: 1 });
    await account.getByRole('button', { name: 'Test', exact: true }).click();
    await expect(account.getByRole('status')).toHaveText(/^(?!The key works).*\w.*\.$/);
    await expect(account.getByRole('status')).not.toHaveText(/^\d+$/);
    sandbox.setFaults({});
    // Replace with a wrong key: refused plainly, the stored key stays.
    await account.getByRole('button', { name: 'Replace' }).click();
    await account.getByRole('textbox', { name: 'Stability API key' }).fill(SANDBOX_BAD_KEY);
    await account.getByRole('button', { name: 'Test key' }).click();
    await expect(account.locator('.key-form__answer')).toHaveText(/did not accept this key/);
    await account.getByRole('button', { name: 'Cancel' }).click();
    await expect(account).toContainText(`Key ending in ${key.slice(-4)}`);
    // Sandbox on and off from Settings (this also writes settings.json, which the leak check reads).
    const toggle = account.getByRole('switch', { name: 'Sandbox mode' });
    await toggle.check();
    await expect(page.getByTestId('sandbox-badge')).toBeVisible();
    await expect(credits(page)).toHaveText('1,000 credits');
    await toggle.uncheck();
    await expect(page.getByTestId('sandbox-badge')).toHaveCount(0);
    await expect(credits(page)).not.toHaveText('1,000 credits');
    await snap('settings');

    if (SECRET_SERVICE) {
      // A restart of the core (a new shell, a new data folder): the key is still in the keychain.
      await stop(first);
      const second = await accountShell(output);
      shells.push(second);
      await openApp(page, second);
      await expect(page.getByRole('navigation', { name: 'Places' })).toBeVisible();
      await expect(credits(page)).toHaveText(/credits$/);
      await openSettings(page);
    }

    // Forget: the welcome screen again.
    await page
      .getByRole('region', { name: 'Stability account' })
      .getByRole('button', { name: 'Forget' })
      .click();
    await expect(welcome(page)).toBeVisible();
    await expect(credits(page)).toHaveCount(0);
    await snap('after forget');
  } finally {
    for (const shell of shells) await stop(shell);
  }

  // The recorder saw the session: frames both ways (the key went up to the core, as it must), a
  // real DOM, and the shell's output.
  expect(received.length).toBeGreaterThan(20);
  expect(sent.some((frame) => frame.includes('"key.set"'))).toBe(true);
  expect(sent.some((frame) => frame.includes(key))).toBe(true);
  expect(snapshots['after save dom']).toContain('Atelier');
  expect(snapshots['settings dom']).toContain('Stability account');
  expect(output.join('')).toMatch(/Atelier: api: GET \/v1\/user\/balance 200/);

  const places: Record<string, string> = {
    ...Object.fromEntries(received.map((frame, i) => [`received frame ${i}`, frame])),
    ...snapshots,
    'shell output': output.join(''),
    ...files,
  };
  expect(Object.keys(files).some((name) => name.endsWith('settings.json'))).toBe(true);
  expect(leaks(places, key)).toEqual([]);
});

test('the Sandbox path: no key, the badge in the title bar, Sandbox credits', async ({ page }) => {
  const output: string[] = [];
  const shell = await accountShell(output);
  try {
    await openApp(page, shell);
    await expect(welcome(page)).toBeVisible();
    await page.getByRole('button', { name: 'Try the Sandbox' }).click();
    await expect(page.getByTestId('sandbox-badge')).toBeVisible();
    await expect(page.getByTestId('sandbox-badge')).toHaveText('Sandbox');
    await expect(credits(page)).toHaveText('1,000 credits');

    const prompt = page.getByRole('textbox', { name: /^Prompt/ });
    await prompt.fill('a red kite over the hills');
    await page.getByRole('button', { name: /Make 1 image/ }).click();
    const done = page.locator('[data-testid=job][data-state=done]');
    await expect(done.locator('img')).toHaveCount(1, { timeout: 30_000 });
    // Pretend credits are counted too, and the title bar follows after the job.
    await expect(credits(page)).not.toHaveText('1,000 credits');
    // The library records it as a Sandbox image (its sidecar says so).
    await expect
      .poll(() =>
        Object.entries(filesUnder(shell.libraryDir)).some(
          ([name, text]) => name.endsWith('.json') && /"sandbox":\s*true/.test(text),
        ),
      )
      .toBe(true);

    // Every place keeps the badge; Settings turns the Sandbox off, and with no key: welcome.
    await openSettings(page);
    await expect(page.getByTestId('sandbox-badge')).toBeVisible();
    const toggle = page.getByRole('switch', { name: 'Sandbox mode' });
    await expect(toggle).toBeChecked();
    // A click, not uncheck(): turning the Sandbox off with no key replaces Settings by the welcome
    // screen at once, so the switch is gone before uncheck() could read its new state.
    await toggle.click();
    await expect(welcome(page)).toBeVisible();
    await expect(page.getByTestId('sandbox-badge')).toHaveCount(0);
  } finally {
    await stopShell(shell);
  }
});

test('screenshots: the welcome screen and Settings > Stability account', async ({ page }) => {
  mkdirSync('test-results/screenshots', { recursive: true });
  const output: string[] = [];
  const shell = await accountShell(output);
  try {
    await openApp(page, shell);
    for (const [width, height] of [
      [1280, 800],
      [900, 600],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await expect(welcome(page)).toBeVisible();
        await page.screenshot({
          path: `test-results/screenshots/welcome-${scheme}-${width}x${height}.png`,
        });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    sandbox.ledger.set(321);
    await keyField(page).fill(freshKey());
    await allowSessionOnlyIfNeeded(page);
    await page.getByRole('button', { name: 'Save key' }).click();
    await expect(credits(page)).toHaveText('321 credits');
    await openSettings(page);
    const account = page.getByRole('region', { name: 'Stability account' });
    for (const [width, height] of [
      [1280, 800],
      [900, 600],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await account.scrollIntoViewIfNeeded();
        await expect(page.getByTestId('settings-credits')).toHaveText('321');
        await page.screenshot({
          path: `test-results/screenshots/settings-account-${scheme}-${width}x${height}.png`,
        });
      }
    }
    await account.getByRole('button', { name: 'Forget' }).click();
    await expect(welcome(page)).toBeVisible();
  } finally {
    await stopShell(shell);
  }
});
