import type { LabelMap } from '../../../shared/domain/label-map.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import { checkLpsReoriented } from '../../../shared/inference/check-lps-reoriented.ts';
import { InferenceError } from '../../../shared/inference/inference-error.ts';
import type { RunLesionModelOptions } from './inference-types.ts';

/** Refuses a run whose volume, lung mask or options cannot be right (invalid-input), before any worker starts. */
export function validateInput(volume: Volume, lungMask: LabelMap | null, options: RunLesionModelOptions): void {
  const [nI, nJ, nK] = volume.size;
  if (![nI, nJ, nK].every((n) => Number.isInteger(n) && n > 0))
    throw new InferenceError('invalid-input', `invalid volume size [${volume.size.join(', ')}]`);
  if (volume.data.length !== nI * nJ * nK)
    throw new InferenceError('invalid-input', `volume has ${volume.data.length} voxels, size says ${nI * nJ * nK}`);
  checkLpsReoriented(volume);
  if (lungMask) {
    if (lungMask.size.some((n, a) => n !== volume.size[a])) {
      throw new InferenceError(
        'invalid-input',
        `lung mask size [${lungMask.size.join(', ')}] differs from the volume [${volume.size.join(', ')}]`,
      );
    }
    if (lungMask.data.length !== volume.data.length)
      throw new InferenceError('invalid-input', 'lung mask data length differs from the volume');
  }
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new InferenceError('invalid-input', `threads must be a positive integer, got ${options.threads}`);
  }
  if (options.batchSize !== undefined && !(Number.isInteger(options.batchSize) && options.batchSize >= 1 && options.batchSize <= 256)) {
    throw new InferenceError('invalid-input', `batchSize must be an integer in 1…256, got ${options.batchSize}`);
  }
}
