import type { CropBox } from './body-crop-box.ts';
import { softmaxEntropy } from './softmax-entropy.ts';

/** Running sum of voxel entropies (nats) and the number of voxels summed; mean = sum / count. */
export interface EntropySum {
  sum: number;
  count: number;
}

/**
 * A decision rule aligned with the metric, replacing the plain argmax for a 3-class output
 * `[background, GGO, high opacity]` (`metadata.postprocessing`, chosen on the training split):
 * a voxel is lesion when `p(GGO) + p(HO) ≥ lesionThreshold`, and a lesion voxel is high opacity when
 * `p(HO | lesion) = p(HO) / (p(GGO) + p(HO)) ≥ hoThreshold`, else GGO. With both thresholds 0.5 this
 * differs from argmax only where background is the single largest class but below one half.
 */
export interface ClassDecision {
  readonly lesionThreshold: number;
  readonly hoThreshold: number;
}

/** Where one network output goes back into the volume. */
export interface PostprocessTarget {
  /** `[nI, nJ, nK]` of the LPS-reoriented volume the input was made from. */
  readonly size: readonly [number, number, number];
  /** Slice index k the output predicts. */
  readonly k: number;
  /** Crop box returned by `preprocessWindow` for that slice. */
  readonly box: CropBox;
  /** Label volume (i fastest, then j, then k) receiving slice k. */
  readonly labels: Uint8Array;
  /** Optional lung mask on the same grid: voxels with 0 get background and are not evaluated. */
  readonly lungMask?: Uint8Array | null;
  /** Label value written for output channel c (`metadata.classes[c].index`). */
  readonly classLabels: readonly number[];
  /** Optional accumulator of the softmax entropy of every evaluated voxel. */
  readonly entropy?: EntropySum;
  /** Optional decision rule (3 classes only); the argmax when absent. */
  readonly decision?: ClassDecision | null;
  /**
   * Optional volume on the label grid receiving `round(255 · p(HO | lesion))` for every voxel
   * labelled lesion (0 elsewhere): the input of {@link smoothLesionClassAlongZ} (3 classes only).
   */
  readonly splitProbability?: Uint8Array | null;
}

/**
 * Maps the logits `[C, H, W]` of one slice back to the original slice grid, the inverse of the
 * crop + resize of `preprocessWindow`, and writes labels into `target.labels` (slice k only).
 *
 * For each voxel (i, j) of slice k whose centre lies inside the crop box (and inside the lung mask
 * when one is given) the logits are sampled at the network pixel
 * `y = (j − rowStart + ½)·H/side − ½`, `x = (i − colStart + ½)·W/side − ½` (the same half-pixel
 * convention as the forward resize, so a voxel goes back where it came from), bilinearly, with
 * the coordinates clamped to the network grid (edge replicate); the label is the class of the
 * largest resampled logit (ties → lowest channel). Voxels outside the box or outside the lung get
 * background (0).
 *
 * Why resample LOGITS bilinearly and then take the argmax (rather than upsampling the label image
 * by nearest neighbour, or resampling probabilities): the crop is typically 2–3× the network
 * resolution, and nearest-neighbour labels would give staircase boundaries 2–3 voxels high, which
 * bias lesion volumes along every edge; bilinear interpolation of the last layer's linear output
 * is what evaluating the final 1×1 layer on bilinearly upsampled features would give (the paper's
 * `scale_up` is bilinear too); probabilities would need C exponentials per voxel for nearly the
 * same boundaries.
 *
 * Entropy (when `target.entropy` is given): the softmax entropy of every NETWORK pixel is computed
 * once, and each evaluated voxel adds that entropy map resampled at its position (same bilinear
 * weights as its logits). This costs C exponentials per network pixel instead of per voxel (the
 * crop has 4–9× more voxels than the network has pixels) and differs from the entropy of the
 * resampled logits only along class boundaries; it is a case-level ranking score.
 *
 * @param logits network output; channel c, row y, column x at `logitsOffset + (c·H + y)·W + x`
 * @param logitsOffset start of this slice's `[C, H, W]` block in `logits`
 * @param classCount C
 * @param height H
 * @param width W
 */
