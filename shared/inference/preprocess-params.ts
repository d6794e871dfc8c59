import type { ModelMetadata } from './model-metadata.ts';

/** The numbers of `metadata.json` that preprocessing and postprocessing need (units in the names). */
export interface PreprocessParams {
  /** F, slices per network input. */
  readonly sliceWindow: number;
  /** H, network input rows. */
  readonly height: number;
  /** W, network input columns. */
  readonly width: number;
  readonly bodyThresholdHu: number;
  readonly bodyCropMarginPx: number;
  readonly windowCenterHu: number;
  readonly windowWidthHu: number;
  readonly normalizeMean: number;
  readonly normalizeStd: number;
  /**
   * Gaussian prefilter before a decimating resize (metadata `preprocessing.antialias`, absent =
   * false, the contract of bundles up to 1.3.0); see `preprocess.ts` step 3.
   */
  readonly antialias: boolean;
}

/** Extracts {@link PreprocessParams} from a validated model metadata. */
export function preprocessParamsOf(metadata: ModelMetadata): PreprocessParams {
  const p = metadata.preprocessing;
  return {
    sliceWindow: metadata.input.sliceWindow,
    height: metadata.input.height,
    width: metadata.input.width,
    bodyThresholdHu: p.bodyThresholdHu,
    bodyCropMarginPx: p.bodyCropMarginPx,
    windowCenterHu: p.window.centerHu,
    windowWidthHu: p.window.widthHu,
    normalizeMean: p.normalize.mean,
    normalizeStd: p.normalize.std,
    antialias: p.antialias ?? false,
  };
}
