/**
 * The virtualized grid: only the rows on screen (and a few around) exist in the DOM, and only the
 * pages of entries they show are asked of the core. A listbox with an active descendant: Tab
 * reaches it once; arrows, Home/End, Page Up/Down move; Shift extends, Ctrl/Cmd+arrow moves
 * without selecting, Space toggles, Enter opens, Delete deletes, F marks a favourite.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import type { LibraryItem } from '../../../shared/api';
import { getBridge } from '../../state/bridge';
import { PAGE_SIZE, useLibraryBrowse } from '../../state/library-browse';
import { useLibrarySelection } from '../../state/library-selection';
import { selectAllMatching } from '../../state/library-collect';
import { SORT_LABELS, useLibraryView } from '../../state/library-view';
import { pickedForCompare } from './actions';
import { starsLabel } from './RatingStars';
import { LIBRARY_DRAG_TYPE, libraryDragData } from '../../ui/library-drag';
import { mediaUrl, thumbUrl } from '../../ui/library-media';

const GAP = 8;
/** Space above the first row and below the last (the virtualizer's padding). */
const PADDING = 16;
/** While the grid scrolls, a picture asks for its thumbnail only after it stayed this long. */
const THUMB_DELAY_MS = 120;

/** One formatter for every cell (making one per call costs more than the rest of a cell). */
const DATE = new Intl.DateTimeFormat();

export function describeItem(item: LibraryItem): string {
  const what = item.prompt.trim() || item.path.slice(item.path.lastIndexOf('/') + 1);
  const date = DATE.format(item.createdMs);
  const rated = item.rating > 0 ? `, rated ${starsLabel(item.rating)}` : '';
  return `${what}. ${date}${item.favourite ? ', favourite' : ''}${rated}${item.sandbox ? ', Sandbox' : ''}`;
}

