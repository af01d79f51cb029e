/**
 * The viewer: one picture, full size, zoomable and pannable (PictureStage, Compare's zoom code),
 * with its whole recipe beside it (RecipePanel) and what can be done with it. A modal dialog over
 * the grid, opened from a tile (Enter, double-click) or the selection's Open.
 *
 * Keys: Left/Right the previous/next picture of the current filter and order, 1–5 rate and 0
 * clears, F favourite, E edit, C compare with the next picture picked, I hides or shows the
 * recipe, + and - zoom, Up/Down pan, Escape closes.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { LibraryItem, LibraryRecipe, Rating } from '../../../shared/api';
import { getBridge } from '../../state/bridge';
import { messageOf } from '../../state/connection';
import { useLibraryBrowse } from '../../state/library-browse';
import { useLibrarySelection } from '../../state/library-selection';
import { ratePictures, stepViewer, useLibraryView } from '../../state/library-view';
import { mediaUrl } from '../../ui/library-media';
import { FIT_VIEW, type View } from '../../ui/zoom/geometry';
import type { ZoomGeometry } from '../../ui/zoom/pan-zoom';
import { copyImage, pickToCompare, reuseSettings, takeAsInput } from './actions';
import { keyView, PictureStage } from './PictureStage';
import { RatingStars } from './RatingStars';
import { operationLabel, RecipePanel } from './RecipePanel';

export { operationLabel } from './RecipePanel';

/** Keys typed into these are theirs, not the viewer's. */
function isTyping(target: EventTarget): boolean {
  const tag = (target as HTMLElement).tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

function useFullscreen(element: React.RefObject<HTMLElement | null>) {
  const [on, setOn] = useState(false);
  useEffect(() => {
    const changed = () => setOn(document.fullscreenElement === element.current);
    document.addEventListener('fullscreenchange', changed);
    return () => document.removeEventListener('fullscreenchange', changed);
  }, [element]);
  const toggle = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void element.current?.requestFullscreen().catch(() => undefined);
  };
  return { on, toggle };
}

