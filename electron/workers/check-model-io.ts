import type * as ort from 'onnxruntime-node';
import { InferenceError } from '../../shared/inference/inference-error.ts';
import type { RunRequest } from './inference-protocol.ts';

/** Checks the graph's input/output names and static dims against metadata.json; returns the fixed batch size if any. */
export function checkModelIo(session: ort.InferenceSession, req: RunRequest): number | null {
  const { input, output } = req.metadata;
  if (!session.inputNames.includes(input.name)) {
    throw new InferenceError(
      'model-mismatch',
      `model has inputs [${session.inputNames.join(', ')}] but metadata.json names "${input.name}"`,
    );
  }
  if (!session.outputNames.includes(output.name)) {
    throw new InferenceError(
      'model-mismatch',
      `model has outputs [${session.outputNames.join(', ')}] but metadata.json names "${output.name}"`,
    );
  }
  const meta = session.inputMetadata[session.inputNames.indexOf(input.name)];
  if (!meta || !meta.isTensor) return null;
  const shape = meta.shape;
  const expect = [null, input.sliceWindow, input.height, input.width];
  if (shape.length !== 4 || shape.some((d, a) => a > 0 && typeof d === 'number' && d !== expect[a])) {
    throw new InferenceError(
      'model-mismatch',
      `model input shape [${shape.join(', ')}] does not match metadata [batch, ${input.sliceWindow}, ${input.height}, ${input.width}]`,
    );
  }
  const batch = shape[0];
  return typeof batch === 'number' && batch > 0 ? batch : null;
}
