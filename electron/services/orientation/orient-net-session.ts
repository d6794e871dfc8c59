import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import type { Volume } from '../../../shared/domain/volume.ts';
import { InferenceError } from '../../../shared/inference/inference-error.ts';
import { preprocessParamsOf, type PreprocessParams } from '../../../shared/inference/preprocess-params.ts';
import { preprocessWindow } from '../../../shared/inference/preprocess.ts';
import { ORIENTATION_CLASSES } from '../../../shared/imaging/orientation-decision.ts';
import { APP_ROOT } from '../../app/paths.ts';
import { loadModelBundle, type ModelBundle } from '../inference/model-registry.ts';
import { sha256Bytes } from '../inference/sha256-file.ts';

/** The orientation classifier's bundle folder, relative to the app root (outside `models/<name>/`, so the lesion registry never lists it). */
export const ORIENT_NET_DIR = join('models', 'orientation', 'orientnet');

/** The orientation classifier bundle (validated, sha256 checked), or null when the app has none. */
export async function findOrientNetBundle(dir: string = join(APP_ROOT, ORIENT_NET_DIR)): Promise<ModelBundle | null> {
  try {
    return await loadModelBundle(dir, 'builtin');
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'metadata-missing') return null;
    throw e;
  }
}

/**
 * An onnxruntime-node session of the orientation classifier (`models/orientation/orientnet`: one
 * 8-bit slice mapped to HU in, probabilities of the 4 stored orientations up to left–right out,
 * {@link ORIENTATION_CLASSES} order), run on the CPU in the calling thread like the learned lung mask
 * (`run-lung-net.ts`); the input is the lesion model's preprocessing (`shared/inference`) at the
 * bundle's size. Open once, classify many, then {@link release}.
 */
export class OrientNetSession {
  private constructor(
    readonly bundle: ModelBundle,
    private readonly session: ort.InferenceSession,
    private readonly params: PreprocessParams,
  ) {}

  static async open(bundle: ModelBundle, threads = 1): Promise<OrientNetSession> {
    const bytes = await readFile(bundle.modelPath);
    if (sha256Bytes(bytes) !== bundle.metadata.sha256)
      throw new InferenceError('model-mismatch', `orientation model ${bundle.modelPath} does not match its sha256; refusing to load it`);
    const params = preprocessParamsOf(bundle.metadata);
    if (params.sliceWindow !== 1 || bundle.metadata.classes.length !== ORIENTATION_CLASSES.length)
      throw new InferenceError(
        'model-mismatch',
        `the orientation model must take one slice and give ${ORIENTATION_CLASSES.length} classes`,
      );
    const session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    return new OrientNetSession(bundle, session, params);
  }

  /** `name version` of the bundle, for logs and provenance. */
  get label(): string {
    return `${this.bundle.metadata.name} ${this.bundle.metadata.version}`;
  }

  /** Class probabilities (4 per slice, {@link ORIENTATION_CLASSES} order) of each one-slice HU volume. */
  async classify(slices: readonly Pick<Volume, 'size' | 'data'>[]): Promise<Float32Array[]> {
    const { height: H, width: W } = this.params;
    const n = slices.length;
    if (n === 0) return [];
    const input = new Float32Array(n * H * W);
    slices.forEach((s, b) => preprocessWindow(s, 0, this.params, input, b * H * W));
    const { input: inp, output } = this.bundle.metadata;
    const out = (await this.session.run({ [inp.name]: new ort.Tensor('float32', input, [n, 1, H, W]) }))[output.name];
    const C = ORIENTATION_CLASSES.length;
    if (!out || out.type !== 'float32' || out.dims.join() !== [n, C].join())
      throw new InferenceError('model-mismatch', `orientation model output is not float32 [${n}, ${C}]`);
    const p = out.data as Float32Array;
    return slices.map((_, b) => p.slice(b * C, (b + 1) * C));
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