export function postprocessSlice(
  logits: Float32Array,
  logitsOffset: number,
  classCount: number,
  height: number,
  width: number,
  target: PostprocessTarget,
): void {
  const [nI, nJ] = target.size;
  const { box, labels, classLabels } = target;
  const mask = target.lungMask ?? null;
  const entropy = target.entropy;
  const C = classCount,
    H = height,
    W = width;
  if (classLabels.length !== C) throw new RangeError(`postprocessSlice: ${classLabels.length} class labels for ${C} channels`);
  const decision = target.decision ?? null;
  const split = target.splitProbability ?? null;
  if ((decision || split) && C !== 3)
    throw new RangeError(`postprocessSlice: a decision rule or split probability needs 3 classes (got ${C})`);
  if (split && split.length !== labels.length) throw new RangeError('postprocessSlice: split probability volume size differs from labels');
  if (logits.length < logitsOffset + C * H * W) throw new RangeError('postprocessSlice: logits too short');
  const sliceBase = target.k * nI * nJ;
  const plane = H * W;

  // Per column i: first network column, second column, fraction; -1 marks "outside the box".
  const xa = new Int32Array(nI),
    xb = new Int32Array(nI),
    xf = new Float64Array(nI);
  for (let i = 0; i < nI; i++) {
    const rel = i - box.colStart;
    if (rel < 0 || rel >= box.side) {
      xa[i] = -1;
      continue;
    }
    let s = ((rel + 0.5) * W) / box.side - 0.5;
    if (s < 0) s = 0;
    if (s > W - 1) s = W - 1;
    const f = Math.floor(s);
    xa[i] = f;
    xb[i] = Math.min(f + 1, W - 1);
    xf[i] = s - f;
  }
  // Entropy of the network pixels, computed lazily (NaN = not yet) for the pixels lung voxels use.
  const entropyMap = entropy ? new Float64Array(plane).fill(Number.NaN) : null;
  const scratch = new Float64Array(C);
  const voxel = new Float64Array(C); // resampled logits of the current voxel
  const entropyAt = (q: number): number => {
    let e = entropyMap![q]!;
    if (e !== e) {
      for (let c = 0; c < C; c++) scratch[c] = logits[logitsOffset + c * plane + q]!;
      e = softmaxEntropy(scratch, 0, C);
      entropyMap![q] = e;
    }
    return e;
  };
  // One original row interpolates between two network rows: blend them once per row (separable
  // bilinear), then each voxel only blends two columns.
  const rowLogits = new Float64Array(C * W);
  const rowEntropy = new Float64Array(W); // entropy blended between the two network rows, NaN = not yet

  for (let j = 0; j < nJ; j++) {
    const rowBase = sliceBase + j * nI;
    const rel = j - box.rowStart;
    if (rel < 0 || rel >= box.side) {
      labels.fill(0, rowBase, rowBase + nI);
      continue;
    }
    let sy = ((rel + 0.5) * H) / box.side - 0.5;
    if (sy < 0) sy = 0;
    if (sy > H - 1) sy = H - 1;
    const ya = Math.floor(sy);
    const yb = Math.min(ya + 1, H - 1);
    const wy = sy - ya;
    let rowReady = false;
    for (let i = 0; i < nI; i++) {
      const idx = rowBase + i;
      const a = xa[i]!;
      if (a < 0 || (mask !== null && mask[idx] === 0)) {
        labels[idx] = 0;
        continue;
      }
      if (!rowReady) {
        for (let c = 0; c < C; c++) {
          const ra = logitsOffset + c * plane + ya * W;
          const rb = logitsOffset + c * plane + yb * W;
          for (let x = 0; x < W; x++) rowLogits[c * W + x] = logits[ra + x]! * (1 - wy) + logits[rb + x]! * wy;
        }
        if (entropyMap) rowEntropy.fill(Number.NaN);
        rowReady = true;
      }
      const b = xb[i]!;
      const wx = xf[i]!;
      let best = 0;
      let bestValue = -Infinity;
      for (let c = 0; c < C; c++) {
        const v = rowLogits[c * W + a]! * (1 - wx) + rowLogits[c * W + b]! * wx;
        voxel[c] = v;
        if (v > bestValue) {
          bestValue = v;
          best = c;
        }
      }
      if (decision || split) {
        const e0 = Math.exp(voxel[0]! - bestValue),
          e1 = Math.exp(voxel[1]! - bestValue),
          e2 = Math.exp(voxel[2]! - bestValue);
        const pHo = e2 / (e1 + e2);
        if (decision) best = (e1 + e2) / (e0 + e1 + e2) >= decision.lesionThreshold ? (pHo >= decision.hoThreshold ? 2 : 1) : 0;
        if (split) split[idx] = best > 0 ? Math.round(255 * pHo) : 0;
      }
      labels[idx] = classLabels[best]!;
      if (entropy) {
        let ea = rowEntropy[a]!;
        if (ea !== ea) ea = rowEntropy[a] = entropyAt(ya * W + a) * (1 - wy) + entropyAt(yb * W + a) * wy;
        let eb = rowEntropy[b]!;
        if (eb !== eb) eb = rowEntropy[b] = entropyAt(ya * W + b) * (1 - wy) + entropyAt(yb * W + b) * wy;
        entropy.sum += ea * (1 - wx) + eb * wx;
        entropy.count++;
      }
    }
  }
}
