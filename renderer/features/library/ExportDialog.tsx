/**
 * Export…: copies of the selected pictures in a folder the person picks. In the desktop app the
 * folder comes from the system's folder window (the page never names one); in the browser shell,
 * where there is none, the person types it, as for the library folder in Settings.
 */
import { useId, useRef, useState, type ReactNode } from 'react';
import { AtelierError } from '../../../shared/api';
import { getBridge } from '../../state/bridge';
import { messageOf } from '../../state/connection';
import { useExport, type ExportChoice, type ExportFormat } from '../../state/library-collect';
import { useModalDialog } from '../../ui/useModalDialog';

const FORMATS: { value: ExportFormat; label: string }[] = [
  { value: 'original', label: 'Original' },
  { value: 'png', label: 'PNG' },
  { value: 'jpeg', label: 'JPEG' },
  { value: 'webp', label: 'WebP' },
];

function Choice<T extends string>({
  legend,
  name,
  value,
  options,
  onChange,
  children,
}: {
  children?: ReactNode;
  legend: string;
  name: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="export__group">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="export__option">
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
          />
          {o.label}
        </label>
      ))}
      {children}
    </fieldset>
  );
}

export function ExportDialog() {
  const ids = useExport((s) => s.ids);
  const progress = useExport((s) => s.progress);
  const outcome = useExport((s) => s.outcome);
  const error = useExport((s) => s.error);
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [to, setTo] = useState('');
  const [chooseNote, setChooseNote] = useState<string | null>(null);
  const [format, setFormat] = useState<ExportFormat>('original');
  const [quality, setQuality] = useState(90);
  const [size, setSize] = useState<'original' | 'edge'>('original');
  const [edge, setEdge] = useState(2048);
  const [metadata, setMetadata] = useState<'keep' | 'strip'>('keep');
  const [names, setNames] = useState<'prompt' | 'original'>('prompt');
  const open = ids !== null;

  useModalDialog(dialog, open);

  const choose = async () => {
    setChooseNote(null);
    try {
      const { path } = await getBridge().invoke('dialog.chooseFolder', {
        title: 'Choose where to export',
      });
      if (path !== null) setTo(path);
    } catch (failure) {
      setChooseNote(
        failure instanceof AtelierError && failure.code === 'not_available'
          ? 'Choosing a folder needs the desktop app here; type the folder’s full path instead.'
          : messageOf(failure),
      );
    }
  };

  const edgeValid = Number.isInteger(edge) && edge >= 16 && edge <= 16_384;
  const ready = to.trim() !== '' && (size === 'original' || edgeValid) && !progress;
  const start = () => {
    const choice: ExportChoice = {
      to: to.trim(),
      format,
      quality,
      longestEdge: size === 'original' ? null : edge,
      metadata,
      names,
    };
    void useExport.getState().start(choice);
  };
  const count = ids?.length ?? 0;
  const lossy = format === 'jpeg' || format === 'webp';

  return (
    <dialog
      ref={dialog}
      className="export"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        useExport.getState().close();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) start();
        }}
      >
        <h2 id={titleId} className="export__title">
          Export {count === 1 ? '1 picture' : `${count.toLocaleString()} pictures`}
        </h2>
        <div className="export__folder">
          <label className="export__label" htmlFor={`${titleId}-to`}>
            Folder
          </label>
          <div className="export__row">
            <input
              id={`${titleId}-to`}
              className="text-input"
              value={to}
              placeholder="The folder to export to"
              onChange={(e) => setTo(e.target.value)}
            />
            <button type="button" className="button button--small" onClick={() => void choose()}>
              Choose…
            </button>
          </div>
          {chooseNote ? <p className="muted export__note">{chooseNote}</p> : null}
        </div>
        <Choice
          legend="Format"
          name="format"
          value={format}
          options={FORMATS}
          onChange={setFormat}
        />
        {lossy ? (
          <label className="export__row export__quality">
            <span aria-hidden>Quality</span>
            <input
              type="range"
              min={1}
              max={100}
              value={quality}
              aria-label="Quality"
              onChange={(e) => setQuality(Number(e.target.value))}
            />
            <span className="export__quality-value" aria-hidden>
              {quality}
            </span>
          </label>
        ) : null}
        <Choice
          legend="Size"
          name="size"
          value={size}
          options={[
            { value: 'original', label: 'Original size' },
            { value: 'edge', label: 'Longest edge' },
          ]}
          onChange={setSize}
        >
          <input
            type="number"
            className="text-input export__edge"
            aria-label="Longest edge in pixels"
            min={16}
            max={16384}
            value={edge}
            disabled={size !== 'edge'}
            onChange={(e) => setEdge(Number(e.target.value))}
          />
          <span className="muted">px</span>
        </Choice>
        <Choice
          legend="Metadata"
          name="metadata"
          value={metadata}
          options={[
            { value: 'keep', label: 'Keep the recipe' },
            { value: 'strip', label: 'Strip everything' },
          ]}
          onChange={setMetadata}
        />
        <Choice
          legend="File names"
          name="names"
          value={names}
          options={[
            { value: 'prompt', label: 'From the prompt' },
            { value: 'original', label: 'Original names' },
          ]}
          onChange={setNames}
        />
        <p className="muted export__note">Files already in the folder are never replaced.</p>
        {progress ? (
          <div className="export__progress">
            <progress max={progress.total} value={progress.done} aria-label="Export progress" />
            <span role="status">
              Exporting {progress.done.toLocaleString()} of {progress.total.toLocaleString()}…
            </span>
          </div>
        ) : outcome || error ? (
          <p role={error ? 'alert' : 'status'} className={error ? 'export__error' : 'export__done'}>
            {error ?? outcome}
          </p>
        ) : null}
        <div className="export__actions">
          {progress ? (
            <button type="button" className="button" onClick={() => useExport.getState().cancel()}>
              Cancel export
            </button>
          ) : (
            <>
              <button type="button" className="button" onClick={() => useExport.getState().close()}>
                {outcome ? 'Close' : 'Cancel'}
              </button>
              <button type="submit" className="button button--primary" disabled={!ready}>
                Export
              </button>
            </>
          )}
        </div>
      </form>
    </dialog>
  );
}
