import type { LabelMap } from '../../domain/label-map.ts';
import type { BrushStroke } from './brush-stroke.ts';
import type { EditPatch } from './edit-patch.ts';
import { paintBrush, type BrushOptions } from './paint-brush.ts';

export type { BrushOptions } from './paint-brush.ts';
export type { BrushStroke } from './brush-stroke.ts';

/**
 * Brush: writes `options.value` into every voxel whose centre lies within `radiusMm` (mm,
 * per-axis spacing) of the stroke polyline (see `rasterizeBrush`), subject to the overwrite rule
 * and the optional editable mask. Modifies `labelMap.data` in place and returns the exact
 * patch (apply it `backward` to undo). Use one call per pointer-move segment while dragging
 * (each is O(segment box)), then `composePatches` the pieces into one undo step.
 *
 * Throws a `MaskToolError` before any change for invalid options (radius outside (0, 500] mm,
 * a circle without a plane, value outside 0–255, mismatched mask size, non-finite points).
 */
export function paintStroke(labelMap: LabelMap, stroke: BrushStroke, options: BrushOptions): EditPatch {
  return paintBrush(labelMap, stroke, options, null);
}

/**
 * Eraser: {@link paintStroke} with value 0. With `overwrite: 'only-class-X'` it erases class X
 * only and leaves the other class untouched.
 */
export function eraseStroke(labelMap: LabelMap, stroke: BrushStroke, options: Omit<BrushOptions, 'value'>): EditPatch {
  return paintBrush(labelMap, stroke, { ...options, value: 0 }, null);
}
