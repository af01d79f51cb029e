import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { Icon } from '../ui/Icon';
import { QueueButton } from '../features/queue/QueueButton';
import { useNavigation } from '../state';
import { carriesPicture } from '../ui/library-drag';
import { PLACES, PLACE_LABELS, type Place } from './places';
import { shortcutLabel, usesCommandKey } from './platform';

/**
 * The places, as a nav landmark. Every place is a button in the Tab order; Up/Down (and Home/End)
 * move between them; Enter or Space opens one; Ctrl/Cmd+1..4 work from anywhere (see App).
 * Spring-loaded: a picture dragged over a place (a file, or a tile of the Library) opens that place
 * after a short hover, so it can be dropped there (a Library tile into Create's drop zone).
 */
export function Sidebar() {
  const place = useNavigation((s) => s.place);
  const goTo = useNavigation((s) => s.goTo);
  const list = useRef<HTMLUListElement>(null);
  const modifier = usesCommandKey() ? 'Meta' : 'Control';
  const spring = useSpringLoading(goTo);

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
              data-drag-over={spring.hovered === p ? '' : undefined}
              aria-keyshortcuts={`${modifier}+${i + 1}`}
              title={`${PLACE_LABELS[p]} (${shortcutLabel(i + 1)})`}
              onClick={() => goTo(p)}
              onDragEnter={(event) => spring.enter(event, p)}
              onDragOver={(event) => spring.over(event, p)}
              onDragLeave={spring.leave}
              onDrop={spring.stop}
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
      <QueueButton />
    </nav>
  );
}

/** How long a drag rests on a place before it opens (as Finder's spring-loaded folders). */
export const SPRING_MS = 500;
/** Settings takes no pictures. */
const TAKES_PICTURES: readonly Place[] = ['create', 'library', 'compare'];

function useSpringLoading(goTo: (place: Place) => void) {
  const [hovered, setHovered] = useState<Place | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const target = useRef<Place | null>(null);
  /** dragenter minus dragleave on the button: moving onto its icon or label is not leaving it. */
  const depth = useRef(0);

  const stop = () => {
    window.clearTimeout(timer.current);
    timer.current = undefined;
    target.current = null;
    depth.current = 0;
    setHovered(null);
  };
  useEffect(() => stop, []);

  const wait = (event: DragEvent, place: Place) => {
    if (!TAKES_PICTURES.includes(place) || !carriesPicture(event.dataTransfer)) return false;
    if (target.current === place) return true;
    stop();
    target.current = place;
    setHovered(place);
    timer.current = window.setTimeout(() => {
      stop();
      goTo(place);
    }, SPRING_MS);
    return true;
  };
  return {
    hovered,
    enter: (event: DragEvent, place: Place) => {
      if (wait(event, place)) depth.current += 1;
    },
    over: wait,
    leave: () => {
      depth.current -= 1;
      if (depth.current <= 0) stop();
    },
    stop,
  };
}
