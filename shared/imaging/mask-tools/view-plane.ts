import type { Mat3 } from '../../domain/volume.ts';

/** The plane of a 2-D view. Its normal is LPS z (axial), y (coronal) or x (sagittal). */
export type ViewPlane = 'axial' | 'coronal' | 'sagittal';

/** An index axis of the volume grid: 0 = i, 1 = j, 2 = k (see `shared/domain/volume.ts`). */
export type IndexAxis = 0 | 1 | 2;

const LPS_COMPONENT: Readonly<Record<ViewPlane, 0 | 1 | 2>> = { sagittal: 0, coronal: 1, axial: 2 };

/**
 * The index axis (i, j or k) closest to the normal of `plane`, i.e. the axis whose LPS direction
 * has the largest component along x (sagittal), y (coronal) or z (axial). For a volume
 * reoriented to LPS this is i, j and k respectively; for an oblique acquisition it is the
 * nearest axis, and slices of the view are the grid slices perpendicular to it.
 */
export function viewNormalAxis(plane: ViewPlane, directionLps: Mat3): IndexAxis {
  const component = LPS_COMPONENT[plane];
  let best: IndexAxis = 0;
  let bestValue = -1;
  for (const axis of [0, 1, 2] as const) {
    const value = Math.abs(directionLps[3 * axis + component]!);
    if (value > bestValue + 1e-9) {
      best = axis;
      bestValue = value;
    }
  }
  return best;
}

/** The two in-plane index axes of a slice perpendicular to `normal`, lower axis first. */
export function inPlaneAxes(normal: IndexAxis): readonly [IndexAxis, IndexAxis] {
  if (normal === 0) return [1, 2];
  if (normal === 1) return [0, 2];
  return [0, 1];
}
