/**
 * The account in the renderer, over an in-memory core: the welcome screen gates the app while
 * there is no key and Sandbox mode is off; a key is tested and saved (and cleared from the field);
 * the Sandbox badge and credits sit in the title bar; Settings replaces, forgets and tests the key;
 * the "asks first" helper for a run that costs more than the balance.
 */
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AtelierError,
  DEFAULT_API_ADDRESS,
  type AccountState,
  type CallName,
  type CallRequest,
  type CallResponse,
  type KeyStatus,
} from '../../../shared/api';
import { App } from '../../../renderer/app/App';
import {
  confirmRun,
  connectStores,
  overBalanceQuestion,
  useAccount,
  useNavigation,
  useSettings,
} from '../../../renderer/state';
import { generateCostRange } from '../../../renderer/features/onboarding/Welcome';
import { FakeCore } from '../fakes';

const GOOD = 'sk-good000000000000000000000000000000000000000000000000';
const BAD = 'sk-bad0000000000000000000000000000000000000000000000000';

/** A core whose keys are bound to the API address they were entered for, as the real vault's. */
class AccountCore extends FakeCore {
  keys = new Map<string, string>();
  credits = 120;
  keychainProblem: string | undefined;

  get address(): string {
    return this.settings.apiBaseUrl ?? DEFAULT_API_ADDRESS;
  }

  get stored(): string | null {
    return this.keys.get(this.address) ?? null;
  }

  set stored(key: string | null) {
    if (key === null) this.keys.delete(this.address);
    else this.keys.set(this.address, key);
  }

  status(): KeyStatus {
    const status: KeyStatus = {
      address: this.address,
      hasKey: this.stored !== null,
      last4: this.stored?.slice(-4) ?? null,
      source: this.stored !== null ? 'keychain' : null,
      keychain: this.keychainProblem ? 'unavailable' : 'available',
    };
    if (this.keychainProblem) status.keychainProblem = this.keychainProblem;
    return status;
  }

  state(): AccountState {
    return { key: this.status(), sandbox: this.settings.sandboxMode, credits: null };
  }

  override invoke<C extends CallName>(call: C, request: CallRequest<C>): Promise<CallResponse<C>> {
    const answer = (value: unknown) => Promise.resolve(value as CallResponse<C>);
    const r = request as { key?: string; sessionOnly?: boolean };
    switch (call) {
      case 'account.get':
        this.calls.push({ call, request });
        return answer(this.state());
      case 'account.balance':
        this.calls.push({ call, request });
        return answer({ credits: this.credits, sandbox: this.settings.sandboxMode });
      case 'key.test':
        this.calls.push({ call, request });
        if (r.key === '')
          return answer({
            ok: false,
            problem: 'format',
            message: 'Paste your Stability API key first.',
          });
        return answer(
          (r.key ?? this.stored) === GOOD
            ? {
                ok: true,
                credits: this.credits,
                message: `The key works. Your Stability account has ${this.credits} credits.`,
              }
            : { ok: false, problem: 'invalid', message: 'Stability did not accept this key.' },
        );
      case 'key.set':
        this.calls.push({ call, request });
        if (!r.key?.startsWith('sk-'))
          return Promise.reject(
            new AtelierError({
              code: 'invalid_key_format',
              message: 'A Stability API key starts with "sk-".',
            }),
          );
        if (this.keychainProblem && !r.sessionOnly)
          return Promise.reject(
            new AtelierError({ code: 'keychain_unavailable', message: this.keychainProblem }),
          );
        this.stored = r.key;
        this.emit('account.changed', this.state());
        return answer(this.status());
      case 'key.forget':
        this.calls.push({ call, request });
        this.stored = null;
        this.emit('account.changed', this.state());
        return answer(this.status());
      case 'settings.set': {
        const result = super.invoke(call, request);
        this.emit('account.changed', this.state());
        return result;
      }
      default:
        return super.invoke(call, request);
    }
  }
}

let core: AccountCore;
let disconnect: () => void;

function start() {
  disconnect = connectStores(core);
  const user = userEvent.setup();
  render(<App />);
  return user;
}

beforeEach(() => {
  useNavigation.setState({ place: 'create', focusRequest: 0 });
  useSettings.setState({ settings: null, loadError: null, errors: {}, saving: {} });
  useAccount.setState({
    account: null,
    loadError: null,
    credits: null,
    creditsError: null,
    refreshing: false,
  });
  core = new AccountCore();
});

afterEach(() => {
  cleanup();
  disconnect();
});

