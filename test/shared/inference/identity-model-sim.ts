import type { PreprocessParams } from '../../../shared/inference/preprocess-params.ts';

/**
 * The identity-test ONNX model (`test/fixtures/models/make-identity-model.py`) written in plain
 * TypeScript, so the pure tests can check crop → resize → inverse geometry without onnxruntime:
 * middle slice → HU → `a1 = tanh(0.05·(hu + 600))`, `a2 = tanh(0.05·(hu + 200))`,
 * logits `[0, 10·a1, 10·(a1 + a2)]`.
 *
 * @param input `[B, F, H, W]` preprocessed tensor
 * @returns logits `[B, 3, H, W]`
 */
export function identityModelLogits(input: Float32Array, batch: number, p: PreprocessParams): Float32Array {
  const { sliceWindow: F, height: H, width: W } = p;
  const plane = H * W;
  const out = new Float32Array(batch * 3 * plane);
  const lo = p.windowCenterHu - p.windowWidthHu / 2;
  for (let b = 0; b < batch; b++) {
    const mid = (b * F + Math.floor(F / 2)) * plane;
    for (let q = 0; q < plane; q++) {
      const hu = lo + p.windowWidthHu * (p.normalizeMean + p.normalizeStd * input[mid + q]!);
      const a1 = Math.tanh(0.05 * (hu + 600));
      const a2 = Math.tanh(0.05 * (hu + 200));
      out[b * 3 * plane + plane + q] = 10 * a1;
      out[b * 3 * plane + 2 * plane + q] = 10 * (a1 + a2);
    }
  }
  return out;
}

/** Preprocessing numbers of the identity-test bundle (H = W = 64, margin 4). */
export const IDENTITY_PARAMS: PreprocessParams = {
  sliceWindow: 3,
  height: 64,
  width: 64,
  bodyThresholdHu: -500,
  bodyCropMarginPx: 4,
  windowCenterHu: -212,
  windowWidthHu: 1624,
  normalizeMean: 0.25,
  normalizeStd: 0.25,
  antialias: false,
};
