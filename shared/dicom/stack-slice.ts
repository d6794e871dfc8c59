import type { FrameHeader } from './instance-header.ts';
import type { InstanceSeriesMetadata } from './series-metadata.ts';

/** One decoded slice (a single-frame instance or one frame of a multi-frame one), ready to stack. */
export interface StackSlice {
  /** Source file, relative to the imported root. */
  readonly file: string;
  readonly sopInstanceUid: string;
  readonly frame: FrameHeader;
  readonly rows: number;
  readonly columns: number;
  /** HU of the slice, row-major (`rows × columns`). */
  readonly hu: Int16Array;
  readonly metadata: InstanceSeriesMetadata;
  readonly spacingBetweenSlicesMm: number | null;
}

/** Tolerances of `assembleStack` (assemble-stack.ts). */
export interface StackTolerances {
  /** Relative deviation of a slice gap from its run's gap above which spacing is uneven (default 0.01 = 1 %). */
  readonly spacingRelative: number;
  /** Absolute slack added to the spacing tolerance for rounded positions, mm (default 0.001). */
  readonly spacingAbsoluteMm: number;
  /** Angle between the stacking direction and the image normal above which the stack is tilted, degrees (default 0.5). */
  readonly tiltDegrees: number;
  /** Two slices closer than this (mm) are at the same position (default 0.01). */
  readonly samePositionMm: number;
}

/**
 * Produces the volume's voxel array from its slices in k order (`plane` = voxels per slice).
 * The default copies; the import session passes one that reorders its slab in place.
 */
export type GatherVoxels = (orderedSlices: readonly StackSlice[], plane: number) => Int16Array;

/** Copies the slices, in order, into a new array. */
export function copySlices(ordered: readonly StackSlice[], plane: number): Int16Array {
  const data = new Int16Array(plane * ordered.length);
  ordered.forEach((s, k) => data.set(s.hu.subarray(0, plane), k * plane));
  return data;
}

/** The tolerances an import uses unless told otherwise. */
export const DEFAULT_STACK_TOLERANCES: StackTolerances = {
  spacingRelative: 0.01,
  spacingAbsoluteMm: 0.001,
  tiltDegrees: 0.5,
  samePositionMm: 0.01,
};
