import * as ort from 'onnxruntime-node';
import type { Volume } from '../../../shared/domain/volume.ts';
import { isIdentityReorientation, lpsReorientation, reorientLabelsFromLps, reorientToLps } from '../../../shared/imaging/geometry.ts';
import { preprocessParamsOf } from '../../../shared/inference/preprocess-params.ts';
import { preprocessWindow } from '../../../shared/inference/preprocess.ts';
import { postprocessSlice } from '../../../shared/inference/postprocess.ts';
import type { CropBox } from '../../../shared/inference/body-crop-box.ts';
import { InferenceError } from '../../../shared/inference/inference-error.ts';
import type { ModelBundle } from '../inference/model-registry.ts';
import { sha256Bytes } from '../inference/sha256-file.ts';
import { readFile } from 'node:fs/promises';

/** Slices per `session.run` (CPU: small batches are as fast per slice and stay in cache). */
const BATCH = 8;

/** Options of {@link runLungNet}. */
export interface LungNetOptions {
  /** onnxruntime intra-op threads (default 2). */
  readonly threads?: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs the learned lung mask bundle (`models/lung-masks/lungnet`, 2 classes background / lung,
 * one slice per input) over every slice of an HU volume with onnxruntime-node on the CPU, in the
 * calling thread's event loop (the compute worker's, never the main thread's). Preprocessing and
 * the crop-to-slice resampling are the lesion model's (`shared/inference`); a voxel is lung where
 * the lung logit beats the background one. Returns 0/1 per voxel on the volume's own grid.
 */
export async function runLungNet(volume: Volume, bundle: ModelBundle, opts: LungNetOptions = {}): Promise<Uint8Array> {
  const reor = lpsReorientation(volume);
  const v = isIdentityReorientation(reor) ? volume : reorientToLps(volume);
  const bytes = await readFile(bundle.modelPath);
  if (sha256Bytes(bytes) !== bundle.metadata.sha256)
    throw new InferenceError('model-mismatch', `lung mask model ${bundle.modelPath} does not match its sha256; refusing to load it`);
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: opts.threads ?? 2,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  try {
    const params = preprocessParamsOf(bundle.metadata);
    const { height: H, width: W } = params;
    if (params.sliceWindow !== 1 || bundle.metadata.classes.length !== 2)
      throw new InferenceError('model-mismatch', 'the lung mask model must take one slice and give 2 classes');
    const nK = v.size[2];
    const labels = new Uint8Array(v.data.length);
    const input = new Float32Array(BATCH * H * W);
    for (let k0 = 0; k0 < nK; k0 += BATCH) {
      opts.signal?.throwIfAborted();
      const n = Math.min(BATCH, nK - k0);
      const boxes: CropBox[] = [];
      for (let b = 0; b < n; b++) boxes.push(preprocessWindow(v, k0 + b, params, input, b * H * W).box);
      const x = new ort.Tensor('float32', n === BATCH ? input : input.slice(0, n * H * W), [n, 1, H, W]);
      const out = (await session.run({ [bundle.metadata.input.name]: x }))[bundle.metadata.output.name];
      if (!out || out.type !== 'float32' || out.dims.join() !== [n, 2, H, W].join())
        throw new InferenceError('model-mismatch', `lung mask model output is not float32 [${n}, 2, ${H}, ${W}]`);
      const logits = out.data as Float32Array;
      for (let b = 0; b < n; b++)
        postprocessSlice(logits, b * 2 * H * W, 2, H, W, {
          size: v.size,
          k: k0 + b,
          box: boxes[b]!,
          labels,
          lungMask: null,
          classLabels: [0, 1],
        });
    }
    if (v === volume) return labels;
    return reorientLabelsFromLps({ ...v, data: labels }, volume).data;
  } finally {
    await session.release();
  }
}
