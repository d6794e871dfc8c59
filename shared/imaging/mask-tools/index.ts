/**
 * Mask editing tools: pure operations on `Uint8Array` label maps on the volume grid
 * (axis order of `shared/domain/volume.ts`). Every operation edits the labels in place and
 * returns an exact `EditPatch`, which `UndoStack` keeps for undo/redo.
 */
export {
  applyPatch,
  composePatches,
  emptyPatch,
  patchByteLength,
  patchSize,
  validatePatch,
} from './edit-patch.ts';
export type { EditPatch, PatchDirection } from './edit-patch.ts';
export { UndoStack, DEFAULT_UNDO_MAX_BYTES } from './undo-stack.ts';
export type { HistoryEntry, HistoryItem } from './undo-stack.ts';
export { paintStroke, eraseStroke } from './brush.ts';
export type { BrushOptions, BrushStroke } from './brush.ts';
export { MAX_BRUSH_RADIUS_MM } from './paint-brush.ts';
export { BRUSH_TOLERANCE_MM2 } from './brush-footprint.ts';
export { paintThresholdStroke } from './threshold-brush.ts';
export type { ThresholdBrushOptions } from './threshold-brush.ts';
export { floodFill, DEFAULT_FILL_MAX_VOXELS } from './flood-fill.ts';
export type { FloodFillOptions, FloodFillResult } from './flood-fill.ts';
export { removeIslands } from './islands.ts';
export type { IslandOptions, IslandResult, IslandClassStats } from './islands.ts';
export { interpolateSlices } from './interpolate.ts';
export type { InterpolateOptions, InterpolateResult, InterpolatedGap } from './interpolate.ts';
export { editableLabelOf } from './overwrite-rule.ts';
export type { OverwriteRule } from './overwrite-rule.ts';
export { viewNormalAxis } from './view-plane.ts';
export type { ViewPlane, IndexAxis } from './view-plane.ts';
export type { HuRange } from './hu-range.ts';
export { MaskToolError } from './mask-tool-error.ts';
export type { MaskToolErrorCode } from './mask-tool-error.ts';
