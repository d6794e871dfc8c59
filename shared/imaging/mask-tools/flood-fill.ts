import type { LabelMap } from '../../domain/label-map.ts';
import type { Vec3, Volume } from '../../domain/volume.ts';
import { checkLabelMap, checkLabelValue, checkSameGrid, checkVolumeMatches } from './check-inputs.ts';
import { emptyPatch, type EditPatch } from './edit-patch.ts';
import { checkHuRange, type HuRange } from './hu-range.ts';
import { MaskToolError } from './mask-tool-error.ts';
import { editableLabelOf, type OverwriteRule } from './overwrite-rule.ts';
import { PatchBuilder } from './patch-builder.ts';
import { inPlaneAxes, viewNormalAxis, type IndexAxis, type ViewPlane } from './view-plane.ts';

/** Default bound of a fill region in voxels (≈ 1 L at 0.7 × 0.7 × 1 mm): a leak stops here. */
export const DEFAULT_FILL_MAX_VOXELS = 2_000_000;

export interface FloodFillOptions {
  /** Label written into the region (0 clears it). */
  readonly value: number;
  /** 2-D fill inside the slice of this view through the seed; omit for a 3-D fill. */
  readonly plane?: ViewPlane;
  /** `face`: 4 (2-D) / 6 (3-D) neighbours, the default; `full`: 8 / 26 neighbours. */
  readonly connectivity?: 'face' | 'full';
  /** Region voxels must have `minHu ≤ HU ≤ maxHu` (needs `volume`). */
  readonly huRange?: HuRange;
  /** CT on the label map's grid, required with `huRange`. */
  readonly volume?: Volume;
  /**
   * Region voxels must hold the seed's current label (e.g. fill a hole: seed on background inside
   * a lesion, 2-D). Default: true without `huRange`, false with it. Both criteria may be combined.
   */
  readonly sameLabel?: boolean;
  /** Which existing labels may change; default `overwrite-all`. */
  readonly overwrite?: OverwriteRule;
  /** Editable area (e.g. the lung mask): the region never grows outside its non-zero voxels. */
  readonly editableMask?: Uint8Array;
  /** Largest region accepted (voxels); default {@link DEFAULT_FILL_MAX_VOXELS}. */
  readonly maxVoxels?: number;
}

export interface FloodFillResult {
  /** The change (empty unless `status` is `filled`). */
  readonly patch: EditPatch;
  /** Voxels of the connected region, including those that already held `value`. */
  readonly regionVoxels: number;
  /**
   * `filled`; `seed-rejected` when the seed itself fails the criteria; `limit-reached` when the
   * region grew past `maxVoxels` (a leak), in which case nothing was changed.
   */
  readonly status: 'filled' | 'seed-rejected' | 'limit-reached';
}

/**
 * Flood fill from `seedIjk` (voxel indices, rounded to the nearest voxel): the connected region
 * of voxels that meet the criteria (HU range and/or same label as the seed) and that the edit
 * may change (overwrite rule, or already holding `value`; inside `editableMask`) gets `value`.
 * 2-D fills stay in the view's slice through the seed. Scan-line algorithm with a bitset of
 * visited voxels (one bit per voxel of the slice or volume), so no per-voxel objects.
 * Modifies the labels in place; throws `MaskToolError` (before any change) for a seed outside
 * the volume or invalid options.
 */