export function LibraryDetail({
  item,
  onEdit,
}: {
  item: LibraryItem;
  /** E and the Edit button: the Edit place's editPicture (wired by the app; absent: no edit). */
  onEdit?: (item: LibraryItem) => void;
}) {
  const folder = useLibraryBrowse((s) => s.folder);
  const details = useLibraryView((s) => s.details);
  const [recipe, setRecipe] = useState<LibraryRecipe | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<View>(FIT_VIEW);
  const geometry = useRef<ZoomGeometry | null>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const fullscreen = useFullscreen(dialog);
  const close = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    useLibrarySelection.getState().openDetail(null);
    // Back to the grid, where the keyboard was.
    requestAnimationFrame(() => document.querySelector<HTMLElement>('.library-grid')?.focus());
  };

  useEffect(() => {
    let live = true;
    getBridge()
      .invoke('library.get', { id: item.id })
      .then(
        (answer) => {
          if (live) setRecipe(answer.recipe);
        },
        (failure: unknown) => {
          if (live) setError(messageOf(failure));
        },
      );
    return () => {
      live = false;
    };
  }, [item.id]);

  useEffect(() => {
    // The dialog holds the keyboard (its own focus, not a button's: Space and Enter stay theirs).
    if (!dialog.current?.contains(document.activeElement)) dialog.current?.focus();
  }, [item.id]);

  const rate = (rating: Rating) => void ratePictures([item.id], rating);
  const favourite = () => void useLibraryBrowse.getState().setFavourite(item, !item.favourite);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    const zoomed = keyView(event, geometry.current);
    if (zoomed) {
      event.preventDefault();
      setView(zoomed);
      return;
    }
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === 'ArrowLeft' || key === 'ArrowRight') void stepViewer(key === 'ArrowLeft' ? -1 : 1);
    else if (/^[0-5]$/.test(key)) rate(Number(key));
    else if (key === 'f') favourite();
    else if (key === 'e' && onEdit) onEdit(item);
    else if (key === 'c') pickToCompare(item);
    else if (key === 'i') useLibraryView.getState().setDetails(!details);
    else return;
    event.preventDefault();
  };

  const titleId = `library-detail-title-${item.id}`;
  const closeButton = (
    <button
      type="button"
      className="button button--small"
      aria-label="Close the image"
      onClick={close}
    >
      Close
    </button>
  );
  const canInput = item.width > 0;

  return (
    <div
      ref={dialog}
      className={details ? 'library-detail' : 'library-detail library-detail--full'}
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby="library-viewer-keys"
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <p id="library-viewer-keys" className="visually-hidden">
        Left and Right arrows go to the previous and next picture; 1 to 5 rate it, 0 clears the
        rating; F marks a favourite;{onEdit ? ' E edits it;' : ''} C compares it with the next
        picture you pick; I hides or shows the recipe; plus and minus zoom; Escape closes.
      </p>
      <div className="library-detail__image">
        <PictureStage
          key={item.id}
          url={mediaUrl(folder, item)}
          alt={item.prompt || 'The image'}
          size={{ width: item.width, height: item.height }}
          view={view}
          setView={setView}
          geometryRef={geometry}
        />
        <div className="library-detail__bar" role="toolbar" aria-label="Viewer">
          <button
            type="button"
            className="button button--small"
            aria-label="Previous picture"
            title="Previous picture (←)"
            onClick={() => void stepViewer(-1)}
          >
            ←
          </button>
          <button
            type="button"
            className="button button--small"
            aria-label="Next picture"
            title="Next picture (→)"
            onClick={() => void stepViewer(1)}
          >
            →
          </button>
          <RatingStars rating={item.rating} onRate={rate} />
          <button
            type="button"
            className="button button--small"
            title="Compare with the next picture you pick (C)"
            onClick={() => pickToCompare(item)}
          >
            Compare with…
          </button>
          <button
            type="button"
            className="button button--small"
            aria-pressed={!details}
            title="Hide or show the recipe (I)"
            onClick={() => useLibraryView.getState().setDetails(!details)}
          >
            {details ? 'Hide recipe' : 'Show recipe'}
          </button>
          <button
            type="button"
            className="button button--small"
            aria-pressed={fullscreen.on}
            onClick={fullscreen.toggle}
          >
            {fullscreen.on ? 'Leave full screen' : 'Full screen'}
          </button>
          {details ? null : closeButton}
        </div>
      </div>
      {details ? (
        <aside className="library-detail__side">
          <div className="library-detail__head">
            <h2 id={titleId} className="library-detail__title">
              {operationLabel(item.operation)}
              {item.sandbox ? <span className="library-tag">Sandbox</span> : null}
            </h2>
            {closeButton}
          </div>
          <RecipePanel item={item} recipe={recipe} error={error} />
          <div className="library-detail__actions">
            <button
              type="button"
              className="button"
              aria-pressed={item.favourite}
              onClick={favourite}
            >
              {item.favourite ? '★ Favourite' : '☆ Favourite'}
            </button>
            {onEdit ? (
              <button type="button" className="button" onClick={() => onEdit(item)}>
                Edit
              </button>
            ) : null}
            <button
              type="button"
              className="button"
              disabled={!canInput}
              onClick={() => void takeAsInput(item, 'transform')}
            >
              Use as input
            </button>
            <button
              type="button"
              className="button"
              disabled={!canInput}
              onClick={() => void takeAsInput(item, 'upscale')}
            >
              Upscale
            </button>
            <button type="button" className="button" onClick={() => void reuseSettings(item)}>
              Reuse settings
            </button>
            <button type="button" className="button" onClick={() => void copyImage(item)}>
              Copy image
            </button>
            {folder?.canReveal ? (
              <button
                type="button"
                className="button"
                onClick={() => void useLibraryBrowse.getState().reveal(item)}
              >
                Reveal in folder
              </button>
            ) : null}
            <button
              type="button"
              className="button button--danger"
              onClick={() => {
                close();
                void useLibraryBrowse.getState().deleteIds([item.id]);
              }}
            >
              Delete
            </button>
          </div>
        </aside>
      ) : (
        <h2 id={titleId} className="visually-hidden">
          {operationLabel(item.operation)}
        </h2>
      )}
    </div>
  );
}
