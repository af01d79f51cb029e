import { useRef, type KeyboardEvent } from 'react';
import { Icon } from '../ui/Icon';
import { useNavigation } from '../state';
import { PLACES, PLACE_LABELS } from './places';
import { shortcutLabel, usesCommandKey } from './platform';

/**
 * The places, as a nav landmark. Every place is a button in the Tab order; Up/Down (and Home/End)
 * move between them; Enter or Space opens one; Ctrl/Cmd+1..4 work from anywhere (see App).
 */
export function Sidebar() {
  const place = useNavigation((s) => s.place);
  const goTo = useNavigation((s) => s.goTo);
  const list = useRef<HTMLUListElement>(null);
  const modifier = usesCommandKey() ? 'Meta' : 'Control';

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const buttons = [...(list.current?.querySelectorAll('button') ?? [])];
    const index = buttons.findIndex((b) => b === document.activeElement);
    if (index < 0) return;
    let next: number | null = null;
    if (event.key === 'ArrowDown') next = (index + 1) % buttons.length;
    else if (event.key === 'ArrowUp') next = (index - 1 + buttons.length) % buttons.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = buttons.length - 1;
    if (next === null) return;
    event.preventDefault();
    buttons[next]?.focus();
  }

  return (
    <nav className="sidebar" aria-label="Places">
      <ul className="sidebar__list" ref={list} onKeyDown={onKeyDown}>
        {PLACES.map((p, i) => (
          <li key={p}>
            <button
              type="button"
              className="sidebar__item"
              aria-current={p === place ? 'page' : undefined}
              aria-keyshortcuts={`${modifier}+${i + 1}`}
              title={`${PLACE_LABELS[p]} (${shortcutLabel(i + 1)})`}
              onClick={() => goTo(p)}
            >
              <Icon name={p} />
              <span className="sidebar__label">{PLACE_LABELS[p]}</span>
              <kbd className="sidebar__key" aria-hidden="true">
                {shortcutLabel(i + 1)}
              </kbd>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