export function floodFill(labelMap: LabelMap, seedIjk: Vec3, options: FloodFillOptions): FloodFillResult {
  checkLabelMap(labelMap);
  checkLabelValue('fill value', options.value);
  const size = labelMap.size;
  const seed = [Math.round(seedIjk[0]), Math.round(seedIjk[1]), Math.round(seedIjk[2])] as const;
  for (let a = 0; a < 3; a++) {
    if (!(seed[a]! >= 0 && seed[a]! < size[a as IndexAxis])) {
      throw new MaskToolError('invalid-argument', `fill seed (${seedIjk.join(', ')}) is outside the volume`);
    }
  }
  const huRange = options.huRange;
  let hu: Int16Array | null = null;
  if (huRange !== undefined) {
    checkHuRange(huRange);
    if (options.volume === undefined) {
      throw new MaskToolError('invalid-argument', 'a flood fill with an HU range needs the volume');
    }
    checkVolumeMatches(options.volume, labelMap);
    hu = options.volume.data;
  }
  const sameLabel = options.sameLabel ?? huRange === undefined;
  if (!sameLabel && hu === null) {
    throw new MaskToolError('invalid-argument', 'a flood fill needs an HU range, same-label connectivity or both');
  }
  const editableMask = options.editableMask;
  if (editableMask !== undefined) checkSameGrid('editable mask', editableMask, labelMap);
  const maxVoxels = options.maxVoxels ?? DEFAULT_FILL_MAX_VOXELS;
  if (!(maxVoxels >= 1) || (Number.isFinite(maxVoxels) && !Number.isInteger(maxVoxels))) {
    throw new MaskToolError('invalid-argument', `maxVoxels must be a positive integer or Infinity, got ${maxVoxels}`);
  }
  const full = (options.connectivity ?? 'face') === 'full';
  if (
    options.connectivity !== undefined &&
    options.connectivity !== 'face' &&
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- runtime guard: options come from callers outside the type system (IPC, tests of bad input)
    options.connectivity !== 'full'
  ) {
    throw new MaskToolError('invalid-argument', `unknown connectivity "${String(options.connectivity)}"`);
  }

  // Box axes (u fastest, v, w): 3-D = (i, j, k); 2-D = the two in-plane axes, then the normal.
  let axes: readonly [IndexAxis, IndexAxis, IndexAxis];
  let neighbours: readonly (readonly [number, number])[];
  if (options.plane === undefined) {
    axes = [0, 1, 2];
    neighbours = full
      ? [
          [-1, -1],
          [0, -1],
          [1, -1],
          [-1, 0],
          [1, 0],
          [-1, 1],
          [0, 1],
          [1, 1],
        ]
      : [
          [0, -1],
          [-1, 0],
          [1, 0],
          [0, 1],
        ];
  } else {
    const normal = viewNormalAxis(options.plane, labelMap.directionLps);
    axes = [...inPlaneAxes(normal), normal];
    neighbours = [
      [-1, 0],
      [1, 0],
    ];
  }
  const reachU = full ? 1 : 0;
  const stride = [1, size[0], size[0] * size[1]] as const;
  const su = stride[axes[0]],
    sv = stride[axes[1]],
    sw = stride[axes[2]];
  const nu = size[axes[0]],
    nv = size[axes[1]];
  const is2d = options.plane !== undefined;
  const w0 = is2d ? seed[axes[2]] : 0;
  const w1 = is2d ? w0 : size[axes[2]] - 1;
  const nw = w1 - w0 + 1;
  const planeBox = nu * nv;
  const visited = new Uint32Array(Math.ceil((planeBox * nw) / 32));

  const labels = labelMap.data;
  const value = options.value;
  const seedIndex = seed[0] + seed[1] * stride[1] + seed[2] * stride[2];
  const seedLabel = labels[seedIndex]!;
  const editable = editableLabelOf(options.overwrite ?? 'overwrite-all');
  const minHu = huRange?.minHu ?? 0;
  const maxHu = huRange?.maxHu ?? 0;
  const accepts = (index: number): boolean => {
    const current = labels[index]!;
    if (sameLabel && current !== seedLabel) return false;
    if (editable >= 0 && current !== editable && current !== value) return false;
    if (editableMask !== undefined && editableMask[index] === 0) return false;
    if (hu !== null) {
      const h = hu[index]!;
      if (h < minHu || h > maxHu) return false;
    }
    return true;
  };
  const isVisited = (b: number): boolean => (visited[b >>> 5]! & (1 << (b & 31))) !== 0;

  if (!accepts(seedIndex)) return { patch: emptyPatch(), regionVoxels: 0, status: 'seed-rejected' };

  let stack = new Int32Array(3 * 1024);
  let sp = 0;
  const push = (u: number, v: number, w: number): void => {
    if (sp + 3 > stack.length) {
      const grown = new Int32Array(stack.length * 2);
      grown.set(stack);
      stack = grown;
    }
    stack[sp++] = u;
    stack[sp++] = v;
    stack[sp++] = w;
  };
  push(seed[axes[0]], seed[axes[1]], seed[axes[2]]);
  let count = 0;

  while (sp > 0) {
    const w = stack[--sp]!;
    const v = stack[--sp]!;
    const u = stack[--sp]!;
    const rowBox = v * nu + (w - w0) * planeBox;
    if (isVisited(rowBox + u)) continue;
    const rowLin = v * sv + w * sw;
    let l = u;
    while (l > 0 && !isVisited(rowBox + l - 1) && accepts(rowLin + (l - 1) * su)) l--;
    let r = u;
    while (r < nu - 1 && !isVisited(rowBox + r + 1) && accepts(rowLin + (r + 1) * su)) r++;
    for (let x = l; x <= r; x++) {
      const b = rowBox + x;
      visited[b >>> 5]! |= 1 << (b & 31);
    }
    count += r - l + 1;
    if (count > maxVoxels) return { patch: emptyPatch(), regionVoxels: count, status: 'limit-reached' };
    const from = Math.max(0, l - reachU);
    const to = Math.min(nu - 1, r + reachU);
    for (const [dv, dw] of neighbours) {
      const v2 = v + dv;
      const w2 = w + dw;
      if (v2 < 0 || v2 >= nv || w2 < w0 || w2 > w1) continue;
      const rowBox2 = v2 * nu + (w2 - w0) * planeBox;
      const rowLin2 = v2 * sv + w2 * sw;
      let inRun = false;
      for (let x = from; x <= to; x++) {
        if (!isVisited(rowBox2 + x) && accepts(rowLin2 + x * su)) {
          if (!inRun) push(x, v2, w2);
          inRun = true;
        } else {
          inRun = false;
        }
      }
    }
  }

  // Visit the region in box order, which is increasing linear order for these axis choices.
  const builder = new PatchBuilder(Math.min(count, 1 << 20));
  for (let word = 0; word < visited.length; word++) {
    let bits = visited[word]!;
    while (bits !== 0) {
      const low = bits & -bits;
      const b = word * 32 + (31 - Math.clz32(low));
      bits ^= low;
      const u = b % nu;
      const rest = (b - u) / nu;
      const v = rest % nv;
      const w = w0 + (rest - v) / nv;
      const index = u * su + v * sv + w * sw;
      const current = labels[index]!;
      if (current === value) continue;
      builder.push(index, current, value);
      labels[index] = value;
    }
  }
  return { patch: builder.build(), regionVoxels: count, status: 'filled' };
}
