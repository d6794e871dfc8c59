/**
 * Shannon entropy (natural log, nats) of the softmax of one vector of logits:
 * `H = −Σ pᵢ ln pᵢ`, `p = softmax(logits)`. Computed stably as `ln S − Σ eᶻⁱ zᵢ / S` with
 * `zᵢ = logitᵢ − max`, `S = Σ eᶻⁱ`. Ranges from 0 (certain) to `ln C` (uniform over C classes;
 * ln 3 ≈ 1.0986 for background/GGO/high opacity).
 *
 * The inference engine averages it over the lung voxels of a case (`meanEntropy` of
 * `runLesionModel`), a cheap uncertainty score used to put the least certain cases first in the
 * reading list (the "entropy" strategy of active learning; MONAI Label uses MC-dropout entropy).
 *
 * @param logits pre-softmax scores of one voxel
 * @param offset index of the first logit in `logits`
 * @param count number of classes C (default: all of `logits` after `offset`)
 */
export function softmaxEntropy(logits: ArrayLike<number>, offset = 0, count = logits.length - offset): number {
  if (count <= 1) return 0;
  let max = -Infinity;
  for (let c = 0; c < count; c++) {
    const v = logits[offset + c]!;
    if (v > max) max = v;
  }
  if (!Number.isFinite(max)) return Number.NaN;
  let s = 0;
  let ez = 0;
  for (let c = 0; c < count; c++) {
    const z = logits[offset + c]! - max;
    const e = Math.exp(z);
    s += e;
    ez += e * z;
  }
  return Math.log(s) - ez / s;
}
