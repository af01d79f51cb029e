/**
 * Batch intake for any single-picture operation: a "Choose folder…" button (the native dialog in
 * the desktop app, a folder picker in the browser), drops of several files or a folder
 * (takeBatchDrop), the reading progress and what happened last. The place passes its recipe:
 * `recipe()` answers null when the form is not ready (the place shows why).
 *
 *   <BatchIntake recipe={() => ({ kind, endpoint, params })} />     under the place's drop zone
 *   if (takeBatchDrop(event.dataTransfer, recipe)) return;          first thing in its onDrop
 *   <BatchSummaryDialog />                                          once per place
 */
import { useRef } from 'react';
import '../../styles/batch.css';
import type { BatchRecipe } from '../../../shared/api';
import { useApp } from '../../state/connection';
import { useBatch } from '../../state/batch';
import { useLibraryBrowse } from '../../state/library-browse';
import { useNavigation } from '../../state/navigation';
import { chosenBatch, droppedBatch } from './pictures';

/** A drop of several files or a folder, gathered as a batch; false when it is not one. */
export function takeBatchDrop(data: DataTransfer, recipe: () => BatchRecipe | null): boolean {
  const batch = droppedBatch(data);
  if (!batch) return false;
  const ready = recipe();
  if (ready) void useBatch.getState().gather(batch.pictures, ready, batch.name);
  return true;
}

/** Opens the Library filtered to a batch's folder (its path is one word of the search). */
export function showBatchInLibrary(folder: string): void {
  useLibraryBrowse.getState().setFilter({ text: folder });
  useNavigation.getState().goTo('library');
}

export function BatchIntake({ recipe }: { recipe: () => BatchRecipe | null }) {
  const desktop = useApp((s) => s.info?.shell === 'electron');
  const phase = useBatch((s) => s.phase);
  const seen = useBatch((s) => s.seen);
  const error = useBatch((s) => s.error);
  const started = useBatch((s) => s.started);
  const picker = useRef<HTMLInputElement>(null);

  const chooseFolder = () => {
    const ready = recipe();
    if (!ready) return;
    if (desktop) void useBatch.getState().chooseFolder(ready);
    else picker.current?.click();
  };

  return (
    <div className="batch-intake">
      <button
        type="button"
        className="button button--small"
        disabled={phase !== 'idle'}
        onClick={chooseFolder}
      >
        Choose folder…
      </button>
      <input
        ref={picker}
        type="file"
        multiple
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="batch-folder-input"
        {...{ webkitdirectory: '' }}
        onChange={(event) => {
          const files = [...(event.currentTarget.files ?? [])];
          event.currentTarget.value = '';
          const ready = recipe();
          if (files.length === 0 || !ready) return;
          const batch = chosenBatch(files);
          void useBatch.getState().gather(batch.pictures, ready, batch.name);
        }}
      />
      <span aria-live="polite">
        {phase === 'gathering'
          ? `Reading pictures… ${seen.toLocaleString('en-US')}`
          : started
            ? `${started.count.toLocaleString('en-US')} pictures sent to the queue.`
            : 'or drop a folder to do many at once'}
      </span>
      {started && phase === 'idle' ? (
        <button
          type="button"
          className="link-button"
          onClick={() => showBatchInLibrary(started.folder)}
        >
          Show batch in Library
        </button>
      ) : null}
      {error ? (
        <span className="field__error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}
