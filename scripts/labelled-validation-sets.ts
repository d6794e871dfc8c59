// The fixed validation slices that have lesion labels, upright, with their labels on the same grid
// (scripts/segment-stress.ts): the 10 MedSeg validation slices (3-class palette ground truth:
// 0 background, 1 GGO, 2 high opacity; stored transposed like their images) and the MA20
// validation patients (binary infection masks `covid/NNNN.png`, 0/255, of ma20-slices/PROVENANCE.md;
// here 1 = lesion, GGO and high opacity not told apart).
import { join } from 'node:path';
import { decodeLabelPng } from '../electron/cli/compare-slices-command.ts';
import { transposeImage } from '../shared/imaging/slice-orientation.ts';
import { loadUpright, validationFiles } from './orientation-sets.ts';
import type { StressSlice } from './stress-variants.ts';

/** A labelled validation slice: image and labels upright, and where it came from. */
export interface LabelledSlice extends StressSlice {
  readonly id: string;
  readonly labels: Uint8Array;
}

/** One labelled set; `threeClass`: labels tell GGO (1) from high opacity (2), otherwise 1 = any lesion. */
export interface LabelledSet {
  readonly name: string;
  readonly threeClass: boolean;
  readonly slices: readonly LabelledSlice[];
}

/**
 * The labelled validation sets. `maEvery` keeps every n-th MA20 validation slice (in file order, the
 * first kept: a fixed, deterministic subsample); `limit` keeps at most that many slices per set.
 */
export function labelledValidationSets(o: { maEvery?: number; limit?: number } = {}): LabelledSet[] {
  const { maDir, maFiles, medDir, medIds } = validationFiles();
  const every = Math.max(1, o.maEvery ?? 1);
  const cap = <T>(a: T[]): T[] => (o.limit === undefined ? a : a.slice(0, o.limit));
  const medseg = cap(medIds).map((id): LabelledSlice => {
    const up = loadUpright(join(medDir, `${id}.jpg`), true);
    const gt = decodeLabelPng(join(medDir, '..', 'GT', `${id}.png`));
    if (gt.width !== up.rows || gt.height !== up.cols) throw new Error(`medseg ${id}: ground truth ${gt.width}×${gt.height} ≠ image`);
    return { ...up, id, labels: transposeImage(gt.labels, gt.width, gt.height) };
  });
  const ma = cap(maFiles.filter((_, i) => i % every === 0)).map((f): LabelledSlice => {
    const up = loadUpright(join(maDir, f), false);
    const mask = loadUpright(join(maDir, '..', 'covid', f), false);
    if (mask.cols !== up.cols || mask.rows !== up.rows) throw new Error(`ma20 ${f}: mask ${mask.cols}×${mask.rows} ≠ image`);
    return { ...up, id: f.slice(0, -4), labels: mask.gray.map((v) => (v >= 128 ? 1 : 0)) };
  });
  return [
    { name: 'medseg validation', threeClass: true, slices: medseg },
    { name: `ma20 validation patients${every > 1 ? ` (1 slice in ${every})` : ''}`, threeClass: false, slices: ma },
  ];
}
