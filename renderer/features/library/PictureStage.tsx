/**
 * One picture, zoomable and pannable as in Compare (the same renderer/ui/zoom code): the wheel
 * zooms to the cursor, a drag pans; the buttons fit, show 100%, zoom out and in. The keys are the
 * viewer's (LibraryDetail hands + and - and Up/Down here through `keyView`).
 */
import { useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from 'react';
import type { Size } from '../../../shared/compare-layout';
import {
  FIT_VIEW,
  frameTransform,
  stepZoom,
  zoomLabel,
  zoomOf,
  zoomTo,
  type View,
} from '../../ui/zoom/geometry';
import {
  devicePixelRatio,
  snap,
  useMeasuredSize,
  usePanZoom,
  viewForKey,
  type ZoomGeometry,
} from '../../ui/zoom/pan-zoom';

export function PictureStage({
  url,
  alt,
  size,
  view,
  setView,
  geometryRef,
}: {
  url: string;
  alt: string;
  /** The picture's size in pixels (from the library; 0 when unknown). */
  size: Size;
  view: View;
  setView: (view: View) => void;
  /** Kept up to date with the geometry on screen, for the viewer's keys (keyView). */
  geometryRef: RefObject<ZoomGeometry | null>;
}) {
  const stage = useRef<HTMLDivElement>(null);
  const pane = useMeasuredSize(stage, { width: 800, height: 600 });
  const dpr = devicePixelRatio();
  const frame: Size = size.width > 0 && size.height > 0 ? size : { width: 1, height: 1 };
  const geometry: ZoomGeometry = { view, frame, pane, dpr };
  useLayoutEffect(() => {
    geometryRef.current = geometry;
  });
  const panZoom = usePanZoom({ stage, read: () => geometryRef.current ?? geometry, setView });
  const t = snap(frameTransform(view, frame, pane, dpr), dpr);
  const zoom = zoomOf(view, frame, pane, dpr);
  const pixelated = zoom >= 0.999 && t.scale * dpr > 1.001;
  const to = (z: number) => setView(zoomTo(view, z, frame, pane, undefined, dpr));

  return (
    <div className="picture-stage">
      <div
        ref={stage}
        className="picture-stage__view"
        data-testid="viewer-stage"
        data-zoom={zoom}
        onPointerDown={panZoom.onPointerDown}
        onPointerMove={panZoom.onPointerMove}
        onPointerUp={panZoom.onPointerUp}
        onPointerCancel={panZoom.onPointerCancel}
      >
        <img
          src={url}
          alt={alt}
          draggable={false}
          style={{
            width: frame.width,
            height: frame.height,
            transform: `translate(${String(t.x)}px, ${String(t.y)}px) scale(${String(t.scale)})`,
            imageRendering: pixelated ? 'pixelated' : 'auto',
            visibility: size.width > 0 ? 'visible' : 'hidden',
          }}
        />
      </div>
      <div className="picture-stage__zoom" role="group" aria-label="Zoom">
        <button
          type="button"
          className="button button--small"
          aria-label="Zoom out"
          title="Zoom out (−)"
          onClick={() => to(stepZoom(zoom, -1))}
        >
          −
        </button>
        <output className="picture-stage__percent" aria-label="Zoom level">
          {zoomLabel(zoom)}
        </output>
        <button
          type="button"
          className="button button--small"
          aria-label="Zoom in"
          title="Zoom in (+)"
          onClick={() => to(stepZoom(zoom, 1))}
        >
          +
        </button>
        <button
          type="button"
          className="button button--small"
          aria-pressed={view.zoom === null}
          onClick={() => setView(FIT_VIEW)}
        >
          Fit
        </button>
        <button
          type="button"
          className="button button--small"
          aria-pressed={view.zoom !== null && Math.abs(zoom - 1) < 1e-6}
          title="One picture pixel per screen pixel"
          onClick={() => to(1)}
        >
          100%
        </button>
      </div>
    </div>
  );
}

/** The viewer's zoom and pan keys: + and - zoom, Up and Down pan (Left/Right change picture). */
export function keyView(event: KeyboardEvent, g: ZoomGeometry | null): View | null {
  if (!g) return null;
  if (!['+', '=', '-', '_', 'ArrowUp', 'ArrowDown'].includes(event.key)) return null;
  return viewForKey(event.key, event.shiftKey, g, ['zoom', 'pan']);
}
