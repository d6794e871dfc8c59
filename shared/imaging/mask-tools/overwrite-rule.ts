import { MaskToolError } from './mask-tool-error.ts';

/**
 * Which existing labels an edit may change (3D Slicer's "editable area" / "modify other
 * segments", Cornerstone3D's overwrite policy), for a single-label-per-voxel map:
 * - `overwrite-all`: any voxel, whatever class it holds;
 * - `only-empty`: only background voxels (label 0), so other classes are protected;
 * - `only-class-X`: only voxels currently labelled X (e.g. `only-class-2` with paint value 1
 *   re-classifies high opacity as GGO; with the eraser it erases class 2 and keeps class 1).
 *
 * Voxels that already hold the paint value are never listed in a patch, whatever the rule.
 */
export type OverwriteRule = 'overwrite-all' | 'only-empty' | `only-class-${number}`;

const ONLY_CLASS = /^only-class-(\d{1,3})$/;

/**
 * The single label an edit under `rule` may change, or -1 when any label may. Throws
 * `invalid-argument` for an unknown rule or a class outside 0–255.
 */
export function editableLabelOf(rule: OverwriteRule): number {
  if (rule === 'overwrite-all') return -1;
  if (rule === 'only-empty') return 0;
  const match = ONLY_CLASS.exec(rule);
  const label = match ? Number(match[1]) : NaN;
  if (!(label >= 0 && label <= 255)) {
    throw new MaskToolError(
      'invalid-argument',
      `unknown overwrite rule "${rule}" (expected overwrite-all, only-empty or only-class-<0..255>)`,
    );
  }
  return label;
}
