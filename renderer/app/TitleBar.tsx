/**
 * The slim bar across the top: the app's name, and a slot on the right for what must always be
 * visible (the Sandbox badge and the credit balance arrive there with the account feature).
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
      <div className="titlebar__status" data-slot="status" />
    </header>
  );
}