export function LibraryGrid({ onOpen }: { onOpen: (item: LibraryItem) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const total = useLibraryBrowse((s) => s.total);
  const pages = useLibraryBrowse((s) => s.pages);
  const folder = useLibraryBrowse((s) => s.folder);
  const selected = useLibrarySelection((s) => s.selected);
  const focus = useLibrarySelection((s) => s.focus);
  const generation = useLibraryBrowse((s) => s.generation);
  const sort = useLibraryBrowse((s) => s.sort);
  const minCell = useLibraryView((s) => s.tileSize);

  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, []);

  const inner = Math.max(0, width - 2 * PADDING);
  const columns = Math.max(1, Math.floor((inner + GAP) / (minCell + GAP)));
  const cell = columns > 0 ? (inner - GAP * (columns - 1)) / columns : minCell;
  const rowHeight = Math.max(40, Math.floor(cell)) + GAP;
  const rows = Math.ceil(total / columns);

  // eslint-disable-next-line react-hooks/incompatible-library -- the grid re-renders on every scroll anyway
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 3,
    // Render in React's own time, not inside the scroll event: the overscan rows cover the gap.
    useFlushSync: false,
    paddingStart: PADDING,
    paddingEnd: PADDING,
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

  // Ask for the pages the visible rows need, and the page on either side of them: a scroll then
  // finds its pictures already there instead of empty cells that fill in a moment later.
  useEffect(() => {
    if (total === 0) return;
    const lastPage = Math.floor((total - 1) / PAGE_SIZE);
    const first = Math.max(0, Math.floor((firstRow * columns) / PAGE_SIZE) - 1);
    const last = Math.min(
      lastPage,
      Math.floor(Math.min(total - 1, (lastRow + 1) * columns - 1) / PAGE_SIZE) + 1,
    );
    for (let page = first; page <= last; page++) {
      if (!pages[page]) void useLibraryBrowse.getState().loadPage(page);
    }
  }, [firstRow, lastRow, columns, total, pages]);

  // One set of handlers for every cell, stable across renders, so that scrolling re-renders only
  // the cells that come into view (GridCell is memoized).
  const onOpenRef = useRef(onOpen);
  onOpenRef.current = onOpen;
  const actions = useMemo<CellActions>(
    () => ({
      click(index, event) {
        const item = useLibraryBrowse.getState().itemAt(index);
        if (item && !event.shiftKey && !event.ctrlKey && !event.metaKey && pickedForCompare(item)) {
          return;
        }
        useLibrarySelection
          .getState()
          .select(
            index,
            event.shiftKey ? 'range' : event.ctrlKey || event.metaKey ? 'toggle' : 'replace',
            useLibraryBrowse.getState().itemAt,
          );
        scrollRef.current?.focus({ preventScroll: true });
      },
      open: (item) => onOpenRef.current(item),
    }),
    [],
  );
  const visibleRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / rowHeight));

  const moveTo = (index: number, mode: 'move' | 'replace' | 'range') => {
    const { total, itemAt } = useLibraryBrowse.getState();
    const selection = useLibrarySelection.getState();
    const target = Math.max(0, Math.min(index, total - 1));
    if (mode === 'move') selection.setFocus(target, total);
    else selection.select(target, mode, itemAt);
    virtualizer.scrollToIndex(Math.floor(target / columns), { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const state = useLibraryBrowse.getState();
    const selection = useLibrarySelection.getState();
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
      moveTo(selection.focus + step, mode);
      return;
    }
    const item = state.itemAt(selection.focus);
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
        selection.select(selection.focus, 'toggle', state.itemAt);
        break;
      case 'Enter':
        event.preventDefault();
        if (item) onOpen(item);
        break;
      case 'Delete':
      case 'Backspace':
        event.preventDefault();
        void state.deleteIds(
          selection.selected.length ? selection.selected : item ? [item.id] : [],
        );
        break;
      case 'Escape':
        if (selection.selected.length) {
          event.preventDefault();
          selection.clearSelection();
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
          // Every picture the filter matches, not only the pages loaded.
          void selectAllMatching();
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
      aria-label={`Images, ${SORT_LABELS[sort].toLowerCase()}`}
      aria-multiselectable="true"
      tabIndex={0}
      aria-activedescendant={total > 0 && focusedRendered ? `library-cell-${focus}` : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="library-grid__space" style={{ height: virtualizer.getTotalSize() }}>
        <GridRows
          firstRow={firstRow}
          lastRow={items.length > 0 ? lastRow : -1}
          rowHeight={rowHeight}
          columns={columns}
          cell={cell}
          total={total}
          pages={pages}
          selected={selected}
          focus={focus}
          folder={folder}
          actions={actions}
          deferThumbs={virtualizer.isScrolling}
        />
      </div>
    </div>
  );
}

interface RowsProps {
  firstRow: number;
  /** -1: no rows. */
  lastRow: number;
  rowHeight: number;
  columns: number;
  cell: number;
  total: number;
  pages: Record<number, LibraryItem[]>;
  selected: string[];
  focus: number;
  folder: CellProps['folder'];
  actions: CellActions;
  deferThumbs: boolean;
}

/**
 * The rows on screen. Memoized: a scroll that shows the same rows re-renders nothing here, and one
 * that brings a row in renders only that row's cells (GridCell is memoized too).
 */
const GridRows = memo(function GridRows(props: RowsProps) {
  const { firstRow, lastRow, rowHeight, columns, cell, total, pages, focus } = props;
  const selectedSet = new Set(props.selected);
  const rows = [];
  for (let row = firstRow; row <= lastRow; row++) {
    const cells = [];
    for (let col = 0; col < columns; col++) {
      const index = row * columns + col;
      if (index >= total) break;
      const item = pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
      cells.push(
        <GridCell
          key={item?.id ?? `pending-${index}`}
          item={item}
          index={index}
          total={total}
          selected={item ? selectedSet.has(item.id) : false}
          focused={index === focus}
          size={cell}
          folder={props.folder}
          actions={props.actions}
          deferThumb={props.deferThumbs}
        />,
      );
    }
    rows.push(
      <div
        key={row}
        role="presentation"
        className="library-grid__row"
        style={{
          transform: `translateY(${PADDING + row * rowHeight}px)`,
          height: rowHeight - GAP,
          gap: GAP,
        }}
      >
        {cells}
      </div>,
    );
  }
  return rows;
});

interface CellActions {
  click(index: number, event: MouseEvent): void;
  open(item: LibraryItem): void;
}

interface CellProps {
  item: LibraryItem | undefined;
  index: number;
  total: number;
  selected: boolean;
  focused: boolean;
  size: number;
  folder: Parameters<typeof mediaUrl>[0];
  actions: CellActions;
  /**
   * The grid is scrolling: ask for the thumbnail only if the cell stays a moment, so that a fast
   * fling through thousands of pictures does not ask the core for thousands of thumbnails.
   */
  deferThumb: boolean;
}

/** One picture of the grid (or its place while its page loads). */
const GridCell = memo(function GridCell({
  item,
  index,
  total,
  selected,
  focused,
  size,
  folder,
  actions,
  deferThumb,
}: CellProps) {
  const [showThumb, setShowThumb] = useState(!deferThumb);
  useEffect(() => {
    if (showThumb) return undefined;
    const timer = window.setTimeout(() => setShowThumb(true), THUMB_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [showThumb]);
  return (
    <div
      id={`library-cell-${index}`}
      role="option"
      aria-selected={selected}
      aria-label={item ? describeItem(item) : 'Loading'}
      aria-setsize={total}
      aria-posinset={index + 1}
      className={[
        'library-cell',
        selected ? 'library-cell--selected' : '',
        focused ? 'library-cell--focus' : '',
      ].join(' ')}
      style={{ width: size, height: size }}
      onClick={(event) => actions.click(index, event)}
      onDoubleClick={() => {
        if (item) actions.open(item);
      }}
      draggable={item !== undefined}
      onDragStart={(event) => {
        if (item) dragOut(event, folder, item);
      }}
    >
      {item ? (
        <>
          {showThumb ? (
            <img
              src={thumbUrl(folder, item, size > 256 ? 512 : 256)}
              alt=""
              loading="lazy"
              decoding="async"
              draggable={false}
            />
          ) : null}
          {item.favourite ? (
            <span className="library-cell__badge library-cell__badge--fav" aria-hidden>
              ★
            </span>
          ) : null}
          {item.rating > 0 ? (
            <span
              className="library-cell__badge library-cell__badge--rating"
              data-rating={item.rating}
              aria-hidden
            >
              {'★'.repeat(item.rating)}
            </span>
          ) : null}
          {item.sandbox ? (
            <span className="library-cell__badge library-cell__badge--sandbox" aria-hidden>
              Sandbox
            </span>
          ) : null}
        </>
      ) : null}
    </div>
  );
});

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
  // Inside Atelier (onto Create's drop zone, by way of the Create button): the library picture.
  event.dataTransfer.setData(LIBRARY_DRAG_TYPE, libraryDragData(item));
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
