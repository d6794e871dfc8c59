import type { ViewName } from './view-axes.ts';
import type { ViewerState } from './viewer-state.ts';
import type { WindowLevel } from './window-presets.ts';
import { WheelSteps, wheelDeltaPixels } from './wheel-steps.ts';

/** What the pointer and wheel handlers of one slice view act on. */
export interface SlicePointerTarget {
  readonly name: ViewName;
  readonly state: ViewerState;
  /** Moves the view's slice by whole slices (clamped by the view). */
  step(delta: number): void;
  invalidate(): void;
  /** The pointer in CSS px relative to the view, or null when it left the view. */
  setHover(hover: { x: number; y: number } | null): void;
  /** A left-button event for the current tool. */
  tool(phase: 'down' | 'move' | 'up', e: PointerEvent): void;
}

type Drag = { mode: 'tool' | 'wl' | 'pan' | 'zoom'; x: number; y: number; wl: WindowLevel; zoom: number; pan: readonly [number, number] };

/**
 * Binds a slice view's navigation to its canvas: wheel = slices (by wheel travel), Ctrl/⌘ + wheel =
 * zoom, right drag = window/level, Ctrl + right drag = zoom, middle or Shift + left drag = pan, left
 * button = the current tool.
 */
export function bindSlicePointerInput(el: HTMLCanvasElement, view: SlicePointerTarget): void {
  const { name, state } = view;
  /** Wheel travel not yet turned into whole slices. */
  const wheel = new WheelSteps();
  let drag: Drag | null = null;
  el.addEventListener('contextmenu', (e) => e.preventDefault());
  el.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      state.activeView.set(name);
      if (e.ctrlKey || e.metaKey) {
        const cams = state.cameras.get();
        const cam = cams[name];
        const zoom = Math.min(40, Math.max(0.25, cam.zoom * Math.exp(-wheelDeltaPixels(e.deltaY, e.deltaMode, el.clientHeight) * 0.0015)));
        state.cameras.set({ ...cams, [name]: { ...cam, zoom } });
      } else {
        const steps = wheel.add(e.deltaY, e.deltaMode, el.clientHeight);
        if (steps !== 0) view.step(steps);
      }
    },
    { passive: false },
  );
  el.addEventListener('pointerdown', (e) => {
    el.focus();
    state.activeView.set(name);
    el.setPointerCapture(e.pointerId);
    const base = {
      x: e.clientX,
      y: e.clientY,
      wl: state.window.get(),
      zoom: state.cameras.get()[name].zoom,
      pan: state.cameras.get()[name].panPx,
    };
    if (e.button === 2 && e.ctrlKey) drag = { mode: 'zoom', ...base };
    else if (e.button === 2) drag = { mode: 'wl', ...base };
    else if (e.button === 1 || (e.button === 0 && e.shiftKey)) drag = { mode: 'pan', ...base };
    else if (e.button === 0) {
      drag = { mode: 'tool', ...base };
      view.tool('down', e);
    }
  });
  el.addEventListener('pointermove', (e) => {
    const r = el.getBoundingClientRect();
    view.setHover({ x: e.clientX - r.left, y: e.clientY - r.top });
    const d = drag;
    if (d?.mode === 'tool') view.tool('move', e);
    else if (d?.mode === 'wl') {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      state.window.set({ widthHu: Math.max(1, d.wl.widthHu + dx * 4), levelHu: d.wl.levelHu + dy * 2 });
    } else if (d?.mode === 'pan' || d?.mode === 'zoom') {
      const cams = state.cameras.get();
      const cam = cams[name];
      const next =
        d.mode === 'pan'
          ? { ...cam, panPx: [d.pan[0] + e.clientX - d.x, d.pan[1] + e.clientY - d.y] as const }
          : { ...cam, zoom: Math.min(40, Math.max(0.25, d.zoom * Math.exp(-(e.clientY - d.y) * 0.01))) };
      state.cameras.set({ ...cams, [name]: next });
    }
    view.invalidate();
  });
  const end = (e: PointerEvent): void => {
    if (drag?.mode === 'tool') view.tool('up', e);
    drag = null;
  };
  el.addEventListener('pointerup', end);
  el.addEventListener('pointercancel', end);
  el.addEventListener('pointerleave', () => {
    view.setHover(null);
    view.invalidate();
  });
}
