import { Icon } from '../ui/Icon';
import { useApp } from '../state';

/** Says so when the window cannot reach the app's core, with a way to try again. */
export function ConnectionBanner() {
  const connection = useApp((s) => s.connection);
  const reconnect = useApp((s) => s.reconnect);
  if (connection.status !== 'offline') return null;
  return (
    <div className="banner" role="alert">
      <Icon name="warning" size={16} />
      <p className="banner__text">
        {connection.message ?? "Atelier can't reach the app's core right now."}
      </p>
      <button type="button" className="button button--small" onClick={reconnect}>
        Try again
      </button>
    </div>
  );
}
