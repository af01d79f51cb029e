import { useEffect, useState, type DragEvent } from 'react';
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
  const [over, setOver] = useState(false);
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

  const onDragOver = (event: DragEvent) => {
    if (!carriesPicture(event.dataTransfer)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation();
    setOver(false);
    if (takeBatchDrop(event.dataTransfer, createBatchRecipe)) return;
    takeDrop(event.dataTransfer);
  };

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
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        {input ? (
          <div className="drop__picture">
            {input.url ? (
              <img src={input.url} alt={`Your picture: ${input.name}`} />
            ) : (
              <div className="drop__placeholder">
                <Icon name="image" size={28} />
              </div>
            )}
            <div className="drop__facts" aria-live="polite">
              <span className="drop__name" title={input.name}>
                {input.name}
              </span>
              <span>
                {input.width} × {input.height} · {formatBytes(input.bytes)}
              </span>
            </div>
          </div>
        ) : (
          <div className="drop__empty">
            <Icon name="image" size={26} />
            <span>{busy ? 'Reading the picture…' : 'Drop a picture here'}</span>
          </div>
        )}
        <p className="drop__help" id="drop-help">
          Drag from your files, paste with {pasteKey()}, or
          <button type="button" className="link-button" onClick={filePicker.open}>
            choose a file
          </button>
          {input ? (
            <>
              {' · '}
              <button type="button" className="link-button" onClick={clearInput}>
                remove
              </button>
            </>
          ) : null}
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
