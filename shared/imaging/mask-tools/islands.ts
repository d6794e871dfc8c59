import type { LabelMap } from '../../domain/label-map.ts';
import { LesionLabel } from '../../domain/label-map.ts';
import { voxelVolumeMl } from '../../domain/volume.ts';
import { checkLabelMap, checkLabelValue } from './check-inputs.ts';
import type { EditPatch } from './edit-patch.ts';
import { labelRuns } from './label-runs.ts';
import { MaskToolError } from './mask-tool-error.ts';
import { PatchBuilder } from './patch-builder.ts';

export interface IslandOptions {
  /**
   * `remove-small`: remove every component smaller than `minVoxels` / `minVolumeMl`;
   * `keep-largest`: keep only the largest component of each class (ties: the first in scan order).
   */
  readonly mode: 'remove-small' | 'keep-largest';
  /** 6 (shared faces, the default) or 26 (faces, edges and corners). */
  readonly connectivity?: 6 | 26;
  /** `remove-small`: components with fewer voxels are removed (give this or `minVolumeMl`). */
  readonly minVoxels?: number;
  /** `remove-small`: components with a smaller volume in mL are removed (voxel volume from spacingMm). */
  readonly minVolumeMl?: number;
  /** Classes processed, each separately; default GGO and high opacity (1, 2). Others are untouched. */
  readonly classes?: readonly number[];
}

/** What island removal did to one class. */
export interface IslandClassStats {
  readonly label: number;
  /** Components of the class before the edit. */
  readonly components: number;
  readonly removedComponents: number;
  readonly removedVoxels: number;
}

export interface IslandResult {
  readonly patch: EditPatch;
  readonly perClass: readonly IslandClassStats[];
}

/**
 * Island removal per class (3D Slicer's Islands effect, Cornerstone3D's islandRemoval): components
 * are computed for each class on its own (a GGO island touching high opacity is still a GGO
 * island), and removed voxels become background (0). Run-length labelling, so a
 * 512×512×300 map costs one pass over the bytes plus work per run. Modifies the labels in place.
 */
export function removeIslands(labelMap: LabelMap, options: IslandOptions): IslandResult {
  checkLabelMap(labelMap);
  const connectivity = options.connectivity ?? 6;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- runtime guard: options come from callers outside the type system (IPC, tests of bad input)
  if (connectivity !== 6 && connectivity !== 26) {
    throw new MaskToolError('invalid-argument', `connectivity must be 6 or 26, got ${String(connectivity)}`);
  }
  const classes = options.classes ?? [LesionLabel.ggo, LesionLabel.highOpacity];
  const selected = new Uint8Array(256);
  for (const c of classes) {
    checkLabelValue('island class', c);
    if (c === 0) throw new MaskToolError('invalid-argument', 'island removal works on classes 1–255, not background');
    selected[c] = 1;
  }
  let minVoxels = 0;
  if (options.mode === 'remove-small') {
    if ((options.minVoxels === undefined) === (options.minVolumeMl === undefined)) {
      throw new MaskToolError('invalid-argument', 'remove-small needs exactly one of minVoxels and minVolumeMl');
    }
    if (options.minVoxels !== undefined) {
      if (!(options.minVoxels >= 0) || !Number.isFinite(options.minVoxels)) {
        throw new MaskToolError('invalid-argument', `minVoxels must be ≥ 0, got ${options.minVoxels}`);
      }
      minVoxels = Math.ceil(options.minVoxels);
    } else {
      const ml = options.minVolumeMl!;
      if (!(ml >= 0) || !Number.isFinite(ml)) {
        throw new MaskToolError('invalid-argument', `minVolumeMl must be ≥ 0, got ${ml}`);
      }
      // size·voxelMl < ml  ⇔  size < ml / voxelMl  ⇔  size < ceil(ml / voxelMl) for integer sizes.
      minVoxels = Math.ceil(ml / voxelVolumeMl(labelMap) - 1e-9);
    }
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- runtime guard: options come from callers outside the type system (IPC, tests of bad input)
  } else if (options.mode !== 'keep-largest') {
    throw new MaskToolError('invalid-argument', `unknown island mode "${String(options.mode)}"`);
  }

  const labels = labelMap.data;
  const runs = labelRuns(labels, labelMap.size, connectivity, selected);
  const { runCount, runRow, runStart, runEnd, runLabel, runComponent, componentSize } = runs;

  // Per class: component count and, for keep-largest, the component kept.
  const components = new Float64Array(256);
  const largest = new Int32Array(256).fill(-1);
  for (let r = 0; r < runCount; r++) {
    if (runComponent[r] !== r) continue;
    const label = runLabel[r]!;
    components[label]!++;
    const best = largest[label]!;
    if (best < 0 || componentSize[r]! > componentSize[best]!) largest[label] = r;
  }
  const removeRun = (r: number): boolean => {
    const component = runComponent[r]!;
    return options.mode === 'keep-largest' ? component !== largest[runLabel[r]!] : componentSize[component]! < minVoxels;
  };

  const removedComponents = new Float64Array(256);
  const removedVoxels = new Float64Array(256);
  const nI = labelMap.size[0];
  const builder = new PatchBuilder();
  for (let r = 0; r < runCount; r++) {
    if (!removeRun(r)) continue;
    const label = runLabel[r]!;
    if (runComponent[r] === r) removedComponents[label]!++;
    const base = runRow[r]! * nI;
    for (let i = runStart[r]!; i <= runEnd[r]!; i++) {
      builder.push(base + i, label, 0);
      labels[base + i] = 0;
    }
    removedVoxels[label]! += runEnd[r]! - runStart[r]! + 1;
  }
  const perClass = [...new Set(classes)].map((label) => ({
    label,
    components: components[label]!,
    removedComponents: removedComponents[label]!,
    removedVoxels: removedVoxels[label]!,
  }));
  return { patch: builder.build(), perClass };
}
