import { useEffect, useRef, useState, type DragEvent } from 'react';
import '../../styles/compare.css';
import { useCompare, type CompareMode, type SliderOrientation } from '../../state/compare';
import { useLibraryIntent } from '../../state/library-intent';
import { EmptyState } from '../../ui/EmptyState';
import { Icon } from '../../ui/Icon';
import { PlaceHeader } from '../../ui/PlaceHeader';
import { Segmented } from '../../ui/Segmented';
import { PICTURE_TYPES, useFilePicker } from '../../ui/useFilePicker';
import { layoutFrame } from '../../../shared/compare-layout';
import { stepZoom, zoomLabel, zoomOf, zoomTo } from '../../ui/zoom/geometry';
import { Picker } from './Picker';
import { devicePixelRatio, sideName, sizeLabel, Viewer } from './Viewer';

const MODES: readonly { value: CompareMode; label: string }[] = [
  { value: 'side', label: 'Side by side' },
  { value: 'slider', label: 'Slider' },
  { value: 'flip', label: 'Flip' },
];

const ORIENTATIONS: readonly { value: SliderOrientation; label: string }[] = [
  { value: 'vertical', label: 'Vertical' },
  { value: 'horizontal', label: 'Horizontal' },
];

function hasFiles(event: DragEvent): boolean {
  return [...event.dataTransfer.types].includes('Files');
}

/** The zoom buttons besides Fit, with their keys. */
const ZOOM_PRESETS = [
  { zoom: 1, title: '100%: one pixel of the larger picture per screen pixel (1)' },
  { zoom: 2, title: '200% (2)' },
] as const;

function ZoomControls() {
  const pictures = useCompare((s) => s.pictures);
  const view = useCompare((s) => s.view);
  const setView = useCompare((s) => s.setView);
  const pane = useCompare((s) => s.pane);
  const [left, right] = pictures;
  if (!left || !right) return null;
  const dpr = devicePixelRatio();
  const frame = layoutFrame(
    { width: left.width || 1, height: left.height || 1 },
    { width: right.width || 1, height: right.height || 1 },
  ).frame;
  const zoom = zoomOf(view, frame, pane, dpr);
  const to = (z: number) => setView(zoomTo(view, z, frame, pane, undefined, dpr));
  return (
    <div className="compare-toolbar__group" role="group" aria-label="Zoom">
      <button
        type="button"
        className="button button--small"
        aria-pressed={view.zoom === null}
        onClick={() => setView({ zoom: null, cx: 0, cy: 0 })}
        title="Fit (0)"
      >
        Fit
      </button>
      {ZOOM_PRESETS.map((preset) => (
        <button
          key={preset.zoom}
          type="button"
          className="button button--small"
          aria-pressed={view.zoom !== null && Math.abs(zoom - preset.zoom) < 1e-6}
          onClick={() => to(preset.zoom)}
          title={preset.title}
        >
          {zoomLabel(preset.zoom)}
        </button>
      ))}
      <button
        type="button"
        className="button button--small button--icon"
        aria-label="Zoom out"
        title="Zoom out (−)"
        onClick={() => to(stepZoom(zoom, -1))}
      >
        −
      </button>
      <output className="compare-toolbar__zoom" aria-live="polite" aria-label="Zoom">
        {zoomLabel(zoom)}
      </output>
      <button
        type="button"
        className="button button--small button--icon"
        aria-label="Zoom in"
        title="Zoom in (+)"
        onClick={() => to(stepZoom(zoom, 1))}
      >
        +
      </button>
    </div>
  );
}

