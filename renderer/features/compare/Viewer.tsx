import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import { useCompare, type ComparePicture, type SideIndex } from '../../state/compare';
import { layoutFrame, type FrameLayout, type Size } from '../../../shared/compare-layout';
import {
  frameTransform,
  panBy,
  pictureTransform,
  stepZoom,
  wheelFactor,
  zoomOf,
  zoomTo,
  type Transform,
} from './geometry';

/** Space between the two panes of side by side, CSS px. */
export const PANE_GAP = 2;

export function devicePixelRatio(): number {
  return typeof window !== 'undefined' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
}

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

/** Rounds the frame's origin to whole device pixels (sharp pixels at 100%). */
function snap(t: Transform, dpr: number): Transform {
  return { scale: t.scale, x: Math.round(t.x * dpr) / dpr, y: Math.round(t.y * dpr) / dpr };
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
  const [stageSize, setStageSize] = useState<Size>({ width: 800, height: 600 });
  const dpr = devicePixelRatio();

  useLayoutEffect(() => {
    const element = stage.current;
    if (!element) return undefined;
    const measure = () => {
      const rect = element.getBoundingClientRect();
      if (rect.width > 0 && rect.height > 0) {
        setStageSize({ width: rect.width, height: rect.height });
      }
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

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

  useEffect(() => {
    const element = stage.current;
    if (!element) return undefined;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      // The latest geometry, from the store (this listener outlives renders).
      const state = useCompare.getState();
      const v = state.view;
      const f = layoutFrame(sizeOf(state.pictures[0]), sizeOf(state.pictures[1])).frame;
      const p = state.pane;
      const d = devicePixelRatio();
      const target = (event.target as Element | null)?.closest('.compare-pane');
      const rect = (target ?? element).getBoundingClientRect();
      const anchor = { x: event.clientX - rect.left, y: event.clientY - rect.top };
      const current = zoomOf(v, f, p, d);
      setView(zoomTo(v, current * wheelFactor(event.deltaY, event.deltaMode), f, p, anchor, d));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [setView]);

  const drag = useRef<{ id: number; x: number; y: number; what: 'pan' | 'divider' } | null>(null);

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
    const onDivider = divider !== null;
    drag.current = {
      id: event.pointerId,
      x: event.clientX,
      y: event.clientY,
      what: onDivider ? 'divider' : 'pan',
    };
    event.currentTarget.setPointerCapture(event.pointerId);
    if (onDivider) {
      event.preventDefault();
      divider.focus();
      moveDivider(event.clientX, event.clientY);
    }
  }

  function onPointerMove(event: ReactPointerEvent<HTMLDivElement>) {
    const d = drag.current;
    if (d?.id !== event.pointerId) return;
    if (d.what === 'divider') {
      moveDivider(event.clientX, event.clientY);
      return;
    }
    const dx = event.clientX - d.x;
    const dy = event.clientY - d.y;
    d.x = event.clientX;
    d.y = event.clientY;
    setView(panBy(view, dx, dy, frame, pane, dpr));
  }

  function onPointerUp(event: ReactPointerEvent<HTMLDivElement>) {
    if (drag.current?.id === event.pointerId) drag.current = null;
  }

  function onKeyDown(event: ReactKeyboardEvent<HTMLDivElement>) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const step = event.shiftKey ? 0.5 : 0.1;
    let handled = true;
    switch (event.key) {
      case 'ArrowLeft':
        setView(panBy(view, pane.width * step, 0, frame, pane, dpr));
        break;
      case 'ArrowRight':
        setView(panBy(view, -pane.width * step, 0, frame, pane, dpr));
        break;
      case 'ArrowUp':
        setView(panBy(view, 0, pane.height * step, frame, pane, dpr));
        break;
      case 'ArrowDown':
        setView(panBy(view, 0, -pane.height * step, frame, pane, dpr));
        break;
      case '+':
      case '=':
        setView(zoomTo(view, stepZoom(zoom, 1), frame, pane, undefined, dpr));
        break;
      case '-':
      case '_':
        setView(zoomTo(view, stepZoom(zoom, -1), frame, pane, undefined, dpr));
        break;
      case '0':
        setView({ zoom: null, cx: 0, cy: 0 });
        break;
      case '1':
        setView(zoomTo(view, 1, frame, pane, undefined, dpr));
        break;
      case '2':
        setView(zoomTo(view, 2, frame, pane, undefined, dpr));
        break;
      case 'f':
      case 'F':
      case ' ':
        if (mode === 'flip') flip();
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
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
