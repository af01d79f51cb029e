/**
 * The virtualized grid: only the rows on screen (and a few around) exist in the DOM, and only the
 * pages of entries they show are asked of the core. A listbox with an active descendant: Tab
 * reaches it once; arrows, Home/End, Page Up/Down move; Shift extends, Ctrl/Cmd+arrow moves
 * without selecting, Space toggles, Enter opens, Delete deletes, F marks a favourite.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
} from 'react';
import type { LibraryItem } from '../../../shared/api';
import { getBridge } from '../../state/bridge';
import { LIBRARY_DRAG_TYPE, mediaUrl, PAGE_SIZE, thumbUrl, useLibrary } from '../../state/library';

const MIN_CELL = 168;
const GAP = 8;

export function describeItem(item: LibraryItem): string {
  const what = item.prompt.trim() || item.path.slice(item.path.lastIndexOf('/') + 1);
  const date = new Date(item.createdMs).toLocaleDateString();
  return `${what}. ${date}${item.favourite ? ', favourite' : ''}${item.sandbox ? ', Sandbox' : ''}`;
}

export function LibraryGrid({ onOpen }: { onOpen: (item: LibraryItem) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const total = useLibrary((s) => s.total);
  const pages = useLibrary((s) => s.pages);
  const folder = useLibrary((s) => s.folder);
  const selected = useLibrary((s) => s.selected);
  const focus = useLibrary((s) => s.focus);
  const generation = useLibrary((s) => s.generation);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, []);

  const inner = Math.max(0, width - 2 * 16);
  const columns = Math.max(1, Math.floor((inner + GAP) / (MIN_CELL + GAP)));
  const cell = columns > 0 ? (inner - GAP * (columns - 1)) / columns : MIN_CELL;
  const rowHeight = Math.max(40, Math.floor(cell)) + GAP;
  const rows = Math.ceil(total / columns);

  // eslint-disable-next-line react-hooks/incompatible-library -- the grid re-renders on every scroll anyway
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 3,
    paddingStart: 16,
    paddingEnd: 16,
  });
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight, virtualizer]);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [generation]);

  const items = virtualizer.getVirtualItems();
  const firstRow = items[0]?.index ?? 0;
  const lastRow = items[items.length - 1]?.index ?? 0;

  // Ask for the pages the visible rows need.
  useEffect(() => {
    if (total === 0) return;
    const first = Math.floor((firstRow * columns) / PAGE_SIZE);
    const last = Math.floor(Math.min(total - 1, (lastRow + 1) * columns - 1) / PAGE_SIZE);
    for (let page = first; page <= last; page++) {
      if (!pages[page]) void useLibrary.getState().loadPage(page);
    }
  }, [firstRow, lastRow, columns, total, pages]);

  const selectedSet = new Set(selected);
  const visibleRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / rowHeight));

  const moveTo = (index: number, mode: 'move' | 'replace' | 'range') => {
    const state = useLibrary.getState();
    const target = Math.max(0, Math.min(index, state.total - 1));
    if (mode === 'move') state.setFocus(target);
    else state.select(target, mode);
    virtualizer.scrollToIndex(Math.floor(target / columns), { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const state = useLibrary.getState();
    if (state.total === 0) return;
    const mode = event.shiftKey ? 'range' : event.ctrlKey || event.metaKey ? 'move' : 'replace';
    const steps: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columns,
      ArrowUp: -columns,
      PageDown: columns * visibleRows,
      PageUp: -columns * visibleRows,
    };
    const step = steps[event.key];
    if (step !== undefined) {
      event.preventDefault();
      moveTo(state.focus + step, mode);
      return;
    }
    const item = state.itemAt(state.focus);
    switch (event.key) {
      case 'Home':
        event.preventDefault();
        moveTo(0, mode);
        break;
      case 'End':
        event.preventDefault();
        moveTo(state.total - 1, mode);
        break;
      case ' ':
        event.preventDefault();
        state.select(state.focus, 'toggle');
        break;
      case 'Enter':
        event.preventDefault();
        if (item) onOpen(item);
        break;
      case 'Delete':
      case 'Backspace':
        event.preventDefault();
        void state.deleteIds(state.selected.length ? state.selected : item ? [item.id] : []);
        break;
      case 'Escape':
        if (state.selected.length) {
          event.preventDefault();
          state.clearSelection();
        }
        break;
      case 'f':
      case 'F':
        if (!event.ctrlKey && !event.metaKey && item) {
          event.preventDefault();
          void state.setFavourite(item, !item.favourite);
        }
        break;
      case 'a':
        if (event.ctrlKey || event.metaKey) {
          event.preventDefault();
          const ids = Object.values(state.pages).flatMap((list) => list.map((e) => e.id));
          useLibrary.setState({ selected: ids });
        }
        break;
      default:
    }
  };

  const focusedRendered = focus >= firstRow * columns && focus < (lastRow + 1) * columns;

  return (
    <div
      ref={scrollRef}
      className="library-grid"
      role="listbox"
      aria-label="Images, newest first"
      aria-multiselectable="true"
      tabIndex={0}
      aria-activedescendant={total > 0 && focusedRendered ? `library-cell-${focus}` : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="library-grid__space" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((row) => {
          const cells = [];
          for (let col = 0; col < columns; col++) {
            const index = row.index * columns + col;
            if (index >= total) break;
            const item = pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
            const isSelected = item ? selectedSet.has(item.id) : false;
            cells.push(
              <div
                key={item?.id ?? `pending-${index}`}
                id={`library-cell-${index}`}
                role="option"
                aria-selected={isSelected}
                aria-label={item ? describeItem(item) : 'Loading'}
                aria-setsize={total}
                aria-posinset={index + 1}
                className={[
                  'library-cell',
                  isSelected ? 'library-cell--selected' : '',
                  index === focus ? 'library-cell--focus' : '',
                ].join(' ')}
                style={{ width: cell, height: cell }}
                onClick={(event) => {
                  const state = useLibrary.getState();
                  state.select(
                    index,
                    event.shiftKey
                      ? 'range'
                      : event.ctrlKey || event.metaKey
                        ? 'toggle'
                        : 'replace',
                  );
                  scrollRef.current?.focus({ preventScroll: true });
                }}
                onDoubleClick={() => {
                  if (item) onOpen(item);
                }}
                draggable={item !== undefined}
                onDragStart={(event) => {
                  if (item) dragOut(event, folder, item);
                }}
              >
                {item ? (
                  <>
                    <img
                      src={thumbUrl(folder, item, cell > 256 ? 512 : 256)}
                      alt=""
                      loading="lazy"
                      decoding="async"
                      draggable={false}
                    />
                    {item.favourite ? (
                      <span className="library-cell__badge library-cell__badge--fav" aria-hidden>
                        ★
                      </span>
                    ) : null}
                    {item.sandbox ? (
                      <span
                        className="library-cell__badge library-cell__badge--sandbox"
                        aria-hidden
                      >
                        Sandbox
                      </span>
                    ) : null}
                  </>
                ) : null}
              </div>,
            );
          }
          return (
            <div
              key={row.key}
              role="presentation"
              className="library-grid__row"
              style={{
                transform: `translateY(${row.start}px)`,
                height: rowHeight - GAP,
                gap: GAP,
              }}
            >
              {cells}
            </div>
          );
        })}
      </div>
    </div>
  );
}

/**
 * Drag a picture out of the app into another program or the desktop: the desktop app hands the real
 * file to the OS; in a browser, Chromium saves it from its URL (DownloadURL) or links it.
 */
function dragOut(
  event: DragEvent,
  folder: Parameters<typeof mediaUrl>[0],
  item: LibraryItem,
): void {
  if (folder?.canReveal) {
    event.preventDefault();
    void getBridge()
      .invoke('app.startDrag', { path: item.path })
      .catch(() => undefined);
    return;
  }
  // Inside Atelier (onto Create's drop zone, by way of the Create button): the library path.
  event.dataTransfer.setData(LIBRARY_DRAG_TYPE, item.path);
  const url = new URL(mediaUrl(folder, item), window.location.href).href;
  const name = item.path.split('/').pop() ?? 'picture.png';
  const type = name.endsWith('.webp')
    ? 'image/webp'
    : /\.jpe?g$/.test(name)
      ? 'image/jpeg'
      : 'image/png';
  event.dataTransfer.effectAllowed = 'copy';
  event.dataTransfer.setData('DownloadURL', `${type}:${name}:${url}`);
  event.dataTransfer.setData('text/uri-list', url);
}
