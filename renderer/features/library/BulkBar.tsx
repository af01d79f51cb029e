/**
 * What can be done with the selected pictures, all at once: open one, compare two, favourite,
 * rate, add to or remove from a collection, export, delete (with Undo). And Select all, which
 * takes every picture the filter matches, loaded or not.
 */
import { useLibraryBrowse } from '../../state/library-browse';
import {
  rate,
  selectAllMatching,
  setFavourites,
  useCollections,
  useExport,
} from '../../state/library-collect';
import { useLibrarySelection } from '../../state/library-selection';
import { tell } from '../../state/library-toast';
import { compareTwo } from './actions';
import { LIBRARY_BULK_MAX } from '../../../shared/api';

export function SelectAllButton() {
  const total = useLibraryBrowse((s) => s.total);
  return (
    <button
      type="button"
      className="button button--small"
      disabled={total === 0}
      onClick={() => void selectAllMatching()}
    >
      Select all
    </button>
  );
}

const NEW_COLLECTION = '__new__';

export function BulkBar() {
  const selected = useLibrarySelection((s) => s.selected);
  const collections = useCollections((s) => s.collections);
  const inCollection = useLibraryBrowse((s) => s.filter.collection);
  const total = useLibraryBrowse((s) => s.total);
  if (selected.length === 0) return null;
  const [a, b] = selected;
  const n = selected.length;
  const current = collections.find((c) => c.id === inCollection);

  const addTo = async (value: string) => {
    if (value === '') return;
    let id = value;
    if (value === NEW_COLLECTION) {
      const name = window.prompt('Name of the new collection');
      if (!name?.trim()) return;
      const made = await useCollections.getState().create(name.trim());
      if (!made) return;
      id = made.id;
    }
    await useCollections.getState().add(id, selected);
  };

  return (
    <div className="library-selection" role="toolbar" aria-label="Selected images">
      <span className="library-selection__count" aria-live="polite">
        {n === 1 ? '1 selected' : `${n.toLocaleString()} selected`}
      </span>
      {n < total ? (
        <button
          type="button"
          className="button button--small"
          onClick={() => void selectAllMatching()}
        >
          Select all {total.toLocaleString()}
        </button>
      ) : null}
      {n === 1 ? (
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            const { focus, openDetail } = useLibrarySelection.getState();
            const item = useLibraryBrowse.getState().itemAt(focus);
            if (item) openDetail(item);
          }}
        >
          Open
        </button>
      ) : null}
      <button
        type="button"
        className="button button--small"
        disabled={n !== 2}
        onClick={() => {
          if (a !== undefined && b !== undefined) compareTwo(a, b);
        }}
      >
        Compare two
      </button>
      <button
        type="button"
        className="button button--small"
        onClick={() => void setFavourites(selected, true)}
      >
        ★ Favourite
      </button>
      <select
        className="library-select"
        aria-label="Rate selected"
        value=""
        onChange={(e) => {
          if (e.target.value !== '') void rate(selected, Number(e.target.value));
        }}
      >
        <option value="">Rate…</option>
        {[5, 4, 3, 2, 1].map((stars) => (
          <option key={stars} value={stars}>
            {'★'.repeat(stars)}
          </option>
        ))}
        <option value={0}>No rating</option>
      </select>
      <select
        className="library-select"
        aria-label="Add to collection"
        value=""
        onChange={(e) => void addTo(e.target.value)}
      >
        <option value="">Add to collection…</option>
        {collections.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
        <option value={NEW_COLLECTION}>New collection…</option>
      </select>
      {current ? (
        <button
          type="button"
          className="button button--small"
          onClick={() => void useCollections.getState().take(current.id, selected)}
        >
          Remove from {current.name}
        </button>
      ) : null}
      <button
        type="button"
        className="button button--small"
        onClick={() => useExport.getState().open(selected)}
      >
        Export…
      </button>
      <button
        type="button"
        className="button button--small button--danger"
        onClick={() => {
          if (n > LIBRARY_BULK_MAX) {
            tell(
              `Delete at most ${LIBRARY_BULK_MAX.toLocaleString()} pictures at a time, so that Undo can bring them all back.`,
            );
            return;
          }
          void useLibraryBrowse.getState().deleteIds(selected);
        }}
      >
        Delete {n === 1 ? '' : n.toLocaleString()}
      </button>
      <button
        type="button"
        className="button button--small"
        onClick={() => useLibrarySelection.getState().clearSelection()}
      >
        Clear selection
      </button>
    </div>
  );
}
