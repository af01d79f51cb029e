/**
 * The Library's sidebar: the whole library or one collection, a minimum rating, and the
 * collections themselves (new, rename, delete).
 */
import { useEffect, useState, type SyntheticEvent } from 'react';
import { followCollections, useCollections } from '../../state/library-collect';
import { useLibraryBrowse } from '../../state/library-browse';

function NameForm({
  label,
  initial,
  submit,
  cancel,
}: {
  label: string;
  initial: string;
  submit: (name: string) => void;
  cancel: () => void;
}) {
  const [name, setName] = useState(initial);
  const onSubmit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (name.trim()) submit(name.trim());
  };
  return (
    <form className="collections__form" onSubmit={onSubmit}>
      <input
        className="text-input"
        aria-label={label}
        value={name}
        maxLength={100}
        autoFocus
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            cancel();
          }
        }}
      />
      <button type="submit" className="button button--small" disabled={!name.trim()}>
        Save
      </button>
    </form>
  );
}

export function CollectionsSidebar() {
  const collections = useCollections((s) => s.collections);
  const active = useLibraryBrowse((s) => s.filter.collection);
  const minRating = useLibraryBrowse((s) => s.filter.minRating);
  const all = useLibraryBrowse((s) => s.all);
  const setFilter = useLibraryBrowse((s) => s.setFilter);
  const [editing, setEditing] = useState<'new' | 'rename' | null>(null);
  const current = collections.find((c) => c.id === active);

  useEffect(() => followCollections(), []);

  return (
    <nav className="collections" aria-label="Collections">
      <label className="collections__rating">
        <span>Rating</span>
        <select
          className="library-select"
          aria-label="Rating at least"
          value={minRating}
          onChange={(e) => setFilter({ minRating: Number(e.target.value) })}
        >
          <option value={0}>Any rating</option>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={n}>
              {'★'.repeat(n)}
              {n < 5 ? ' or more' : ''}
            </option>
          ))}
        </select>
      </label>
      <h2 className="collections__title">Collections</h2>
      <ul className="collections__list">
        <li>
          <button
            type="button"
            className="collections__item"
            aria-pressed={active === ''}
            onClick={() => setFilter({ collection: '' })}
          >
            <span className="collections__name">All pictures</span>
            <span className="collections__count">{all?.toLocaleString() ?? ''}</span>
          </button>
        </li>
        {collections.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="collections__item"
              aria-pressed={active === c.id}
              aria-label={`${c.name}, ${c.count} picture${c.count === 1 ? '' : 's'}`}
              onClick={() => setFilter({ collection: c.id })}
            >
              <span className="collections__name" title={c.name}>
                {c.name}
              </span>
              <span className="collections__count" aria-hidden>
                {c.count.toLocaleString()}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {editing === 'new' ? (
        <NameForm
          label="New collection name"
          initial=""
          cancel={() => setEditing(null)}
          submit={(name) => {
            setEditing(null);
            void useCollections.getState().create(name);
          }}
        />
      ) : editing === 'rename' && current ? (
        <NameForm
          label={`New name for ${current.name}`}
          initial={current.name}
          cancel={() => setEditing(null)}
          submit={(name) => {
            setEditing(null);
            void useCollections.getState().rename(current.id, name);
          }}
        />
      ) : (
        <div className="collections__actions">
          <button type="button" className="button button--small" onClick={() => setEditing('new')}>
            New collection
          </button>
          {current ? (
            <>
              <button
                type="button"
                className="button button--small"
                aria-label={`Rename ${current.name}`}
                onClick={() => setEditing('rename')}
              >
                Rename
              </button>
              <button
                type="button"
                className="button button--small button--danger"
                aria-label={`Delete ${current.name}`}
                onClick={() => {
                  const question = `Delete the collection ${current.name}? Its pictures stay in the library.`;
                  if (window.confirm(question)) void useCollections.getState().remove(current.id);
                }}
              >
                Delete
              </button>
            </>
          ) : null}
        </div>
      )}
    </nav>
  );
}
