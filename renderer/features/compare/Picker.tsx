import { useEffect, useRef, useState } from 'react';
import type { LibraryItem } from '../../../shared/api';
import { getBridge } from '../../state/bridge';
import { messageOf } from '../../state/connection';
import { libraryMediaUrl, useCompare } from '../../state/compare';
import { useModalDialog } from '../../ui/useModalDialog';
import { PICTURE_TYPES, useFilePicker } from '../../ui/useFilePicker';

const RECENT = 40;

/**
 * "Compare with...": the newest pictures of the library in a dialog; choosing one puts it on the
 * empty side (or the right one). Files from the computer work too.
 */
export function Picker({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const filePicker = useFilePicker({
    accept: PICTURE_TYPES,
    multiple: true,
    onFiles: (files) => {
      onClose();
      if (files.length === 1 && files[0]) void setPicture(side, { file: files[0] });
      else void takeFiles(files);
    },
  });
  const [entries, setEntries] = useState<{ item: LibraryItem; thumb: string }[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pictures = useCompare((s) => s.pictures);
  const setPicture = useCompare((s) => s.setPicture);
  const takeFiles = useCompare((s) => s.takeFiles);
  const side = pictures[0] === null ? 0 : 1;

  useModalDialog(dialog, open);

  useEffect(() => {
    if (!open) return undefined;
    let live = true;
    void (async () => {
      try {
        const bridge = getBridge();
        const [{ entries: items }, folder] = await Promise.all([
          bridge.invoke('library.query', { offset: 0, limit: RECENT }),
          bridge.invoke('library.folder', {}),
        ]);
        const withUrls = items.map((item) => ({
          item,
          thumb: `${folder.mediaBase}/thumb/${encodeURIComponent(item.id)}/256`,
        }));
        if (live) {
          setEntries(withUrls);
          setError(null);
        }
      } catch (reason) {
        if (live) {
          setEntries([]);
          setError(
            `The library could not be listed: ${messageOf(reason)} You can still choose or drop files.`,
          );
        }
      }
    })();
    return () => {
      live = false;
    };
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="compare-picker"
      aria-labelledby="compare-picker-title"
      onClose={onClose}
      onCancel={onClose}
    >
      <header className="compare-picker__header">
        <h2 id="compare-picker-title" className="compare-picker__title">
          Compare with… <span className="muted">({side === 0 ? 'left' : 'right'} side)</span>
        </h2>
        <button type="button" className="button button--small" onClick={onClose}>
          Close
        </button>
      </header>
      <div className="compare-picker__body">
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        {entries === null ? (
          <p className="muted">Loading the library…</p>
        ) : entries.length === 0 && !error ? (
          <p className="muted">The library is empty. Choose a file from your computer instead.</p>
        ) : (
          <ul className="compare-picker__grid" aria-label="Recent pictures">
            {entries.map(({ item, thumb }) => (
              <li key={item.id}>
                <button
                  type="button"
                  className="compare-picker__item"
                  aria-label={`${item.prompt || (item.path.split('/').pop() ?? item.path)}, ${String(item.width)} × ${String(item.height)}`}
                  onClick={() => {
                    onClose();
                    void (async () => {
                      await libraryMediaUrl(item.path);
                      await setPicture(side, { libraryId: item.id });
                    })();
                  }}
                >
                  <img src={thumb} alt="" loading="lazy" />
                  <span className="compare-picker__caption">
                    {item.prompt || item.path.split('/').pop()}
                  </span>
                  <span className="compare-picker__meta">
                    {item.model ?? item.operation} · {item.width} × {item.height}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <footer className="compare-picker__footer">
        {filePicker.input}
        <button type="button" className="button" onClick={filePicker.open}>
          Choose files on this computer…
        </button>
      </footer>
    </dialog>
  );
}
