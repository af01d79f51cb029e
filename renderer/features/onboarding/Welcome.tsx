import { useState } from 'react';
import { DEFAULT_API_ADDRESS } from '../../../shared/api';
import { ENDPOINTS, type EndpointSpec } from '../../../shared/endpoints';
import { messageOf, useAccount, useSettings } from '../../state';
import { KeyForm } from './KeyForm';

/** The cheapest and dearest single image among the generate endpoints, from the endpoint table. */
export function generateCostRange(
  specs: readonly EndpointSpec[] = Object.values(ENDPOINTS),
): [number, number] {
  const costs = specs
    .filter((spec) => spec.family === 'generate')
    .flatMap((spec) =>
      typeof spec.credits === 'number' ? [spec.credits] : Object.values(spec.credits.byModel),
    )
    .filter((cost) => cost > 0);
  if (costs.length === 0) return [0, 0];
  return [Math.min(...costs), Math.max(...costs)];
}

/**
 * The first-run screen, shown while there is no key and Sandbox mode is off: what Atelier does and
 * what it costs, paste a key, or try the Sandbox.
 */
export function Welcome() {
  const keychainProblem = useAccount((s) => s.account?.key.keychainProblem);
  const address = useAccount((s) => s.account?.key.address ?? DEFAULT_API_ADDRESS);
  const addressSetting = useSettings((s) => s.settings?.apiBaseUrl ?? null);
  const updateSettings = useSettings((s) => s.update);
  const otherAddress = address !== DEFAULT_API_ADDRESS;
  const setSandbox = useAccount((s) => s.setSandbox);
  const [sandboxError, setSandboxError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [low, high] = generateCostRange();

  async function trySandbox() {
    setStarting(true);
    setSandboxError(null);
    try {
      const ok = await setSandbox(true);
      if (!ok) setSandboxError('Atelier could not turn on the Sandbox. Try again.');
    } catch (error) {
      setSandboxError(messageOf(error));
    } finally {
      setStarting(false);
    }
  }

  return (
    <main className="welcome" aria-labelledby="welcome-title">
      <div className="welcome__card">
        <h1 className="welcome__title" id="welcome-title">
          Welcome to Atelier
        </h1>
        <p className="welcome__lead">
          Atelier makes images with Stability AI from your words and pictures, and keeps every
          result in a plain folder on your computer. It uses your own Stability account: each image
          costs {low} to {high} credits (about ${(low / 100).toFixed(2)} to $
          {(high / 100).toFixed(2)}), and Atelier shows the cost before you run anything.
        </p>

        <section className="welcome__section" aria-labelledby="welcome-key-heading">
          <h2 className="welcome__heading" id="welcome-key-heading">
            {otherAddress ? 'Enter the key for this API address' : 'Use your Stability API key'}
          </h2>
          {otherAddress ? (
            <div className="welcome__address" role="note">
              <p>
                Atelier sends its requests to <span className="mono">{address}</span>. A key is sent
                only to the address it was entered for, so paste the key to use with this one. Keys
                you entered for other addresses stay where they are.
              </p>
              {addressSetting !== null ? (
                <button
                  type="button"
                  className="button"
                  onClick={() => void updateSettings({ apiBaseUrl: null })}
                >
                  Reset the API address
                </button>
              ) : null}
            </div>
          ) : null}
          <KeyForm keychainProblem={keychainProblem} autoFocus />
          <p className="welcome__fine">
            The key is kept in your system keychain and is only ever sent to{' '}
            {otherAddress ? <span className="mono">{address}</span> : 'Stability'}.
          </p>
        </section>

        <div className="welcome__or" aria-hidden="true">
          <span>or</span>
        </div>

        <section className="welcome__section" aria-labelledby="welcome-sandbox-heading">
          <h2 className="welcome__heading" id="welcome-sandbox-heading">
            Just looking?
          </h2>
          <div className="welcome__sandbox">
            <p className="muted">
              The Sandbox needs no key and costs nothing. Its images are generated patterns, clearly
              marked Sandbox.
            </p>
            <button
              type="button"
              className="button"
              disabled={starting}
              onClick={() => void trySandbox()}
            >
              Try the Sandbox
            </button>
          </div>
          {sandboxError ? (
            <p className="field-error" role="alert">
              {sandboxError}
            </p>
          ) : null}
        </section>
      </div>
    </main>
  );
}
