// Per-slice Dice of the segmentation stress test (scripts/segment-stress.ts) and its summaries:
// mean with a percentile bootstrap interval, and the paired difference to the unaltered slices.
import { pairAgreement } from '../shared/imaging/agreement.ts';
import { mulberry32 } from '../shared/util/mulberry32.ts';

/** The scores of a slice: GGO, high opacity (3-class sets only) and lesion (GGO ∪ high opacity). */
export type ScoreName = 'ggo' | 'highOpacity' | 'lesion';

/** Dice of one class on one slice, two ways. */
export interface DicePair {
  /** Ours (as `compare-slices`): 1 when neither map has the class. */
  readonly ours: number;
  /** Inf-Net's scorer: 0 for a slice with no true positive (also when both maps are empty). */
  readonly infnet: number;
}

/**
 * Dice of the predicted labels against the truth (same grid, 0 background, 1 GGO, 2 high opacity).
 * With `threeClass` false the truth is binary (1 = lesion) and only `lesion` is scored.
 */
export function sliceDice(pred: Uint8Array, truth: Uint8Array, threeClass: boolean): Partial<Record<ScoreName, DicePair>> {
  const d = pairAgreement(pred, truth, 1).dice;
  const pair = (v: number | null): DicePair => ({ ours: v ?? 1, infnet: v ?? 0 });
  return threeClass ? { ggo: pair(d.ggo), highOpacity: pair(d.highOpacity), lesion: pair(d.lesion) } : { lesion: pair(d.lesion) };
}

/** A mean and its 95 % interval. */
export interface MeanCi {
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
}

/** Quantile `q` of sorted values, linear between order statistics (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  return i + 1 < sorted.length ? sorted[i]! + (h - i) * (sorted[i + 1]! - sorted[i]!) : sorted[i]!;
}

/**
 * Mean of `values` with its 95 % percentile bootstrap interval (items resampled with replacement,
 * `nBoot` resamples, deterministic given `seed`). Slices of one patient are not independent: the
 * interval says how much the mean moves with another draw of these slices, not of patients.
 */
export function bootstrapMean(values: readonly number[], seed = 0, nBoot = 2000): MeanCi {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, lo: Number.NaN, hi: Number.NaN };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const u = mulberry32(seed);
  const means = new Float64Array(nBoot);
  for (let b = 0; b < nBoot; b++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += values[Math.floor(u() * n)]!;
    means[b] = s / n;
  }
  means.sort();
  return { mean, lo: quantile(means, 0.025), hi: quantile(means, 0.975) };
}

/** Paired difference `altered − reference` (slice by slice) with its bootstrap interval (see {@link bootstrapMean}). */
export function pairedDifference(altered: readonly number[], reference: readonly number[], seed = 0, nBoot = 2000): MeanCi {
  if (altered.length !== reference.length) throw new RangeError('paired values must have the same length');
  return bootstrapMean(
    altered.map((v, i) => v - reference[i]!),
    seed,
    nBoot,
  );
}
