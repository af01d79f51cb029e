import { useState } from 'react';
import { DEFAULT_API_ADDRESS, type KeyStatus } from '../../../shared/api';
import { formatCredits, messageOf, useAccount, useSettings } from '../../state';
import { KeyForm } from '../onboarding/KeyForm';
import { SettingRow } from './SettingRow';

function whereKept(key: KeyStatus): string {
  switch (key.source) {
    case 'env':
      return 'from the STABILITY_API_KEY environment variable, for this run only';
    case 'session':
      return 'kept for this session only';
    default:
      return 'stored in your system keychain';
  }
}

type Answer = { tone: 'ok' | 'error'; text: string } | null;

/** What the API key row says: which key, where it is kept, and the address it goes to. */
function describeKey(key: KeyStatus) {
  const other = key.address !== DEFAULT_API_ADDRESS;
  if (!key.hasKey) {
    return other ? (
      <>
        No key for <span className="mono">{key.address}</span> yet. A key is sent only to the
        address it was entered for: paste the key to use with this address.
      </>
    ) : (
      'No key yet. Paste the key from your Stability account to make real images.'
    );
  }
  return (
    <>
      Key ending in <span className="mono">{key.last4}</span>, {whereKept(key)}
      {other ? (
        <>
          , for <span className="mono">{key.address}</span>
        </>
      ) : null}
      .
    </>
  );
}

/** Settings → Stability account: the key (last four, Test, Replace, Forget), Sandbox, credits. */
export function AccountSection() {
  const account = useAccount((s) => s.account);
  const loadError = useAccount((s) => s.loadError);
  const credits = useAccount((s) => s.credits);
  const creditsError = useAccount((s) => s.creditsError);
  const refreshing = useAccount((s) => s.refreshing);
  const refreshCredits = useAccount((s) => s.refreshCredits);
  const testKey = useAccount((s) => s.testKey);
  const forgetKey = useAccount((s) => s.forgetKey);
  const setSandbox = useAccount((s) => s.setSandbox);
  const sandboxError = useSettings((s) => s.errors.sandboxMode);
  const sandboxSaving = useSettings((s) => s.saving.sandboxMode === true);
  const savedSandbox = useSettings((s) => s.settings?.sandboxMode);
  // The switch shows the choice at once, then settles to what the core answers.
  const [pendingSandbox, setPendingSandbox] = useState<boolean | null>(null);
  const [replacing, setReplacing] = useState(false);
  const [busy, setBusy] = useState<'test' | 'forget' | null>(null);
  const [answer, setAnswer] = useState<Answer>(null);

  if (!account) {
    return (
      <section className="settings__section" aria-labelledby="account-heading">
        <h2 className="settings__heading" id="account-heading">
          Stability account
        </h2>
        <p className="muted">{loadError ?? 'Loading…'}</p>
      </section>
    );
  }

  const key = account.key;

  async function test() {
    setBusy('test');
    setAnswer(null);
    try {
      const result = await testKey();
      setAnswer({ tone: result.ok ? 'ok' : 'error', text: result.message });
      if (result.ok) void refreshCredits();
    } catch (error) {
      setAnswer({ tone: 'error', text: messageOf(error) });
    } finally {
      setBusy(null);
    }
  }

  async function forget() {
    setBusy('forget');
    setAnswer(null);
    try {
      const status = await forgetKey();
      setReplacing(false);
      setAnswer(
        status.hasKey
          ? {
              tone: 'error',
              text: 'The key from STABILITY_API_KEY stays for this run. Remove the variable and restart Atelier to stop using it.',
            }
          : { tone: 'ok', text: 'The key is forgotten.' },
      );
    } catch (error) {
      setAnswer({ tone: 'error', text: messageOf(error) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="settings__section" aria-labelledby="account-heading">
      <h2 className="settings__heading" id="account-heading">
        Stability account
      </h2>
      <div className="setting-group">
        <SettingRow
          id="api-key"
          label="API key"
          description={describeKey(key)}
          wide={replacing || !key.hasKey}
        >
          <div className="stack">
            {replacing || !key.hasKey ? (
              <KeyForm
                keychainProblem={key.keychainProblem}
                onSaved={() => {
                  setReplacing(false);
                  setAnswer({ tone: 'ok', text: 'Key saved.' });
                }}
                {...(key.hasKey ? { onCancel: () => setReplacing(false) } : {})}
              />
            ) : (
              <div className="button-row">
                <button
                  type="button"
                  className="button"
                  disabled={busy !== null}
                  onClick={() => void test()}
                >
                  {busy === 'test' ? 'Testing…' : 'Test'}
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={busy !== null}
                  onClick={() => {
                    setAnswer(null);
                    setReplacing(true);
                  }}
                >
                  Replace
                </button>
                <button
                  type="button"
                  className="button button--danger"
                  disabled={busy !== null}
                  onClick={() => void forget()}
                >
                  Forget
                </button>
              </div>
            )}
            <p
              className={
                answer ? `setting__answer setting__answer--${answer.tone}` : 'setting__answer'
              }
              role="status"
              aria-live="polite"
            >
              {answer?.text ?? ''}
            </p>
          </div>
        </SettingRow>
        {key.keychainProblem && key.hasKey ? (
          <div className="setting setting--note" role="note">
            {key.keychainProblem}
          </div>
        ) : null}
        <SettingRow
          id="sandbox"
          label="Sandbox mode"
          description="Requests go to a Sandbox on this computer: no key, no cost. Its images are generated patterns, marked Sandbox in the library."
          error={sandboxError?.message}
        >
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              aria-labelledby="sandbox-label"
              aria-describedby="sandbox-description"
              checked={pendingSandbox ?? savedSandbox ?? account.sandbox}
              disabled={sandboxSaving}
              onChange={(event) => {
                const on = event.target.checked;
                setPendingSandbox(on);
                void setSandbox(on).finally(() => setPendingSandbox(null));
              }}
            />
            <span className="switch__track" aria-hidden="true" />
          </label>
        </SettingRow>
        {account.sandbox || key.hasKey ? (
          <SettingRow
            id="credits"
            label={account.sandbox ? 'Sandbox credits' : 'Credits'}
            description={
              creditsError ??
              (account.sandbox
                ? 'Pretend credits: the Sandbox counts what each image would cost.'
                : 'What is left on your Stability account.')
            }
          >
            <div className="button-row">
              <span className="credits-figure" data-testid="settings-credits">
                {credits !== null ? formatCredits(credits) : '—'}
              </span>
              <button
                type="button"
                className="button"
                disabled={refreshing}
                onClick={() => void refreshCredits()}
              >
                Refresh
              </button>
            </div>
          </SettingRow>
        ) : null}
      </div>
    </section>
  );
}
