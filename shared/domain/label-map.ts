import type { VolumeGeometry } from './volume.ts';

/**
 * Lesion classes of the model and of the reader's label maps. Values are voxel labels in a
 * `Uint8Array` on the grid of the source volume (same axis order as {@link Volume}).
 */
export const LesionLabel = {
  background: 0,
  /** Ground-glass opacity. */
  ggo: 1,
  /** High opacity: consolidation and pleural effusion. */
  highOpacity: 2,
} as const;
export type LesionLabel = (typeof LesionLabel)[keyof typeof LesionLabel];

/** Lung mask labels: 0 outside, 1 right lung, 2 left lung (patient sides). */
export const LungLabel = { outside: 0, right: 1, left: 2 } as const;
export type LungLabel = (typeof LungLabel)[keyof typeof LungLabel];

/** A label map on a volume's grid. `data.length === size[0]*size[1]*size[2]`. */
export interface LabelMap extends VolumeGeometry {
  readonly data: Uint8Array;
}

/** Display colours (RGB 0–255) of the lesion classes, as in the paper's figures. */
export const LESION_COLOURS: Readonly<Record<'ggo' | 'highOpacity', readonly [number, number, number]>> = {
  ggo: [30, 110, 255],
  highOpacity: [255, 215, 0],
};
