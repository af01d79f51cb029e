import { useEffect, useState, type DragEvent } from 'react';
import type { InputView } from '../../../shared/api';
import { useCreate } from '../../state/create';
import { useLibraryBrowse } from '../../state/library-browse';
import { carriesPicture, LIBRARY_DRAG_TYPE, readLibraryDrag } from '../../ui/library-drag';
import { mediaUrl } from '../../ui/library-media';
import { Icon } from '../../ui/Icon';
import { useFilePicker } from '../../ui/useFilePicker';
import { BatchIntake, takeBatchDrop } from '../batch/BatchIntake';
import { createBatchRecipe } from './batch-recipe';

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The first file of a list (a drop's or a paste's files), or null. */
export function firstFile(list: FileList | null | undefined): File | null {
  return list && list.length > 0 ? (list.item(0) ?? null) : null;
}

/** The first file among a drop's or a paste's items, or null. */
export function firstItemFile(list: DataTransferItemList | null | undefined): File | null {
  if (!list) return null;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const file = item?.kind === 'file' ? item.getAsFile() : null;
    if (file) return file;
  }
  return null;
}

/**
 * A path inside the library folder, as the grid puts it in a drag, to show the picture: relative,
 * no '..' (a drag from another page could carry anything under our type). The core stages the
 * picture by its id, never by this path.
 */
export function isLibraryPath(relative: string): boolean {
  if (relative === '' || /^[\\/]|^[A-Za-z]:/.test(relative)) return false;
  return !relative.split(/[\\/]/).some((part) => part === '..');
}

/**
 * Takes what was dropped as Create's input: the first file, or a picture dragged from the Library.
 * False when the drop carried neither.
 */
export function takeDrop(data: DataTransfer): boolean {
  const create = useCreate.getState();
  const file = firstFile(data.files) ?? firstItemFile(data.items);
  if (file) {
    void create.takeFile(file);
    return true;
  }
  const picture = readLibraryDrag(data.getData(LIBRARY_DRAG_TYPE));
  if (!picture) return false;
  const folder = useLibraryBrowse.getState().folder;
  const preview = isLibraryPath(picture.path) ? mediaUrl(folder, { path: picture.path }) : null;
  void create.takeLibraryPicture(picture.id, preview);
  return true;
}

/** What a drop target shows: the picture with its name, size and weight, or what to drop. */
export function DropPicture({
  picture,
  alt,
  empty,
}: {
  picture:
    | (Pick<InputView, 'name' | 'width' | 'height' | 'bytes'> & { url: string | null })
    | null
    | undefined;
  alt: string;
  empty: string;
}) {
  if (!picture) {
    return (
      <div className="drop__empty">
        <Icon name="image" size={26} />
        <span>{empty}</span>
      </div>
    );
  }
  return (
    <div className="drop__picture">
      {picture.url ? (
        <img src={picture.url} alt={alt} />
      ) : (
        <div className="drop__placeholder">
          <Icon name="image" size={28} />
        </div>
      )}
      <div className="drop__facts" aria-live="polite">
        <span className="drop__name" title={picture.name}>
          {picture.name}
        </span>
        <span>
          {picture.width} × {picture.height} · {formatBytes(picture.bytes)}
        </span>
      </div>
    </div>
  );
}

/**
 * A drop target's events: a picture dragged over it lights it up (`over`), and a drop hands what
 * it carried to `take`, without reaching the page's own drop handler.
 */
export function useDropTarget(take: (data: DataTransfer) => void) {
  const [over, setOver] = useState(false);
  const onDragOver = (event: DragEvent) => {
    if (!carriesPicture(event.dataTransfer)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const handlers = {
    onDragEnter: onDragOver,
    onDragOver,
    onDragLeave: () => setOver(false),
    onDrop: (event: DragEvent) => {
      event.preventDefault();
      event.stopPropagation();
      setOver(false);
      take(event.dataTransfer);
    },
  };
  return { over, handlers };
}

/** "choose a file · remove" under a drop target; the labels name the target when there are several. */
export function DropActions({
  choose,
  remove,
  chooseLabel,
  removeLabel,
}: {
  choose: () => void;
  /** Null while there is no picture. */
  remove: (() => void) | null;
  chooseLabel?: string;
  removeLabel?: string;
}) {
  return (
    <>
      <button type="button" className="link-button" aria-label={chooseLabel} onClick={choose}>
        choose a file
      </button>
      {remove ? (
        <>
          {' · '}
          <button type="button" className="link-button" aria-label={removeLabel} onClick={remove}>
            remove
          </button>
        </>
      ) : null}
    </>
  );
}

/**
 * Where a picture comes in: dropped from the file manager or the Library, pasted from the clipboard
 * (anywhere in Create), or chosen with the file dialog. Shows the picture with its size once the
 * core has read it.
 */
export function DropZone({ label, error }: { label: string; error?: string | undefined }) {
  const input = useCreate((s) => s.input);
  const busy = useCreate((s) => s.inputBusy);
  const inputError = useCreate((s) => s.inputError);
  const takeFile = useCreate((s) => s.takeFile);
  const clearInput = useCreate((s) => s.clearInput);
  const filePicker = useFilePicker({
    accept: 'image/*',
    onFiles: ([file]) => {
      if (file) void takeFile(file);
    },
  });

  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const file =
        firstFile(event.clipboardData?.files) ?? firstItemFile(event.clipboardData?.items);
      if (!file) return;
      event.preventDefault();
      void takeFile(file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [takeFile]);

  const { over, handlers } = useDropTarget((data) => {
    if (takeBatchDrop(data, createBatchRecipe)) return;
    takeDrop(data);
  });

  const message = inputError ?? error;
  return (
    <div className="field">
      <span className="field__label" id="drop-label">
        {label}
      </span>
      <div
        className={`drop${over ? ' drop--over' : ''}${input ? ' drop--filled' : ''}`}
        data-testid="drop-zone"
        role="group"
        aria-labelledby="drop-label"
        aria-describedby="drop-help"
        {...handlers}
      >
        <DropPicture
          picture={input}
          alt={input ? `Your picture: ${input.name}` : ''}
          empty={busy ? 'Reading the picture…' : 'Drop a picture here'}
        />
        <p className="drop__help" id="drop-help">
          Drag from your files, paste with {pasteKey()}, or
          <DropActions choose={filePicker.open} remove={input ? clearInput : null} />
        </p>
        {filePicker.input}
      </div>
      <BatchIntake recipe={createBatchRecipe} />
      {message ? (
        <p className="field__error" role="alert">
          {message}
        </p>
      ) : null}
    </div>
  );
}

function pasteKey(): string {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  const platform = nav.userAgentData?.platform ?? navigator.platform;
  return /mac|iphone|ipad/i.test(platform) ? '⌘V' : 'Ctrl+V';
}
