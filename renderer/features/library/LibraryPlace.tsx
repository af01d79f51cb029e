import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useApp } from '../../state/connection';
import type { LibrarySort } from '../../../shared/api';
import {
  followLibrary,
  isFiltered,
  useLibraryBrowse,
  type SandboxFilter,
} from '../../state/library-browse';
import { useLibraryImport } from '../../state/library-import';
import { useLibrarySelection } from '../../state/library-selection';
import { useLibraryToast } from '../../state/library-toast';
import { EmptyState } from '../../ui/EmptyState';
import { PlaceHeader } from '../../ui/PlaceHeader';
import { PICTURE_TYPES, useFilePicker } from '../../ui/useFilePicker';
import { BulkBar, SelectAllButton } from './BulkBar';
import { CollectionsSidebar } from './CollectionsSidebar';
import { ExportDialog } from './ExportDialog';
import { SORT_LABELS, TILE_SIZE, useLibraryView } from '../../state/library-view';
import { pickedForCompare } from './actions';
import { LibraryDetail, operationLabel } from './LibraryDetail';
import { LibraryGrid } from './LibraryGrid';
import '../../styles/library.css';
import '../../styles/library-collect.css';

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).includes('Files');
}

function Toolbar() {
  const filter = useLibraryBrowse((s) => s.filter);
  const facets = useLibraryBrowse((s) => s.facets);
  const total = useLibraryBrowse((s) => s.total);
  const all = useLibraryBrowse((s) => s.all);
  const setFilter = useLibraryBrowse((s) => s.setFilter);
  return (
    <div className="library-toolbar" role="search" aria-label="Find images">
      <input
        type="search"
        className="text-input library-toolbar__search"
        placeholder="Search prompts"
        aria-label="Search prompts"
        value={filter.text}
        onChange={(e) => setFilter({ text: e.target.value })}
      />
      <select
        className="library-select"
        aria-label="Operation"
        value={filter.operation}
        onChange={(e) => setFilter({ operation: e.target.value })}
      >
        <option value="">All operations</option>
        {facets.operations.map((op) => (
          <option key={op} value={op}>
            {operationLabel(op)}
          </option>
        ))}
      </select>
      <select
        className="library-select"
        aria-label="Model"
        value={filter.model}
        onChange={(e) => setFilter({ model: e.target.value })}
      >
        <option value="">All models</option>
        {facets.models.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      <label className="library-date">
        <span>From</span>
        <input
          type="date"
          className="text-input"
          value={filter.from}
          onChange={(e) => setFilter({ from: e.target.value })}
        />
      </label>
      <label className="library-date">
        <span>To</span>
        <input
          type="date"
          className="text-input"
          value={filter.to}
          onChange={(e) => setFilter({ to: e.target.value })}
        />
      </label>
      <select
        className="library-select"
        aria-label="Sandbox images"
        value={filter.sandbox}
        onChange={(e) => setFilter({ sandbox: e.target.value as SandboxFilter })}
      >
        <option value="all">Sandbox and real</option>
        <option value="only">Only Sandbox</option>
        <option value="none">Hide Sandbox</option>
      </select>
      <button
        type="button"
        className="button library-toolbar__fav"
        aria-pressed={filter.favourites}
        onClick={() => setFilter({ favourites: !filter.favourites })}
      >
        {filter.favourites ? '★' : '☆'} Favourites
      </button>
      <SortAndSize />
      <span className="library-toolbar__count muted" aria-live="polite">
        {all === null
          ? ''
          : isFiltered(filter)
            ? `${total.toLocaleString()} of ${all.toLocaleString()}`
            : `${total.toLocaleString()} image${total === 1 ? '' : 's'}`}
      </span>
      <SelectAllButton />
    </div>
  );
}

function SortAndSize() {
  const sort = useLibraryBrowse((s) => s.sort);
  const tileSize = useLibraryView((s) => s.tileSize);
  return (
    <>
      <select
        className="library-select"
        aria-label="Sort"
        value={sort}
        onChange={(e) => useLibraryBrowse.getState().setSort(e.target.value as LibrarySort)}
      >
        {Object.entries(SORT_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <input
        type="range"
        className="library-toolbar__size"
        aria-label="Thumbnail size"
        aria-valuetext={`${tileSize} pixels`}
        min={TILE_SIZE.min}
        max={TILE_SIZE.max}
        step={TILE_SIZE.step}
        value={tileSize}
        onChange={(e) => useLibraryView.getState().setTileSize(Number(e.target.value))}
      />
    </>
  );
}

/** After C in the viewer: the grid waits for the second picture. */
function ComparePickBar() {
  const pick = useLibraryView((s) => s.comparePick);
  if (!pick) return null;
  return (
    <div className="library-selection" role="toolbar" aria-label="Compare">
      <span>
        Pick the picture to compare with “{pick.prompt.trim() || pick.path.split('/').pop()}”.
      </span>
      <button
        type="button"
        className="button button--small"
        onClick={() => useLibraryView.getState().pickForCompare(null)}
      >
        Cancel compare
      </button>
    </div>
  );
}

function ToastView() {
  const toast = useLibraryToast((s) => s.toast);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(
      () => {
        if (useLibraryToast.getState().toast === toast) useLibraryToast.getState().showToast(null);
      },
      toast.undoToken ? 10_000 : 6_000,
    );
    return () => clearTimeout(timer);
  }, [toast]);
  return (
    <div className="library-toast-area" role="status" aria-live="polite">
      {toast ? (
        <div className="library-toast">
          <span>{toast.message}</span>
          {toast.undoToken ? (
            <button
              type="button"
              className="button button--small"
              onClick={() => void useLibraryBrowse.getState().undo()}
            >
              Undo
            </button>
          ) : null}
          <button
            type="button"
            className="library-toast__close"
            aria-label="Dismiss"
            onClick={() => useLibraryToast.getState().showToast(null)}
          >
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function LibraryPlace() {
  const online = useApp((s) => s.connection.status === 'online');
  const total = useLibraryBrowse((s) => s.total);
  const all = useLibraryBrowse((s) => s.all);
  const filter = useLibraryBrowse((s) => s.filter);
  const detail = useLibrarySelection((s) => s.detail);
  const error = useLibraryBrowse((s) => s.error);
  const folder = useLibraryBrowse((s) => s.folder);
  const importing = useLibraryImport((s) => s.importing);
  const [dropping, setDropping] = useState(false);
  const depth = useRef(0);

  useEffect(() => {
    if (!online) return;
    void useLibraryBrowse.getState().load();
    return followLibrary();
  }, [online]);

  const empty = all === 0;
  const noMatch = !empty && all !== null && total === 0;
  const filePicker = useFilePicker({
    accept: PICTURE_TYPES,
    multiple: true,
    onFiles: (files) => void useLibraryImport.getState().importFiles(files),
  });

  return (
    <>
      <PlaceHeader title="Library">
        {folder ? (
          <span className="library-folder muted" title={folder.dir}>
            {/* Cut from the left (the folder's own name matters most), read left to right. */}
            <span dir="ltr">{folder.dir}</span>
          </span>
        ) : null}
        {!empty ? (
          <button type="button" className="button button--small" onClick={filePicker.open}>
            Add pictures…
          </button>
        ) : null}
        {filePicker.input}
      </PlaceHeader>
      <div
        className={dropping ? 'library library--dropping' : 'library'}
        onDragEnter={(e) => {
          if (!hasFiles(e)) return;
          depth.current++;
          setDropping(true);
        }}
        onDragOver={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={() => {
          depth.current = Math.max(0, depth.current - 1);
          if (depth.current === 0) setDropping(false);
        }}
        onDrop={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          depth.current = 0;
          setDropping(false);
          void useLibraryImport.getState().importFiles(Array.from(e.dataTransfer.files));
        }}
      >
        {!empty ? <CollectionsSidebar /> : null}
        {!empty ? <Toolbar /> : null}
        <BulkBar />
        <ComparePickBar />
        {error && all === null ? (
          <div className="place__content place__content--center">
            <EmptyState icon="warning" title="The library could not be opened">
              <p>{error}</p>
            </EmptyState>
          </div>
        ) : empty ? (
          <div className="place__content place__content--center">
            <EmptyState
              icon="library"
              title="Your library is empty"
              note="Or drop images here: PNG, JPEG or WebP."
            >
              <p>
                Every image you make lands here and in your library folder, with the prompt and
                settings that made it. The folder is yours: back it up, sync it, or open the images
                in any other program.
              </p>
              <div className="empty__actions">
                <button type="button" className="button" onClick={filePicker.open}>
                  Add pictures…
                </button>
              </div>
            </EmptyState>
          </div>
        ) : noMatch ? (
          <div className="place__content place__content--center">
            <EmptyState icon="image" title="No images match">
              <p>Nothing in the library matches these filters.</p>
              <div className="empty__actions">
                <button
                  type="button"
                  className="button"
                  onClick={() => useLibraryBrowse.getState().clearFilter()}
                  disabled={!isFiltered(filter)}
                >
                  Clear filters
                </button>
              </div>
            </EmptyState>
          </div>
        ) : (
          <LibraryGrid
            onOpen={(item) => {
              if (!pickedForCompare(item)) useLibrarySelection.getState().openDetail(item);
            }}
          />
        )}
        {detail ? <LibraryDetail item={detail} /> : null}
        {dropping ? (
          <div className="library-drop" aria-hidden>
            Drop to add to the library
          </div>
        ) : null}
        {importing > 0 ? (
          <div className="library-importing muted" role="status">
            Adding {importing} image{importing === 1 ? '' : 's'}…
          </div>
        ) : null}
        <ToastView />
        <ExportDialog />
      </div>
    </>
  );
}
