import type { LabelMap } from '../../domain/label-map.ts';
import { LesionLabel } from '../../domain/label-map.ts';
import { checkLabelMap, checkLabelValue, checkSameGrid } from './check-inputs.ts';
import type { EditPatch } from './edit-patch.ts';
import { interpolatePair } from './interpolate-pair.ts';
import { MaskToolError } from './mask-tool-error.ts';
import { editableLabelOf, type OverwriteRule } from './overwrite-rule.ts';
import { PatchBuilder } from './patch-builder.ts';
import { inPlaneAxes, viewNormalAxis, type ViewPlane } from './view-plane.ts';
import { zeroWordScanner } from './zero-word-skip.ts';

export interface InterpolateOptions {
  /** The view the reader annotated in; slices are interpolated along its normal. */
  readonly plane: ViewPlane;
  /** Classes interpolated, each on its own, in this order; default GGO then high opacity (1, 2). */
  readonly classes?: readonly number[];
  /**
   * Slice indices (along the normal) the reader edited. Default: for each class, every slice that
   * contains it (3D Slicer's "Fill between slices"). An explicit key slice without the class is
   * an intentional "nothing here" and makes shapes vanish towards it.
   */
  readonly keySlices?: readonly number[];
  /**
   * Key slices per class (label value → slice indices along the normal), for a reader who edited
   * different slices for different classes: a class is interpolated only between its own key
   * slices, so a slice edited for high opacity is not a "no GGO here" key slice for GGO. Takes
   * precedence over `keySlices`; `classes` defaults to the map's labels, in ascending order.
   */
  readonly keySlicesByClass?: ReadonlyMap<number, readonly number[]>;
  /** Which existing labels interpolated voxels may replace; default `only-empty`. */
  readonly overwrite?: OverwriteRule;
  /** Editable area (e.g. the lung mask): only its non-zero voxels change. */
  readonly editableMask?: Uint8Array;
}

/** One run of slices strictly between two key slices that was interpolated for a class. */
export interface InterpolatedGap {
  readonly label: number;
  readonly fromSlice: number;
  readonly toSlice: number;
}

export interface InterpolateResult {
  readonly patch: EditPatch;
  readonly gaps: readonly InterpolatedGap[];
}

/**
 * Fills the slices between consecutive key slices of each class by signed-distance (shape-based)
 * interpolation, with the correspondence step of morphological contour interpolation
 * (Albu et al. 2008; ITK/Slicer/OHIF) so that shapes that do not overlap are not lost:
 * 1. the 8-connected components of the class in key slices a and b are grouped by overlap;
 *    each group is interpolated in place: slice a + m (0 < m < b − a), at fraction
 *    t = m / (b − a), gets the pixels with (1 − t)·sdfA + t·sdfB ≤ 0 (`signedDistance2d`, mm with
 *    the in-plane spacing, negative inside);
 * 2. a component with no overlapping partner is paired with the nearest unpaired component of
 *    the other slice when their centroids are within 4·(rA + rB) (r: radius of a disc of equal
 *    area: far enough to follow a lesion that moved by more than its size, not so far that a
 *    lesion in one lung pairs with one in the other); the pair is aligned on its centroids, interpolated, and moved along the line between
 *    the centroids (so a shifting lesion is followed);
 * 3. a component left without a partner shrinks towards its deepest point and is gone past
 *    half-way.
 * Interpolation only adds voxels: a voxel changes when the overwrite rule (default
 * `only-empty`) and the editable mask allow; where two classes' results overlap, the class
 * listed first wins. Modifies the labels in place and returns the patch.
 */
