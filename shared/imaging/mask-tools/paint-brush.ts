import type { LabelMap } from '../../domain/label-map.ts';
import type { BrushStroke } from './brush-stroke.ts';
import { strokeToIjk } from './brush-stroke.ts';
import { rasterizeBrush, type BrushShape } from './brush-footprint.ts';
import { checkLabelMap, checkLabelValue, checkSameGrid } from './check-inputs.ts';
import { emptyPatch, type EditPatch } from './edit-patch.ts';
import type { HuRange } from './hu-range.ts';
import { MaskToolError } from './mask-tool-error.ts';
import { editableLabelOf, type OverwriteRule } from './overwrite-rule.ts';
import { viewNormalAxis, type ViewPlane } from './view-plane.ts';

/** Largest accepted brush radius (mm); OHIF's slider stops at 99.5 mm. */
export const MAX_BRUSH_RADIUS_MM = 500;

/** Options shared by the brush, the eraser and the threshold brush. */
export interface BrushOptions {
  /** Label written: 1 GGO, 2 high opacity, 0 erases. */
  readonly value: number;
  /**
   * Brush radius in millimetres (distances use the voxel spacing of each axis). A voxel is
   * painted when its centre is within the radius, so a radius under half a voxel can paint
   * nothing when the pointer is between voxel centres.
   */
  readonly radiusMm: number;
  /** `circle`: a disc in the active view's slice; `sphere`: a ball through neighbouring slices too. */
  readonly shape: 'circle' | 'sphere';
  /** The active view; required for `circle` (its slice is the grid slice nearest the first point). */
  readonly plane?: ViewPlane;
  /** Which existing labels may change; default `overwrite-all`. */
  readonly overwrite?: OverwriteRule;
  /** Optional editable area on the volume grid (e.g. the lung mask): only non-zero voxels change. */
  readonly editableMask?: Uint8Array;
}

/**
 * Paints one stroke in place and returns its patch: shared core of `paintStroke`,
 * `eraseStroke` and `paintThresholdStroke` (`hu` non-null: only voxels with HU in range change).
 * Only the stroke's bounding box is visited.
 */
export function paintBrush(
  labelMap: LabelMap,
  stroke: BrushStroke,
  options: BrushOptions,
  hu: { readonly data: Int16Array; readonly range: HuRange } | null,
): EditPatch {
  checkLabelMap(labelMap);
  checkLabelValue('paint value', options.value);
  const radius = options.radiusMm;
  if (!(radius > 0 && radius <= MAX_BRUSH_RADIUS_MM)) {
    throw new MaskToolError('invalid-argument', `brush radius must be in (0, ${MAX_BRUSH_RADIUS_MM}] mm, got ${radius}`);
  }
  let shape: BrushShape;
  if (options.shape === 'sphere') {
    shape = { kind: 'sphere' };
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- runtime guard: options come from callers outside the type system (IPC, tests of bad input)
  } else if (options.shape === 'circle') {
    if (options.plane === undefined) {
      throw new MaskToolError('invalid-argument', 'a circle brush needs the view plane (axial, coronal or sagittal)');
    }
    shape = { kind: 'circle', normalAxis: viewNormalAxis(options.plane, labelMap.directionLps) };
  } else {
    throw new MaskToolError('invalid-argument', `unknown brush shape "${String(options.shape)}"`);
  }
  const editable = editableLabelOf(options.overwrite ?? 'overwrite-all');
  const editableMask = options.editableMask;
  if (editableMask !== undefined) checkSameGrid('editable mask', editableMask, labelMap);
  if (hu !== null) checkSameGrid('volume data', hu.data, labelMap);

  const ijk = strokeToIjk(stroke, labelMap);
  const fp = rasterizeBrush(ijk, radius, labelMap.size, labelMap.spacingMm, shape);
  if (fp === null) return emptyPatch();

  const labels = labelMap.data;
  const value = options.value;
  const stride = [1, labelMap.size[0], labelMap.size[0] * labelMap.size[1]] as const;
  const su = stride[fp.axes[0]],
    sv = stride[fp.axes[1]],
    sw = stride[fp.axes[2]];
  const [bu, bv, bw] = fp.boxSize;
  const [u0, v0, w0] = fp.lo;
  const { mask, rowMin, rowMax } = fp;
  const huData = hu === null ? null : hu.data;
  const minHu = hu === null ? 0 : hu.range.minHu;
  const maxHu = hu === null ? 0 : hu.range.maxHu;
  // Hot loop: changes go straight into arrays sized by the span bound (no regrowth); voxels
  // are visited in increasing linear index order, which is the EditPatch order.
  const outIndices = new Uint32Array(fp.spanVoxels);
  const outBefore = new Uint8Array(fp.spanVoxels);
  let count = 0;
  for (let w = 0; w < bw; w++) {
    for (let v = 0; v < bv; v++) {
      const row = v + w * bv;
      const first = rowMin[row]!,
        last = rowMax[row]!;
      if (first > last) continue;
      const base = u0 * su + (v0 + v) * sv + (w0 + w) * sw;
      const maskBase = row * bu;
      for (let u = first; u <= last; u++) {
        if (mask[maskBase + u] === 0) continue;
        const index = base + u * su;
        const current = labels[index]!;
        if (current === value) continue;
        if (editable >= 0 && current !== editable) continue;
        if (editableMask !== undefined && editableMask[index] === 0) continue;
        if (huData !== null) {
          const h = huData[index]!;
          if (h < minHu || h > maxHu) continue;
        }
        outIndices[count] = index;
        outBefore[count++] = current;
        labels[index] = value;
      }
    }
  }
  return {
    indices: outIndices.slice(0, count),
    before: outBefore.slice(0, count),
    after: new Uint8Array(count).fill(value),
  };
}
