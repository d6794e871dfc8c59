import { z } from 'zod';

/**
 * `metadata.json` of a model bundle: the contract between the Python training pipeline
 * (`models/training`) and the TypeScript inference engine. Written by
 * `models/training/lungburden/export.py`, read and validated here.
 *
 * Tensor layout of the network (both ends use it, nothing else):
 * - input  `inputName`:  float32 `[batch, sliceWindow, height, width]`: `sliceWindow` (F) adjacent
 *   axial slices, ordered by increasing slice index k of the
 *   volume; the prediction is for the middle slice (index ⌊F/2⌋). Rows run anterior → posterior
 *   and columns patient right → left (radiological display: image row = LPS +y, column = LPS +x).
 * - output `outputName`: float32 `[batch, classes.length, height, width]` logits (pre-softmax);
 *   channel c is `classes[c]`, written into label maps as the value `classes[c].index`.
 * - the batch dimension should be dynamic; a model with a fixed batch is run with padded batches.
 *
 * Preprocessing (`shared/inference/preprocess.ts`, mirrored in Python `lungburden/data/preprocess.py`):
 * 1. body crop: threshold the middle slice of the window at `bodyThresholdHu`, keep the largest
 *    component, take its bounding box (plus `bodyCropMarginPx`), made square about its centre;
 *    the same box is applied to all F slices;
 * 2. resize the crop to `height × width` (bilinear; with `antialias`, Gaussian-smoothed first when
 *    the crop is decimated);
 * 3. intensity: `x = clamp((hu − (centerHu − widthHu/2)) / widthHu, 0, 1)`, then
 *    `x = (x − mean) / std`.
 * 8-bit display images (PNG/JPEG) are taken as already windowed in `eightBitWindow` and are
 * mapped to HU first (`hu = lo + v/255 · width`).
 * The exact arithmetic (mask `hu ≥ bodyThresholdHu`, 4-connectivity, tie rule, floor division
 * when squaring, no shifting of the box, half-pixel bilinear sampling with −1024 HU outside the
 * slice, edge slices repeated) is spelled out in `shared/inference/preprocess.ts` and Python
 * `lungburden/data/preprocess.py`; `test/shared/inference/golden.test.ts` pins the two.
 *
 * `metrics` is free-form; the inference benchmark reads `metrics.gflopPerSlice` (GFLOP for one
 * slice, batch 1) when present.
 */
export const ModelMetadataSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string().min(1),
  version: z.string().min(1),
  description: z.string(),
  createdAt: z.string(),
  architecture: z.string(),
  file: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  input: z.object({
    name: z.string(),
    sliceWindow: z.number().int().positive(),
    height: z.number().int().positive(),
    width: z.number().int().positive(),
  }),
  output: z.object({ name: z.string() }),
  preprocessing: z.object({
    bodyThresholdHu: z.number(),
    bodyCropMarginPx: z.number().int().nonnegative(),
    window: z.object({ centerHu: z.number(), widthHu: z.number().positive() }),
    normalize: z.object({ mean: z.number(), std: z.number().positive() }),
    /** Window in which 8-bit display images are assumed to have been rendered. */
    eightBitWindow: z.object({ centerHu: z.number(), widthHu: z.number().positive() }),
    /** In-plane spacing policy, for documentation: the crop is resized regardless of spacing. */
    spacingPolicy: z.string(),
    /**
     * Antialiased resize (absent = false, the contract of bundles up to 1.3.0): when the crop is
     * decimated, a Gaussian prefilter of σ = `(side/height − 1)/2` (columns) and
     * `(side/width − 1)/2` (rows) source pixels before the bilinear resize (`preprocess.ts` step 3).
     */
    antialias: z.boolean().optional(),
  }),
  classes: z
    .array(
      z.object({
        index: z.number().int().nonnegative(),
        name: z.string(),
        colorRgb: z.tuple([z.number(), z.number(), z.number()]),
      }),
    )
    .min(2),
  training: z.object({
    data: z.array(z.string()),
    config: z.record(z.string(), z.unknown()),
    durationS: z.number().nonnegative(),
  }),
  metrics: z.record(z.string(), z.number().nullable()),
  /**
   * Optional decision rule after the network (absent: plain argmax, no z smoothing), chosen on the
   * training split only: `lesionThreshold` on p(GGO) + p(HO), `hoThreshold` on p(HO | lesion)
   * (`shared/inference/postprocess.ts` `ClassDecision`), and `zSmoothingRadius` (slices, ≥ 0) of the
   * GGO/HO consistency along z on volumes (`shared/inference/z-consistency.ts`). Needs 3 classes.
   */
  postprocessing: z
    .object({
      lesionThreshold: z.number().gt(0).lt(1),
      hoThreshold: z.number().gt(0).lt(1),
      zSmoothingRadius: z.number().int().nonnegative(),
    })
    .optional(),
  licenceNotes: z.string(),
});

export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;
