import { formatCredits, needsOnboarding, useAccount } from '../state';

/**
 * The slim bar across the top: the app's name, and on the right what must always be visible: the
 * Sandbox badge while Sandbox mode is on, and the credit balance (click to refresh).
 */
export function TitleBar() {
  return (
    <header className="titlebar">
      <div className="titlebar__brand">
        <svg
          className="titlebar__mark"
          width="16"
          height="16"
          viewBox="0 0 16 16"
          aria-hidden="true"
        >
          <rect width="16" height="16" rx="4" fill="currentColor" />
          <path
            d="M4 11.5 8 4l4 7.5"
            fill="none"
            stroke="#fff"
            strokeWidth="1.6"
            strokeLinejoin="round"
          />
          <path d="M5.8 9h4.4" stroke="#fff" strokeWidth="1.4" opacity="0.7" />
        </svg>
        <span className="titlebar__name">Atelier</span>
      </div>
      <div className="titlebar__status" data-slot="status">
        <SandboxBadge />
        <Credits />
      </div>
    </header>
  );
}

function SandboxBadge() {
  const on = useAccount((s) => s.account?.sandbox === true);
  if (!on) return null;
  return (
    <span
      className="badge badge--sandbox"
      data-testid="sandbox-badge"
      title="Sandbox mode is on: no key, no cost. Images are generated patterns, marked Sandbox. Turn it off in Settings."
    >
      Sandbox
    </span>
  );
}

function Credits() {
  const account = useAccount((s) => s.account);
  const credits = useAccount((s) => s.credits);
  const error = useAccount((s) => s.creditsError);
  const refreshing = useAccount((s) => s.refreshing);
  const refresh = useAccount((s) => s.refreshCredits);
  if (account === null || needsOnboarding(account)) return null;
  if (!account.sandbox && !account.key.hasKey) return null;
  const what = account.sandbox ? 'Sandbox credits' : 'Credits';
  const shown =
    credits !== null ? `${formatCredits(credits)} credits` : error ? 'Credits unknown' : 'Credits…';
  const label =
    credits !== null
      ? `${what}: ${formatCredits(credits)}. Refresh`
      : error
        ? `${what} unknown: ${error} Refresh`
        : `${what}: loading. Refresh`;
  return (
    <button
      type="button"
      className="titlebar__credits"
      data-testid="credits"
      aria-label={label}
      title={error ?? `${what}. Click to refresh.`}
      aria-busy={refreshing || undefined}
      // Out of the Tab order, so Tab from the top reaches the places first; Settings has the same
      // figure with a Refresh button for the keyboard.
      tabIndex={-1}
      onClick={() => void refresh()}
    >
      {shown}
    </button>
  );
}