export function ComparePlace() {
  const pictures = useCompare((s) => s.pictures);
  const mode = useCompare((s) => s.mode);
  const setMode = useCompare((s) => s.setMode);
  const orientation = useCompare((s) => s.orientation);
  const setOrientation = useCompare((s) => s.setOrientation);
  const smooth = useCompare((s) => s.smooth);
  const setSmooth = useCompare((s) => s.setSmooth);
  const swap = useCompare((s) => s.swap);
  const flip = useCompare((s) => s.flip);
  const flipped = useCompare((s) => s.flipped);
  const takeFiles = useCompare((s) => s.takeFiles);
  const setPicture = useCompare((s) => s.setPicture);
  const save = useCompare((s) => s.save);
  const saving = useCompare((s) => s.saving);
  const saved = useCompare((s) => s.saved);
  const saveError = useCompare((s) => s.saveError);
  const error = useCompare((s) => s.error);
  const busy = useCompare((s) => s.busy);
  const [pickerOpen, setPickerOpen] = useState(false);
  const waiting = useLibraryIntent((s) => (s.intent?.kind === 'compare' ? s.intent : null));
  const openLibraryIds = useCompare((s) => s.openLibraryIds);

  // "Compare" in the Library hands two ids over; take them when Compare opens.
  useEffect(() => {
    if (!waiting) return;
    const intent = useLibraryIntent.getState().take('compare');
    const [a, b] = intent?.ids ?? [];
    if (a !== undefined && b !== undefined) void openLibraryIds(a, b);
  }, [waiting, openLibraryIds]);
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);
  const filePicker = useFilePicker({
    accept: PICTURE_TYPES,
    multiple: true,
    onFiles: (files) => void takeFiles(files),
  });
  const [left, right] = pictures;
  const ready = left !== null && right !== null;
  const one = left ?? right;

  function onDragEnter(event: DragEvent<HTMLDivElement>) {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth.current += 1;
    setDragging(true);
  }
  function onDragOver(event: DragEvent<HTMLDivElement>) {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }
  function onDragLeave() {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragging(false);
  }
  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    depth.current = 0;
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length === 0) return;
    // One file onto one pane of side by side: that side.
    const pane = (event.target as Element).closest('[data-testid^="pane-"]');
    const first = files[0];
    if (files.length === 1 && first && ready && mode === 'side' && pane) {
      void setPicture(pane.getAttribute('data-testid') === 'pane-1' ? 1 : 0, { file: first });
      return;
    }
    void takeFiles(files);
  }

  return (
    <>
      <PlaceHeader title="Compare">
        {ready ? (
          <>
            <span className="visually-hidden" id="compare-mode-label">
              Mode
            </span>
            <Segmented
              name="compare-mode"
              labelledBy="compare-mode-label"
              options={MODES}
              value={mode}
              onChange={setMode}
            />
            <button type="button" className="button button--small" onClick={swap}>
              Swap sides
            </button>
            <button
              type="button"
              className="button button--small button--primary"
              disabled={saving}
              aria-busy={saving || undefined}
              onClick={() => void save()}
            >
              {saving ? 'Saving…' : 'Save comparison'}
            </button>
          </>
        ) : null}
      </PlaceHeader>
      <div
        className="compare"
        data-dragging={dragging || undefined}
        onDragEnter={onDragEnter}
        onDragOver={onDragOver}
        onDragLeave={onDragLeave}
        onDrop={onDrop}
        data-testid="compare-drop"
      >
        {filePicker.input}
        {ready ? (
          <>
            <div className="compare-toolbar" role="toolbar" aria-label="Compare tools">
              <ZoomControls />
              {mode === 'slider' ? (
                <div className="compare-toolbar__group">
                  <span className="visually-hidden" id="compare-orientation-label">
                    Divider
                  </span>
                  <Segmented
                    name="compare-orientation"
                    labelledBy="compare-orientation-label"
                    options={ORIENTATIONS}
                    value={orientation}
                    onChange={setOrientation}
                    compact={false}
                  />
                </div>
              ) : null}
              {mode === 'flip' ? (
                <button
                  type="button"
                  className="button button--small"
                  onClick={flip}
                  aria-keyshortcuts="F Space"
                  title="Flip (F or Space)"
                >
                  Show {flipped === 0 ? 'right' : 'left'}
                </button>
              ) : null}
              <label className="compare-toolbar__check">
                <input
                  type="checkbox"
                  checked={smooth}
                  onChange={(event) => setSmooth(event.currentTarget.checked)}
                />
                Smooth
              </label>
              <span className="compare-toolbar__spacer" />
              <button
                type="button"
                className="button button--small"
                onClick={() => setPickerOpen(true)}
              >
                Compare with…
              </button>
            </div>
            {saved || saveError || error ? (
              <p
                className={
                  saveError || error ? 'compare-status compare-status--error' : 'compare-status'
                }
                role={saveError || error ? 'alert' : 'status'}
              >
                {saveError ??
                  error ??
                  (saved
                    ? `Saved the comparison to the library: ${saved.path} (${String(saved.width)} × ${String(saved.height)} px).`
                    : '')}
              </p>
            ) : null}
            <Viewer left={left} right={right} />
          </>
        ) : (
          <div className="place__content place__content--center compare-empty">
            <EmptyState icon="compare" title="Pick two pictures to compare them side by side">
              <p>
                Choose two images in the Library, or open an upscale next to its original. Zoom and
                pan move both together, so the same spot always lines up. You can also drop two
                picture files here.
              </p>
              {one ? (
                <p className="compare-empty__one">
                  {sideName(left ? 0 : 1)}: {one.title} · {sizeLabel(one)}. Now pick the second
                  picture.
                </p>
              ) : null}
              <div className="empty__actions">
                <button type="button" className="button" onClick={() => setPickerOpen(true)}>
                  <Icon name="library" size={16} />
                  <span>Compare with…</span>
                </button>
                <button type="button" className="button" onClick={filePicker.open}>
                  <Icon name="folder" size={16} />
                  <span>Choose files…</span>
                </button>
              </div>
              {busy ? <p className="muted">Opening…</p> : null}
              {error ? (
                <p className="field-error" role="alert">
                  {error}
                </p>
              ) : null}
            </EmptyState>
          </div>
        )}
        {dragging ? (
          <div className="compare-dropcue" aria-hidden="true">
            <Icon name="compare" size={28} />
            <span>Drop two pictures to compare them, or one onto a side</span>
          </div>
        ) : null}
      </div>
      <Picker open={pickerOpen} onClose={() => setPickerOpen(false)} />
    </>
  );
}
