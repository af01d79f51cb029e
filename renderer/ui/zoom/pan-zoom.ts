/**
 * Zoom and pan of a view of pictures, for Compare and the Library's viewer alike (the geometry is
 * ./geometry): the stage's measured size, the wheel (and pinch: ctrl+wheel) zooming to the cursor,
 * a drag panning, and the keys that zoom and pan. Each place keeps its view where it likes (Compare
 * in its store, the viewer in its own state) and hands over a way to read and set it.
 */
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type PointerEvent as ReactPointerEvent,
  type RefObject,
} from 'react';
import type { Size } from '../../../shared/compare-layout';
import {
  FIT_VIEW,
  panBy,
  stepZoom,
  wheelFactor,
  zoomOf,
  zoomTo,
  type Transform,
  type View,
} from './geometry';

/** What a zoom or a pan is computed from. */
export interface ZoomGeometry {
  view: View;
  frame: Size;
  /** The viewport (one pane), CSS px. */
  pane: Size;
  dpr: number;
}

export function devicePixelRatio(): number {
  return typeof window !== 'undefined' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
}

/** Rounds the frame's origin to whole device pixels (sharp pixels at 100%). */
export function snap(t: Transform, dpr: number): Transform {
  return { scale: t.scale, x: Math.round(t.x * dpr) / dpr, y: Math.round(t.y * dpr) / dpr };
}

/** The keys that zoom and pan, by what they do (a place may leave some out for its own keys). */
export type ViewKey = 'pan' | 'zoom' | 'fit' | 'presets';

/**
 * The view a key gives, or null when the key is not one of `keys`: arrows pan (Shift: further),
 * + and - zoom in steps, 0 fits, 1 and 2 go to 100% and 200%.
 */
export function viewForKey(
  key: string,
  shift: boolean,
  g: ZoomGeometry,
  keys: readonly ViewKey[] = ['pan', 'zoom', 'fit', 'presets'],
): View | null {
  const { view, frame, pane, dpr } = g;
  const step = shift ? 0.5 : 0.1;
  const pan: Record<string, [number, number]> = {
    ArrowLeft: [pane.width * step, 0],
    ArrowRight: [-pane.width * step, 0],
    ArrowUp: [0, pane.height * step],
    ArrowDown: [0, -pane.height * step],
  };
  const zoom = () => zoomOf(view, frame, pane, dpr);
  const move = pan[key];
  if (move && keys.includes('pan')) return panBy(view, move[0], move[1], frame, pane, dpr);
  if (keys.includes('zoom')) {
    if (key === '+' || key === '=')
      return zoomTo(view, stepZoom(zoom(), 1), frame, pane, undefined, dpr);
    if (key === '-' || key === '_')
      return zoomTo(view, stepZoom(zoom(), -1), frame, pane, undefined, dpr);
  }
  if (key === '0' && keys.includes('fit')) return FIT_VIEW;
  if ((key === '1' || key === '2') && keys.includes('presets')) {
    return zoomTo(view, Number(key), frame, pane, undefined, dpr);
  }
  return null;
}

/** The element's size on screen, kept up to date (CSS px). */
export function useMeasuredSize(ref: RefObject<HTMLElement | null>, initial: Size): Size {
  const [size, setSize] = useState<Size>(initial);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const measure = () => {
      const rect = element.getBoundingClientRect();
      if (rect.width > 0 && rect.height > 0) setSize({ width: rect.width, height: rect.height });
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return size;
}

export interface PanZoomOptions {
  stage: RefObject<HTMLElement | null>;
  /** The latest geometry (the listeners outlive renders, so they ask each time). */
  read: () => ZoomGeometry;
  setView: (view: View) => void;
  /** The viewport under the cursor, when the stage holds several (Compare's panes). */
  paneSelector?: string;
}

/**
 * The wheel zooms to the cursor and a drag pans. Returns the pointer handlers for the stage; a
 * place with other things to drag (Compare's divider) handles those first and hands the rest on.
 */
export function usePanZoom({ stage, read, setView, paneSelector }: PanZoomOptions) {
  const latest = useRef({ read, setView, paneSelector });
  useLayoutEffect(() => {
    latest.current = { read, setView, paneSelector };
  });

  useEffect(() => {
    const element = stage.current;
    if (!element) return undefined;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const { read: get, setView: set, paneSelector: selector } = latest.current;
      const g = get();
      const target = selector ? (event.target as Element | null)?.closest(selector) : null;
      const rect = (target ?? element).getBoundingClientRect();
      const anchor = { x: event.clientX - rect.left, y: event.clientY - rect.top };
      const current = zoomOf(g.view, g.frame, g.pane, g.dpr);
      set(
        zoomTo(
          g.view,
          current * wheelFactor(event.deltaY, event.deltaMode),
          g.frame,
          g.pane,
          anchor,
          g.dpr,
        ),
      );
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [stage]);

  const drag = useRef<{ id: number; x: number; y: number } | null>(null);

  const onPointerDown = useCallback((event: ReactPointerEvent<HTMLElement>) => {
    if (event.button !== 0) return;
    drag.current = { id: event.pointerId, x: event.clientX, y: event.clientY };
    event.currentTarget.setPointerCapture(event.pointerId);
  }, []);

  const onPointerMove = useCallback((event: ReactPointerEvent<HTMLElement>) => {
    const d = drag.current;
    if (d?.id !== event.pointerId) return;
    const dx = event.clientX - d.x;
    const dy = event.clientY - d.y;
    d.x = event.clientX;
    d.y = event.clientY;
    const g = latest.current.read();
    latest.current.setView(panBy(g.view, dx, dy, g.frame, g.pane, g.dpr));
  }, []);

  const onPointerUp = useCallback((event: ReactPointerEvent<HTMLElement>) => {
    if (drag.current?.id === event.pointerId) drag.current = null;
  }, []);

  return { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp };
}