export function interpolateSlices(labelMap: LabelMap, options: InterpolateOptions): InterpolateResult {
  checkLabelMap(labelMap);
  const byClass = options.keySlicesByClass;
  const classes =
    options.classes ?? (byClass !== undefined ? [...byClass.keys()].sort((x, y) => x - y) : [LesionLabel.ggo, LesionLabel.highOpacity]);
  const selected = new Uint8Array(256);
  for (const c of classes) {
    checkLabelValue('interpolated class', c);
    if (c === 0) throw new MaskToolError('invalid-argument', 'interpolation works on classes 1–255, not background');
    selected[c] = 1;
  }
  const editable = editableLabelOf(options.overwrite ?? 'only-empty');
  const editableMask = options.editableMask;
  if (editableMask !== undefined) checkSameGrid('editable mask', editableMask, labelMap);

  const size = labelMap.size;
  const normal = viewNormalAxis(options.plane, labelMap.directionLps);
  const [pAxis, qAxis] = inPlaneAxes(normal);
  const width = size[pAxis],
    height = size[qAxis],
    nSlices = size[normal];
  const stride = [1, size[0], size[0] * size[1]] as const;
  const strideP = stride[pAxis],
    strideQ = stride[qAxis],
    strideN = stride[normal];
  const sp = labelMap.spacingMm[pAxis],
    sq = labelMap.spacingMm[qAxis];
  const labels = labelMap.data;

  const checkedKeys = (list: readonly number[]): number[] => {
    for (const s of list) {
      if (!Number.isInteger(s) || s < 0 || s >= nSlices) {
        throw new MaskToolError('invalid-argument', `key slice ${s} is outside 0..${nSlices - 1}`);
      }
    }
    return [...new Set(list)].sort((x, y) => x - y);
  };
  let explicitKeys: number[] | null = null;
  const keysByClass = new Map<number, number[]>();
  if (byClass !== undefined) {
    for (const [label, list] of byClass) keysByClass.set(label, checkedKeys(list));
  } else if (options.keySlices !== undefined) {
    explicitKeys = checkedKeys(options.keySlices);
  }
  const presence = explicitKeys === null && byClass === undefined ? slicePresence(labels, size, normal, selected) : null;

  const extract = (slice: number, label: number): Uint8Array => {
    const mask = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      const base = slice * strideN + y * strideQ;
      for (let x = 0; x < width; x++) if (labels[base + x * strideP] === label) mask[x + y * width] = 1;
    }
    return mask;
  };

  const proposals: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(nSlices);
  const gaps: InterpolatedGap[] = [];
  for (const label of new Set(classes)) {
    let keys = byClass !== undefined ? (keysByClass.get(label) ?? []) : explicitKeys;
    if (keys === null) {
      keys = [];
      for (let s = 0; s < nSlices; s++) if (presence![label * nSlices + s] !== 0) keys.push(s);
    }
    let previous: { slice: number; mask: Uint8Array } | null = null;
    for (let m = 0; m + 1 < keys.length; m++) {
      const a = keys[m]!,
        b = keys[m + 1]!;
      if (b - a < 2) continue;
      const maskA = previous !== null && previous.slice === a ? previous.mask : extract(a, label);
      const maskB = extract(b, label);
      previous = { slice: b, mask: maskB };
      const planeFor = (step: number): Uint8Array => (proposals[a + step] ??= new Uint8Array(width * height));
      if (interpolatePair(maskA, maskB, width, height, sp, sq, b - a, label, planeFor)) {
        gaps.push({ label, fromSlice: a, toSlice: b });
      }
    }
  }

  // Write the proposals in increasing linear-index order: loop k, j, i, where the normal axis
  // only runs over the slices that received a proposal.
  const touched: number[] = [];
  for (let s = 0; s < nSlices; s++) if (proposals[s] !== undefined) touched.push(s);
  const builder = new PatchBuilder();
  if (touched.length > 0) {
    const ranges = [0, 1, 2].map((axis) =>
      axis === normal ? Int32Array.from(touched) : Int32Array.from({ length: size[axis as 0 | 1 | 2] }, (_, x) => x),
    ) as [Int32Array, Int32Array, Int32Array];
    const [r0, r1, r2] = ranges;
    for (const k of r2) {
      for (const j of r1) {
        for (const i of r0) {
          const s = normal === 0 ? i : normal === 1 ? j : k;
          const x = pAxis === 0 ? i : j;
          const y = qAxis === 1 ? j : k;
          const value = proposals[s]![x + y * width]!;
          if (value === 0) continue;
          const index = i + j * stride[1] + k * stride[2];
          const current = labels[index]!;
          if (current === value) continue;
          if (editable >= 0 && current !== editable) continue;
          if (editableMask !== undefined && editableMask[index] === 0) continue;
          builder.push(index, current, value);
          labels[index] = value;
        }
      }
    }
  }
  return { patch: builder.build(), gaps };
}

/** presence[label·nSlices + s] = 1 when slice s (along `normal`) holds a selected label. */
function slicePresence(labels: Uint8Array, size: readonly [number, number, number], normal: 0 | 1 | 2, selected: Uint8Array): Uint8Array {
  const nI = size[0],
    nJ = size[1];
  const nSlices = size[normal];
  const presence = new Uint8Array(256 * nSlices);
  const n = labels.length;
  const scan = zeroWordScanner(labels);
  let p = 0;
  while (p < n) {
    p = scan.next(p);
    if (p >= n) break;
    const label = labels[p]!;
    if (label !== 0 && selected[label] !== 0) {
      const s = normal === 2 ? Math.floor(p / (nI * nJ)) : normal === 1 ? Math.floor(p / nI) % nJ : p % nI;
      presence[label * nSlices + s] = 1;
    }
    p++;
  }
  return presence;
}
