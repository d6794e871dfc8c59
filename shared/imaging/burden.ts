import type { LabelMap } from '../domain/label-map.ts';
import { voxelVolumeMl, type Volume } from '../domain/volume.ts';
import type { BurdenResult } from './burden-result.ts';
import { burdenFromCounts, countBurdenVoxels } from './burden-tally.ts';

/**
 * Burden definitions (copied into the README):
 * - Lung volume: voxels of the lung mask (label 1 right lung, 2 left lung) × voxel volume (mL).
 * - GGO / high-opacity volume: lesion voxels of label 1 / 2 that lie INSIDE the lung mask. Lesion
 *   voxels outside the lung mask are not counted (they are reported as `lesionOutsideLungMl`) so
 *   that the burden is a fraction of the lung; the lung mask keeps dense consolidation and
 *   effusion inside the pleural envelope, so these are not lost.
 * - Burden % = (GGO + high opacity) / lung × 100; GGO % and high-opacity % likewise, per class.
 * - Left/right: the same figures restricted to each lung (patient sides; right = label 1).
 * - Zones: each lung's craniocaudal extent (first to last axial slice containing that lung) is cut
 *   into three equal thirds along the slice axis (k → superior); upper/middle/lower sum both
 *   lungs' thirds. Equal-height thirds are the common convention of zonal CT scoring when lobes
 *   are not segmented.
 * - `highOpacityHuFraction`: percent of lesion voxels (inside the lung) with HU ≥ −200, the HU
 *   threshold Chaganti et al. used to split lesions into opacity / high opacity; a secondary,
 *   model-independent figure. Null when there are no lesion voxels.
 */
export type { BurdenResult, RegionBurden, ZoneBurden } from './burden-result.ts';
export { HIGH_OPACITY_HU } from './burden-tally.ts';

/**
 * Computes the burden of a case from its HU volume, lung mask and lesion labels (all on the same
 * grid, LPS-reoriented so that k runs inferior → superior). `lesion = null` means no lesion map
 * (all lesion figures 0). One counting pass, then `burdenFromCounts`: the function the live
 * burden of the review screen (`BurdenTally`) uses too.
 */
export function computeBurden(volume: Volume, lung: LabelMap, lesion: Uint8Array | null): BurdenResult {
  return burdenFromCounts(countBurdenVoxels(volume.size, volume.data, lung.data, lesion), voxelVolumeMl(volume));
}
