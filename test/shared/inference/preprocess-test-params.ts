import type { PreprocessParams } from '../../../shared/inference/preprocess-params.ts';

/** Small preprocessing parameters for unit tests (window and intensity of the shipped bundles, a tiny output). */
export function preprocessTestParams(overrides: Partial<PreprocessParams> = {}): PreprocessParams {
  return {
    sliceWindow: 3,
    height: 4,
    width: 4,
    bodyThresholdHu: -500,
    bodyCropMarginPx: 0,
    windowCenterHu: -212,
    windowWidthHu: 1624,
    normalizeMean: 0.25,
    normalizeStd: 0.5,
    antialias: false,
    ...overrides,
  };
}
