/**
 * The slim bar across the top: the app's name, and a slot on the right for what must always be
 * visible (the Sandbox badge and the credit balance arrive there with the account feature).
 */
export function TitleBar() {
  return (
    <header className="titlebar">
      <div className="titlebar__brand">
        <span className="titlebar__mark" aria-hidden="true" />
        <span className="titlebar__name">Atelier</span>
      </div>
      <div className="titlebar__status" data-slot="status" />
    </header>
  );
}
