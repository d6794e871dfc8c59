import { type Vec3, voxelVolumeMl } from '../domain/volume.ts';
import { dilateBox, erodeBox } from './morphology.ts';

/** Rule constants of {@link combineLungMasks} (HU, mm, mm²). */
export const COMBINE_RULE = {
  /** Learned voxels denser than this are never added (bone, contrast-filled vessels). */
  maxAddedHu: 150,
  /** Opening radius: thin learned rims along the classical outline are not added. */
  openingMm: 3,
  /** A learned region must cover at least this much of a slice to be added. */
  minAddedAreaMm2: 100,
} as const;

/** What {@link combineLungMasks} did, in mL (voxel counts × voxel volume). */
export interface LungMaskComparison {
  /** Classical (threshold + pleural enclosure) lung volume. */
  readonly classicalMl: number;
  /** Learned (network) lung volume, unrestricted. */
  readonly learnedMl: number;
  /** Volume the learned mask added to the classical one under the rule. */
  readonly addedMl: number;
}

/** Result of {@link combineLungMasks}: labels 0 / 1 right / 2 left on the input grid. */
export interface CombinedLungMask {
  readonly labels: Uint8Array;
  readonly comparison: LungMaskComparison;
}

/**
 * Combines the classical lung mask with the learned one. Why: the classical mask thresholds air
 * and adds dense lung only where its pleural-enclosure step sees aerated lung around it, so a dense
 * dependent base with no aerated lung left is lost; the network was trained to call such dense
 * lung "lung". The rule keeps every classical voxel (its dense-lung strength stays) and adds, slice
 * by slice, the learned regions the classical mask lacks, when they are
 * 1. not denser than {@link COMBINE_RULE}.maxAddedHu,
 * 2. still present after an opening of `openingMm` (no thin rims along the outline),
 * 3. at least `minAddedAreaMm2` in the slice, and
 * 4. touching classical lung in the same slice (4-neighbourhood) — learned lung far from any
 *    classical lung (a lung the classical mask lost entirely) is not added: the QC check
 *    `lung-mask-disagreement` reports it instead.
 * An added region takes the side (1 right, 2 left) of most classical voxels it touches.
 *
 * Voxel order of all arrays: i fastest, then j, then k (`size = [nI, nJ, nK]`), in-plane = one
 * axial slice; `spacingMm` along i, j, k.
 */
export function combineLungMasks(
  hu: Int16Array,
  size: Vec3,
  spacingMm: Vec3,
  classical: Uint8Array,
  learned: Uint8Array,
): CombinedLungMask {
  const [nI, nJ, nK] = size;
  const plane = nI * nJ;
  if (hu.length !== plane * nK || classical.length !== hu.length || learned.length !== hu.length)
    throw new RangeError('combineLungMasks: arrays do not match the size');
  const labels = Uint8Array.from(classical);
  const rI = Math.max(1, Math.round(COMBINE_RULE.openingMm / spacingMm[0]));
  const rJ = Math.max(1, Math.round(COMBINE_RULE.openingMm / spacingMm[1]));
  const minPixels = COMBINE_RULE.minAddedAreaMm2 / (spacingMm[0] * spacingMm[1]);
  let nClassical = 0,
    nLearned = 0,
    nAdded = 0;
  const cand = new Uint8Array(plane);
  const comp = new Int32Array(plane);
  const queue = new Int32Array(plane);
  for (let k = 0; k < nK; k++) {
    const off = k * plane;
    let any = false;
    for (let p = 0; p < plane; p++) {
      if (classical[off + p] !== 0) nClassical++;
      const l = learned[off + p] !== 0;
      if (l) nLearned++;
      const c = l && classical[off + p] === 0 && (hu[off + p] as number) <= COMBINE_RULE.maxAddedHu ? 1 : 0;
      cand[p] = c;
      if (c) any = true;
    }
    if (!any) continue;
    const sliceSize: Vec3 = [nI, nJ, 1];
    const radius: Vec3 = [rI, rJ, 0];
    const opened = dilateBox(erodeBox(cand, sliceSize, radius), sliceSize, radius);
    for (let p = 0; p < plane; p++) opened[p] = opened[p]! & cand[p]!;
    comp.fill(0);
    let id = 0;
    for (let seed = 0; seed < plane; seed++) {
      if (opened[seed] === 0 || comp[seed] !== 0) continue;
      id++;
      let head = 0,
        tail = 0;
      queue[tail++] = seed;
      comp[seed] = id;
      let right = 0,
        left = 0;
      while (head < tail) {
        const p = queue[head++]!;
        const i = p % nI;
        const j = (p - i) / nI;
        const nbs = [i > 0 ? p - 1 : -1, i < nI - 1 ? p + 1 : -1, j > 0 ? p - nI : -1, j < nJ - 1 ? p + nI : -1];
        for (const q of nbs) {
          if (q < 0) continue;
          const side = classical[off + q];
          if (side === 1) right++;
          else if (side === 2) left++;
          if (opened[q] !== 0 && comp[q] === 0) {
            comp[q] = id;
            queue[tail++] = q;
          }
        }
      }
      if (tail < minPixels || right + left === 0) continue;
      const side = right >= left ? 1 : 2;
      for (let t = 0; t < tail; t++) labels[off + queue[t]!] = side;
      nAdded += tail;
    }
  }
  const ml = voxelVolumeMl({ spacingMm });
  return { labels, comparison: { classicalMl: nClassical * ml, learnedMl: nLearned * ml, addedMl: nAdded * ml } };
}
