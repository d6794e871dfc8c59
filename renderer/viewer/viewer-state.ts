import { createStore, type Store } from '../app/store.ts';
import type { ViewName } from './view-axes.ts';
import type { WindowLevel } from './window-presets.ts';

/** Display of one overlay class. Opacity 0–1. */
export interface OverlayStyle {
  readonly visible: boolean;
  readonly opacity: number;
}

export interface OverlaySettings {
  readonly ggo: OverlayStyle;
  readonly highOpacity: OverlayStyle;
  readonly lung: OverlayStyle;
}

/** Zoom (1 = fit) and pan (screen px) of one view. */
export interface ViewCamera {
  readonly zoom: number;
  readonly panPx: readonly [number, number];
}

/** The shared state of the MPR viewer: cursor (voxel indices), window, overlays, cameras. */
export interface ViewerState {
  /** Crosshair position as voxel indices [i, j, k]. */
  readonly cursor: Store<readonly [number, number, number]>;
  readonly window: Store<WindowLevel>;
  readonly overlays: Store<OverlaySettings>;
  readonly cameras: Store<Readonly<Record<ViewName, ViewCamera>>>;
  /** Bumped whenever label voxels change (edits, undo, loading a version). */
  readonly labelsRevision: Store<number>;
  /** The view the pointer last interacted with (keyboard slice stepping goes there). */
  readonly activeView: Store<ViewName>;
}

export const DEFAULT_OVERLAYS: OverlaySettings = {
  ggo: { visible: true, opacity: 0.45 },
  highOpacity: { visible: true, opacity: 0.5 },
  lung: { visible: true, opacity: 0.8 },
};

const fit: ViewCamera = { zoom: 1, panPx: [0, 0] };

/** Fresh viewer state centred on a volume of `size` voxels. */
export function createViewerState(size: readonly [number, number, number], window: WindowLevel): ViewerState {
  return {
    cursor: createStore<readonly [number, number, number]>([size[0] >> 1, size[1] >> 1, size[2] >> 1]),
    window: createStore(window),
    overlays: createStore(DEFAULT_OVERLAYS),
    cameras: createStore<Readonly<Record<ViewName, ViewCamera>>>({ axial: fit, coronal: fit, sagittal: fit }),
    labelsRevision: createStore(0),
    activeView: createStore<ViewName>('axial'),
  };
}

/** Resets every view to "fit" (zoom 1, no pan). */
export function resetCameras(state: ViewerState): void {
  state.cameras.set({ axial: fit, coronal: fit, sagittal: fit });
}
