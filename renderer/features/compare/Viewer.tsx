import {
  useCallback,
  useEffect,
  useRef,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import { useCompare, type ComparePicture, type SideIndex } from '../../state/compare';
import { layoutFrame, type FrameLayout, type Size } from '../../../shared/compare-layout';
import { frameTransform, pictureTransform, zoomOf, type Transform } from '../../ui/zoom/geometry';
import {
  devicePixelRatio,
  snap,
  useMeasuredSize,
  usePanZoom,
  viewForKey,
  type ZoomGeometry,
} from '../../ui/zoom/pan-zoom';

export { devicePixelRatio } from '../../ui/zoom/pan-zoom';

/** Space between the two panes of side by side, CSS px. */
export const PANE_GAP = 2;

function sizeOf(picture: ComparePicture | null): Size {
  return picture && picture.width > 0 && picture.height > 0
    ? { width: picture.width, height: picture.height }
    : { width: 1, height: 1 };
}

export function sideName(side: SideIndex): string {
  return side === 0 ? 'Left' : 'Right';
}

export function sizeLabel(picture: ComparePicture): string {
  return picture.width > 0 ? `${String(picture.width)} × ${String(picture.height)} px` : 'loading…';
}

/** Compare's geometry as its store has it now. */
function compareGeometry(): ZoomGeometry {
  const state = useCompare.getState();
  const frame = layoutFrame(sizeOf(state.pictures[0]), sizeOf(state.pictures[1])).frame;
  return { view: state.view, frame, pane: state.pane, dpr: devicePixelRatio() };
}

function Picture({
  picture,
  side,
  frameT,
  layout,
  zoom,
  smooth,
  hidden = false,
  dpr,
}: {
  picture: ComparePicture;
  side: SideIndex;
  frameT: Transform;
  layout: FrameLayout;
  zoom: number;
  smooth: boolean;
  hidden?: boolean;
  dpr: number;
}) {
  const loaded = useCompare((s) => s.loaded);
  const t = pictureTransform(frameT, layout.placements[side]);
  const known = picture.width > 0;
  // Pixel-accurate from 100% up: one picture pixel over several screen pixels stays a hard square.
  const pixelated = !smooth && zoom >= 0.999 && t.scale * dpr > 1.001;
  return (
    <img
      className="compare-picture"
      src={picture.url}
      alt={`${sideName(side)}: ${picture.title}`}
      draggable={false}
      data-side={side}
      data-scale={t.scale}
      data-pixelated={pixelated ? 'true' : 'false'}
      onLoad={(event) => {
        const img = event.currentTarget;
        loaded(picture.key, img.naturalWidth, img.naturalHeight);
      }}
      style={{
        width: known ? picture.width : undefined,
        height: known ? picture.height : undefined,
        transform: `translate(${String(t.x)}px, ${String(t.y)}px) scale(${String(t.scale)})`,
        imageRendering: pixelated ? 'pixelated' : 'auto',
        visibility: hidden || !known ? 'hidden' : 'visible',
      }}
    />
  );
}

function Label({
  picture,
  side,
  align = 'start',
  prefix,
}: {
  picture: ComparePicture;
  side: SideIndex;
  align?: 'start' | 'end';
  prefix?: string;
}) {
  return (
    <div className={`compare-label compare-label--${align}`} data-testid={`label-${String(side)}`}>
      <span className="compare-label__which">{prefix ?? sideName(side)}</span>
      <span className="compare-label__title" title={picture.title}>
        {picture.title}
      </span>
      <span className="compare-label__meta">
        {picture.model ? `${picture.model} · ` : ''}
        {sizeLabel(picture)}
      </span>
    </div>
  );
}

/**
 * The pictures, in the chosen mode, with the shared view. Wheel (and pinch: ctrl+wheel) zooms to
 * the cursor, a drag pans, and with the focus on it: arrows pan, + and - zoom, 0 fits, 1 and 2 go
 * to 100% and 200%, F or Space flips.
 */
export function Viewer({ left, right }: { left: ComparePicture; right: ComparePicture }) {
  const mode = useCompare((s) => s.mode);
  const view = useCompare((s) => s.view);
  const setView = useCompare((s) => s.setView);
  const smooth = useCompare((s) => s.smooth);
  const slider = useCompare((s) => s.slider);
  const setSlider = useCompare((s) => s.setSlider);
  const orientation = useCompare((s) => s.orientation);
  const flipped = useCompare((s) => s.flipped);
  const flip = useCompare((s) => s.flip);

  const stage = useRef<HTMLDivElement>(null);
  const stageSize = useMeasuredSize(stage, { width: 800, height: 600 });
  const dpr = devicePixelRatio();

  const layout = layoutFrame(sizeOf(left), sizeOf(right));
  const frame = layout.frame;
  const pane: Size =
    mode === 'side'
      ? { width: Math.max(1, (stageSize.width - PANE_GAP) / 2), height: stageSize.height }
      : stageSize;
  const zoom = zoomOf(view, frame, pane, dpr);
  const setPane = useCompare((s) => s.setPane);
  useEffect(() => setPane(pane), [pane.width, pane.height]); // eslint-disable-line react-hooks/exhaustive-deps
  const frameT = snap(frameTransform(view, frame, pane, dpr), dpr);

  const panZoom = usePanZoom({
    stage,
    read: compareGeometry,
    setView,
    paneSelector: '.compare-pane',
  });
  const dividerDrag = useRef<number | null>(null);

  const moveDivider = useCallback(
    (clientX: number, clientY: number) => {
      const rect = stage.current?.getBoundingClientRect();
      if (!rect) return;
      setSlider(
        orientation === 'vertical'
          ? (clientX - rect.left) / rect.width
          : (clientY - rect.top) / rect.height,
      );
    },
    [orientation, setSlider],
  );

  function onPointerDown(event: ReactPointerEvent<HTMLDivElement>) {
    if (event.button !== 0) return;
    const divider = (event.target as Element).closest<HTMLElement>('.compare-divider');
    if (!divider) {
      panZoom.onPointerDown(event);
      return;
    }
    dividerDrag.current = event.pointerId;
    event.currentTarget.setPointerCapture(event.pointerId);
    event.preventDefault();
    divider.focus();
    moveDivider(event.clientX, event.clientY);
  }

  function onPointerMove(event: ReactPointerEvent<HTMLDivElement>) {
    if (dividerDrag.current === event.pointerId) moveDivider(event.clientX, event.clientY);
    else panZoom.onPointerMove(event);
  }

  function onPointerUp(event: ReactPointerEvent<HTMLDivElement>) {
    if (dividerDrag.current === event.pointerId) dividerDrag.current = null;
    panZoom.onPointerUp(event);
  }

  function onKeyDown(event: ReactKeyboardEvent<HTMLDivElement>) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const next = viewForKey(event.key, event.shiftKey, { view, frame, pane, dpr });
    if (next) setView(next);
    else if (mode === 'flip' && (event.key === 'f' || event.key === 'F' || event.key === ' '))
      flip();
    else return;
    event.preventDefault();
  }

  function onDividerKey(event: ReactKeyboardEvent<HTMLDivElement>) {
    const step = event.shiftKey ? 0.1 : 0.01;
    // Vertical divider: Left/Right (and Down/Up as on any slider). Horizontal: Up/Down move it.
    const moves: Record<string, number> =
      orientation === 'vertical'
        ? { ArrowLeft: -step, ArrowDown: -step, ArrowRight: step, ArrowUp: step }
        : { ArrowUp: -step, ArrowLeft: -step, ArrowDown: step, ArrowRight: step };
    let next: number | null = null;
    const move = moves[event.key];
    if (move !== undefined) next = slider + move;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = 1;
    else if (event.key === 'PageUp') next = slider - 0.1;
    else if (event.key === 'PageDown') next = slider + 0.1;
    if (next === null) return;
    event.preventDefault();
    event.stopPropagation();
    setSlider(Math.round(next * 1000) / 1000);
  }

  const pictureProps = { frameT, layout, zoom, smooth, dpr };
  const percent = Math.round(slider * 1000) / 10;

  return (
    <div
      ref={stage}
      className={`compare-stage compare-stage--${mode}`}
      data-testid="compare-stage"
      data-zoom={zoom}
      role="group"
      aria-label="Pictures"
      aria-describedby="compare-keys"
      aria-roledescription="comparison view"
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
    >
      <p id="compare-keys" className="visually-hidden">
        Arrow keys move the pictures, plus and minus zoom, 0 fits, 1 shows 100%, 2 shows 200%
        {mode === 'flip' ? ', F or Space flips between them' : ''}.
      </p>
      {mode === 'side' ? (
        <>
          <div className="compare-pane" data-testid="pane-0" style={{ width: pane.width }}>
            <Picture picture={left} side={0} {...pictureProps} />
            <Label picture={left} side={0} />
          </div>
          <div
            className="compare-pane"
            data-testid="pane-1"
            style={{ width: pane.width, left: pane.width + PANE_GAP }}
          >
            <Picture picture={right} side={1} {...pictureProps} />
            <Label picture={right} side={1} />
          </div>
        </>
      ) : mode === 'slider' ? (
        <div className="compare-pane" data-testid="pane-0" style={{ width: pane.width }}>
          <Picture picture={left} side={0} {...pictureProps} />
          <div
            className="compare-wipe"
            data-testid="wipe"
            style={{
              clipPath:
                orientation === 'vertical'
                  ? `inset(0 0 0 ${String(percent)}%)`
                  : `inset(${String(percent)}% 0 0 0)`,
            }}
          >
            <Picture picture={right} side={1} {...pictureProps} />
          </div>
          <Label picture={left} side={0} />
          <Label picture={right} side={1} align="end" />
          <div
            className={`compare-divider compare-divider--${orientation}`}
            style={
              orientation === 'vertical'
                ? { left: `${String(percent)}%` }
                : { top: `${String(percent)}%` }
            }
            role="slider"
            tabIndex={0}
            aria-label="Divider between left and right"
            aria-orientation={orientation}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-valuetext={`${String(Math.round(percent))}% left, ${String(Math.round(100 - percent))}% right`}
            onKeyDown={onDividerKey}
          >
            <span className="compare-divider__grip" aria-hidden="true" />
          </div>
        </div>
      ) : (
        <div className="compare-pane" data-testid="pane-0" style={{ width: pane.width }}>
          <Picture picture={left} side={0} hidden={flipped !== 0} {...pictureProps} />
          <Picture picture={right} side={1} hidden={flipped !== 1} {...pictureProps} />
          {flipped === 0 ? (
            <Label picture={left} side={0} prefix="Showing left" />
          ) : (
            <Label picture={right} side={1} prefix="Showing right" />
          )}
        </div>
      )}
    </div>
  );
}
