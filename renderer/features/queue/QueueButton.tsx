import { useEffect } from 'react';
import { badgeCount, useQueue } from '../../state/queue';
import { Icon } from '../../ui/Icon';
import { usesCommandKey } from '../../app/platform';

export const QUEUE_PANEL_ID = 'queue-panel';
export const QUEUE_BUTTON_ID = 'queue-button';

/** Ctrl/Cmd+J ("jobs") opens and closes the Queue panel from anywhere. */
export function isQueueShortcut(event: KeyboardEvent): boolean {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return false;
  return event.code === 'KeyJ' || event.key.toLowerCase() === 'j';
}

/**
 * The way to the Queue panel, at the foot of the sidebar in every place: a badge with how many jobs
 * are running or waiting, "Paused" while the queue is paused, and Ctrl/Cmd+J.
 */
export function QueueButton() {
  const count = useQueue((s) => badgeCount(s.jobs));
  const paused = useQueue((s) => s.queue?.paused === true);
  const open = useQueue((s) => s.open);
  const toggle = useQueue((s) => s.toggle);
  const mac = usesCommandKey();

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (!isQueueShortcut(event)) return;
      event.preventDefault();
      useQueue.getState().toggle();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const counted = count === 1 ? '1 running or waiting' : `${count} running or waiting`;
  return (
    <button
      type="button"
      id={QUEUE_BUTTON_ID}
      className="sidebar__item queue-button"
      aria-label={`Queue: ${counted}${paused ? ', paused' : ''}`}
      aria-expanded={open}
      aria-controls={open ? QUEUE_PANEL_ID : undefined}
      aria-keyshortcuts={mac ? 'Meta+J' : 'Control+J'}
      title={`Queue (${mac ? '\u2318J' : 'Ctrl+J'})`}
      onClick={toggle}
    >
      <Icon name="queue" />
      <span className="sidebar__label">Queue</span>
      {paused ? <span className="queue-button__paused">Paused</span> : null}
      {count > 0 ? (
        <span className="queue-button__badge" data-testid="queue-badge" aria-hidden="true">
          {count}
        </span>
      ) : null}
    </button>
  );
}
