import type { LabelMap } from '../../domain/label-map.ts';
import type { Volume } from '../../domain/volume.ts';
import type { BrushStroke } from './brush-stroke.ts';
import { checkVolumeMatches } from './check-inputs.ts';
import type { EditPatch } from './edit-patch.ts';
import { checkHuRange, type HuRange } from './hu-range.ts';
import { paintBrush, type BrushOptions } from './paint-brush.ts';

/** Brush options plus the inclusive HU window a voxel must fall in to be painted. */
export interface ThresholdBrushOptions extends BrushOptions {
  readonly huRange: HuRange;
}

/**
 * Threshold brush (Slicer's "editable intensity range", OHIF's ThresholdCircle/Sphere): like
 * `paintStroke`, but a covered voxel changes only when `minHu ≤ volume HU ≤ maxHu`
 * (e.g. −750..−300 HU for GGO). Works as a constrained eraser with value 0. `volume` must be on
 * the label map's grid. Modifies the labels in place and returns the patch.
 */
export function paintThresholdStroke(labelMap: LabelMap, volume: Volume, stroke: BrushStroke, options: ThresholdBrushOptions): EditPatch {
  checkVolumeMatches(volume, labelMap);
  checkHuRange(options.huRange);
  return paintBrush(labelMap, stroke, options, { data: volume.data, range: options.huRange });
}
