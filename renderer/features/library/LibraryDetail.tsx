/**
 * One image, large, with its recipe and what can be done with it. A modal dialog over the grid:
 * Escape closes, Left/Right go to the previous/next image.
 */
import { useEffect, useRef, useState } from 'react';
import type { LibraryItem, LibraryRecipe } from '../../../shared/api';
import { getBridge } from '../../state/bridge';
import { messageOf } from '../../state/connection';
import { useLibraryBrowse } from '../../state/library-browse';
import { useLibrarySelection } from '../../state/library-selection';
import { mediaUrl } from '../../ui/library-media';
import { copyImage, reuseSettings, takeAsInput } from './actions';

const OPERATION_LABELS: Readonly<Record<string, string>> = {
  'text-to-image': 'Text to image',
  'image-to-image': 'Image to image',
  upscale: 'Upscale',
  import: 'Imported',
};

export function operationLabel(operation: string): string {
  return OPERATION_LABELS[operation] ?? operation.replace(/-/g, ' ');
}

function formatCost(credits: number | null, sandbox: boolean): string {
  if (sandbox) return 'Free (Sandbox)';
  if (credits === null) return 'Unknown';
  return `${credits} credit${credits === 1 ? '' : 's'}`;
}

export function LibraryDetail({
  item,
  onStep,
}: {
  item: LibraryItem;
  /** Go to the previous (-1) or next (+1) image of the grid. */
  onStep: (delta: number) => void;
}) {
  const folder = useLibraryBrowse((s) => s.folder);
  const [recipe, setRecipe] = useState<LibraryRecipe | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const close = () => {
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
    closeRef.current?.focus();
  }, []);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      if ((event.target as HTMLElement).tagName === 'INPUT') return;
      event.preventDefault();
      onStep(event.key === 'ArrowLeft' ? -1 : 1);
    }
  };

  const params = recipe?.params ?? {};
  const scalar = (key: string) => {
    const value = params[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
  };
  const rows: [string, string | null][] = [
    ['Operation', operationLabel(item.operation)],
    ['Model', item.model],
    ['Seed', item.seed !== null ? String(item.seed) : null],
    ['Size', `${item.width} × ${item.height} px, ${item.format.toUpperCase()}`],
    ['Aspect ratio', scalar('aspect_ratio')],
    ['Style', scalar('style_preset')],
    ['Strength', scalar('strength')],
    ['Cost', formatCost(item.credits, item.sandbox)],
    ['Made', new Date(item.createdMs).toLocaleString()],
  ];
  const titleId = `library-detail-title-${item.id}`;
  const canInput = item.width > 0;

  return (
    <div
      className="library-detail"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
    >
      <div className="library-detail__image">
        <img src={mediaUrl(folder, item)} alt={item.prompt || 'The image'} draggable={false} />
        <div className="library-detail__steps">
          <button type="button" className="button button--small" onClick={() => onStep(-1)}>
            ← Newer
          </button>
          <button type="button" className="button button--small" onClick={() => onStep(1)}>
            Older →
          </button>
        </div>
      </div>
      <aside className="library-detail__side">
        <div className="library-detail__head">
          <h2 id={titleId} className="library-detail__title">
            {operationLabel(item.operation)}
            {item.sandbox ? <span className="library-tag">Sandbox</span> : null}
          </h2>
          <button
            ref={closeRef}
            type="button"
            className="button button--small"
            aria-label="Close the image"
            onClick={close}
          >
            Close
          </button>
        </div>
        <section aria-label="Recipe" className="library-recipe">
          <h3 className="library-recipe__label">Prompt</h3>
          <p className="library-recipe__prompt selectable">{item.prompt || '—'}</p>
          {item.negativePrompt ? (
            <>
              <h3 className="library-recipe__label">Negative prompt</h3>
              <p className="library-recipe__prompt selectable">{item.negativePrompt}</p>
            </>
          ) : null}
          <dl className="library-recipe__list">
            {rows
              .filter((row): row is [string, string] => row[1] !== null && row[1] !== '')
              .map(([label, value]) => (
                <div key={label} className="library-recipe__row">
                  <dt>{label}</dt>
                  <dd className="selectable">{value}</dd>
                </div>
              ))}
          </dl>
          {recipe?.source?.parameters ? (
            <>
              <h3 className="library-recipe__label">Parameters it carried</h3>
              <pre className="library-recipe__raw selectable">{recipe.source.parameters}</pre>
            </>
          ) : null}
          {error ? <p className="field-error">{error}</p> : null}
        </section>
        <div className="library-detail__actions">
          <button
            type="button"
            className="button"
            aria-pressed={item.favourite}
            onClick={() => void useLibraryBrowse.getState().setFavourite(item, !item.favourite)}
          >
            {item.favourite ? '★ Favourite' : '☆ Favourite'}
          </button>
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
    </div>
  );
}