const keyInput = () => screen.getByLabelText('Stability API key');

describe('first run', () => {
  it('shows the welcome screen with no key and Sandbox off; a wrong key gets a sentence; a good key opens the app', async () => {
    const user = start();
    expect(await screen.findByRole('heading', { name: 'Welcome to Atelier' })).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: 'Places' })).toBeNull();
    const link = screen.getByRole('link', { name: 'Get a key' });
    expect(link.getAttribute('href')).toBe('https://platform.stability.ai/account/keys');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');

    const input = keyInput() as HTMLInputElement;
    expect(input.type).toBe('password');
    await user.click(screen.getByRole('button', { name: 'Show' }));
    expect(input.type).toBe('text');
    await user.click(screen.getByRole('button', { name: 'Hide' }));
    expect(input.type).toBe('password');

    await user.type(input, `  ${BAD} `);
    await user.click(screen.getByRole('button', { name: 'Test key' }));
    expect(await screen.findByText('Stability did not accept this key.')).toBeTruthy();
    expect(core.calls.find((c) => c.call === 'key.test')?.request).toEqual({ key: BAD });

    await user.clear(input);
    await user.type(input, GOOD);
    await user.click(screen.getByRole('button', { name: 'Test key' }));
    expect(
      await screen.findByText('The key works. Your Stability account has 120 credits.'),
    ).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save key' }));

    expect(await screen.findByRole('navigation', { name: 'Places' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Welcome to Atelier' })).toBeNull();
    await waitFor(() => expect(screen.getByTestId('credits').textContent).toBe('120 credits'));
    expect(screen.queryByTestId('sandbox-badge')).toBeNull();
    expect(document.body.innerHTML).not.toContain(GOOD);
  });

  it('a malformed key on Save gets the core sentence and stays on the welcome screen', async () => {
    const user = start();
    await user.type(await screen.findByLabelText('Stability API key'), 'hello');
    await user.click(screen.getByRole('button', { name: 'Save key' }));
    expect(await screen.findByText('A Stability API key starts with "sk-".')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Welcome to Atelier' })).toBeTruthy();
  });

  it('Try the Sandbox: the frame with the Sandbox badge and Sandbox credits', async () => {
    const user = start();
    await user.click(await screen.findByRole('button', { name: 'Try the Sandbox' }));
    expect(await screen.findByTestId('sandbox-badge')).toBeTruthy();
    expect(core.settings.sandboxMode).toBe(true);
    await waitFor(() => expect(screen.getByTestId('credits').textContent).toBe('120 credits'));
    core.credits = 96;
    await user.click(screen.getByTestId('credits'));
    await waitFor(() => expect(screen.getByTestId('credits').textContent).toBe('96 credits'));
  });

  it('an unusable keychain is said plainly and the key can be kept for this session only', async () => {
    core.keychainProblem = "Atelier can't reach your system keychain (it is locked).";
    const user = start();
    expect(await screen.findByText(core.keychainProblem)).toBeTruthy();
    const save = screen.getByRole<HTMLButtonElement>('button', { name: 'Save key' });
    expect(save.disabled).toBe(true);
    await user.type(keyInput(), GOOD);
    await user.click(screen.getByRole('checkbox', { name: 'Keep the key for this session only' }));
    await user.click(save);
    expect(core.calls.find((c) => c.call === 'key.set')?.request).toEqual({
      key: GOOD,
      sessionOnly: true,
    });
    expect(await screen.findByRole('navigation', { name: 'Places' })).toBeTruthy();
  });
});

describe('Settings, Stability account', () => {
  it('shows the last four, tests, replaces and forgets the key (back to the welcome screen)', async () => {
    core.stored = GOOD;
    const user = start();
    await user.click(await screen.findByRole('button', { name: /Settings/ }));
    const section = within(screen.getByRole('region', { name: 'Stability account' }));
    expect(section.getByText(GOOD.slice(-4))).toBeTruthy();
    await user.click(section.getByRole('button', { name: 'Test' }));
    expect(await section.findByText(/The key works/)).toBeTruthy();
    await user.click(section.getByRole('button', { name: 'Replace' }));
    expect(section.getByLabelText('Stability API key')).toBeTruthy();
    await user.click(section.getByRole('button', { name: 'Cancel' }));
    await user.click(section.getByRole('switch', { name: 'Sandbox mode' }));
    expect(await screen.findByTestId('sandbox-badge')).toBeTruthy();
    await user.click(section.getByRole('switch', { name: 'Sandbox mode' }));
    await waitFor(() => expect(screen.queryByTestId('sandbox-badge')).toBeNull());
    await user.click(section.getByRole('button', { name: 'Forget' }));
    expect(await screen.findByRole('heading', { name: 'Welcome to Atelier' })).toBeTruthy();
  });
});

describe('the API address', () => {
  it('after a change of address the app asks for the key for that address, and can go back', async () => {
    core.stored = GOOD;
    const user = start();
    await user.click(await screen.findByRole('button', { name: /Settings/ }));
    const address = screen.getByRole('textbox', { name: 'API address' });
    expect(
      screen.getByText(/Your key is sent only to the address it was entered for/),
    ).toBeTruthy();
    await user.type(address, 'https://proxy.example.com{Enter}');

    // No key for the new address: the welcome screen says so, names the address, offers the way back.
    expect(
      await screen.findByRole('heading', { name: 'Enter the key for this API address' }),
    ).toBeTruthy();
    const note = screen.getByRole('note');
    expect(note.textContent).toContain('https://proxy.example.com');
    expect(note.textContent).toMatch(/sent only to the address it was entered for/);
    expect(screen.getByText(/only ever sent to/).textContent).toContain(
      'https://proxy.example.com',
    );

    await user.click(screen.getByRole('button', { name: 'Reset the API address' }));
    expect(await screen.findByRole('navigation', { name: 'Places' })).toBeTruthy();
    expect(core.settings.apiBaseUrl).toBeNull();
    expect(core.keys.get(DEFAULT_API_ADDRESS)).toBe(GOOD);
  });

  it('a key entered for another address is shown with that address in Settings', async () => {
    core.settings.apiBaseUrl = 'https://proxy.example.com';
    const user = start();
    expect(
      await screen.findByRole('heading', { name: 'Enter the key for this API address' }),
    ).toBeTruthy();
    await user.type(keyInput(), GOOD);
    await user.click(screen.getByRole('button', { name: 'Save key' }));
    await user.click(await screen.findByRole('button', { name: /Settings/ }));
    const section = within(screen.getByRole('region', { name: 'Stability account' }));
    expect(section.getByText(/, for/).textContent).toContain('https://proxy.example.com');
    expect(core.keys.get('https://proxy.example.com')).toBe(GOOD);
    expect(core.keys.has(DEFAULT_API_ADDRESS)).toBe(false);
  });
});

describe('cost and balance', () => {
  it('fetches the balance again after a job is done (once per job)', async () => {
    core.stored = GOOD;
    start();
    await waitFor(() => expect(screen.getByTestId('credits').textContent).toBe('120 credits'));
    core.credits = 117;
    const job = {
      id: 'j1',
      kind: 'generate',
      endpoint: 'generate.core',
      params: {},
      createdAt: 1,
      updatedAt: 2,
      state: 'done' as const,
      attempts: 1,
      mayHaveBeenCharged: true,
    };
    core.emit('jobs.changed', { ...job, state: 'generating' });
    core.emit('jobs.changed', job);
    core.emit('jobs.changed', job);
    await waitFor(() => expect(screen.getByTestId('credits').textContent).toBe('117 credits'));
    expect(core.calls.filter((c) => c.call === 'account.balance')).toHaveLength(2);
  });

  it('asks first only when a run costs more than the known balance', async () => {
    useAccount.setState({
      credits: 10,
      account: {
        key: {
          address: DEFAULT_API_ADDRESS,
          hasKey: true,
          last4: 'abcd',
          source: 'keychain',
          keychain: 'available',
        },
        sandbox: false,
        credits: 10,
      },
    });
    expect(overBalanceQuestion(8)).toBeNull();
    expect(overBalanceQuestion(10)).toBeNull();
    expect(overBalanceQuestion(24)).toMatch(/costs 24 credits and your balance is 10 credits/);
    const ask = vi.fn(() => false);
    expect(await confirmRun(8, ask)).toBe(true);
    expect(ask).not.toHaveBeenCalled();
    expect(await confirmRun(24, ask)).toBe(false);
    expect(ask).toHaveBeenCalledOnce();
    expect(await confirmRun(24, () => true)).toBe(true);
    useAccount.setState({ credits: null });
    expect(overBalanceQuestion(1000)).toBeNull();
  });

  it('the welcome sentence takes its cost range from the endpoint table', () => {
    const [low, high] = generateCostRange();
    expect(low).toBeGreaterThan(0);
    expect(high).toBeGreaterThanOrEqual(low);
  });
});
