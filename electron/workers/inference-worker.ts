/**
 * Inference worker thread: loads the ONNX model with onnxruntime-node and runs a whole case
 * (preprocess → `session.run` → postprocess, batch by batch), because `session.run` is a
 * synchronous native call that would freeze the main process for seconds. Spawned by
 * `electron/services/inference/spawn-inference-worker.ts`; protocol in `inference-protocol.ts`.
 *
 * The session is cached between runs (same model sha256, providers and thread count), so a warm
 * worker starts a new case without reloading the model.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { InferenceError } from '../../shared/inference/inference-error.ts';
import { postprocessSlice, type EntropySum } from '../../shared/inference/postprocess.ts';
import { smoothLesionClassAlongZ } from '../../shared/inference/z-consistency.ts';
import { averageWithMirrored, mirrorLastAxis } from '../../shared/inference/mirror-average.ts';
import { preprocessParamsOf } from '../../shared/inference/preprocess-params.ts';
import { preprocessWindow } from '../../shared/inference/preprocess.ts';
import type { CropBox } from '../../shared/inference/body-crop-box.ts';
import { sliceHasLung } from '../../shared/inference/slice-has-lung.ts';
import type { ProviderName } from '../services/inference/execution-providers.ts';
import { ModelBundleError } from '../services/inference/model-bundle-error.ts';
import { sha256Bytes } from '../services/inference/sha256-file.ts';
import { lowerThreadPriority } from './lower-thread-priority.ts';
import { DEFAULT_BATCH_SIZE, type FromWorker, type RunRequest, type ToWorker } from './inference-protocol.ts';
import { checkModelIo } from './check-model-io.ts';

if (!parentPort) throw new Error('inference-worker.ts must be started as a worker thread');
const port = parentPort;
lowerThreadPriority(10); // an AI run yields the CPU to the reader's work (onnxruntime's threads, started later, inherit it)
// onnxruntime's native logger is process-wide and fixed at its first use. Provider failures are
// reported through our own log messages (with the reason), errors as exceptions; its console
// output would only repeat them (e.g. a missing CUDA library on every CPU-only machine).
ort.env.logLevel = 'fatal';

interface CachedSession {
  readonly key: string;
  readonly session: ort.InferenceSession;
  readonly provider: ProviderName;
}
let cached: CachedSession | null = null;

const send = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

port.on('message', (message: ToWorker) => {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a message from another thread: checked, not trusted
  if (message.type !== 'run') return;
  run(message).catch((error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    const code = e instanceof InferenceError || e instanceof ModelBundleError ? e.code : 'run-failed';
    send({ type: 'error', runId: message.runId, name: e.name, code, message: e.message });
  });
});

/** Creates (or reuses) the session, trying the providers in order and logging each fallback. */
async function sessionFor(req: RunRequest): Promise<{ session: ort.InferenceSession; provider: ProviderName; sessionMs: number }> {
  const key = `${req.sha256}|${req.providers.join(',')}|${req.threads}`;
  if (cached?.key === key) return { session: cached.session, provider: cached.provider, sessionMs: 0 };
  const t0 = performance.now();
  if (cached) {
    await cached.session.release();
    cached = null;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(req.modelPath);
  } catch (cause) {
    throw new ModelBundleError('model-missing', `cannot read model file ${req.modelPath}`, {
      cause,
    });
  }
  // Re-check the hash of the very bytes handed to onnxruntime (the file may have changed since the
  // registry listed it).
  const digest = sha256Bytes(bytes);
  if (digest !== req.sha256) {
    throw new ModelBundleError(
      'sha256-mismatch',
      `model file ${req.modelPath} has sha256 ${digest}, expected ${req.sha256}; refusing to load it`,
    );
  }
  const failures: string[] = [];
  for (let p = 0; p < req.providers.length; p++) {
    const provider = req.providers[p]!;
    try {
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: [provider],
        intraOpNumThreads: req.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // Intra-op threads must not spin-wait after each run: pre/postprocessing runs on this
        // thread between runs and would compete with spinning threads for the same cores
        // (measured here: JS work after a run took ~2× longer with spinning on 2 cores).
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      });
      cached = { key, session, provider };
      send({
        type: 'log',
        runId: req.runId,
        level: 'info',
        message: `onnxruntime session on ${provider} (${req.threads} threads)`,
      });
      return { session, provider, sessionMs: performance.now() - t0 };
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
      failures.push(`${provider}: ${reason}`);
      const next = req.providers[p + 1];
      send({
        type: 'log',
        runId: req.runId,
        level: 'warn',
        message: next
          ? `execution provider ${provider} unavailable (${reason}); falling back to ${next}`
          : `execution provider ${provider} failed (${reason})`,
      });
    }
  }
  throw new InferenceError('session-failed', `could not create an onnxruntime session: ${failures.join('; ')}`);
}

async function run(req: RunRequest): Promise<void> {
  const tStart = performance.now();
  const [nI, nJ, nK] = req.size;
  if (req.volume.length !== nI * nJ * nK) throw new InferenceError('invalid-input', 'volume length does not match its size');
  if (req.lungMask && req.lungMask.length !== req.volume.length)
    throw new InferenceError('invalid-input', 'lung mask length does not match the volume');
  const cancelFlag = new Int32Array(req.cancel);
  const cancelled = (): boolean => {
    if (Atomics.load(cancelFlag, 0) === 0) return false;
    send({ type: 'cancelled', runId: req.runId });
    return true;
  };
  const { session, provider, sessionMs } = await sessionFor(req);
  if (cancelled()) return;
  const fixedBatch = checkModelIo(session, req);
  const params = preprocessParamsOf(req.metadata);
  const { sliceWindow: F, height: H, width: W } = params;
  const C = req.metadata.classes.length;
  const classLabels = req.metadata.classes.map((c) => c.index);
  const B = fixedBatch ?? req.batchSize ?? DEFAULT_BATCH_SIZE[provider === 'cpu' ? 'cpu' : 'gpu'];
  const volume = { size: req.size, data: req.volume };
  const labels = new Uint8Array(req.volume.length);
  const hasLung = req.lungMask ? sliceHasLung(req.lungMask, req.size) : new Array<boolean>(nK).fill(true);
  const todo: number[] = [];
  for (let k = 0; k < nK; k++) if (hasLung[k]) todo.push(k);
  const entropy: EntropySum = { sum: 0, count: 0 };
  const post = C === 3 ? (req.metadata.postprocessing ?? null) : null;
  const decision = post ? { lesionThreshold: post.lesionThreshold, hoThreshold: post.hoThreshold } : null;
  const splitProbability = post && post.zSmoothingRadius > 0 && nK > 1 ? new Uint8Array(req.volume.length) : null;
  const inputSize = F * H * W;
  const batchTensor = new Float32Array(B * inputSize);
  let preprocessMs = 0,
    inferenceMs = 0,
    postprocessMs = 0,
    batches = 0;
  let done = nK - todo.length;
  send({ type: 'progress', runId: req.runId, done, total: nK, etaS: null });
  const loopStart = performance.now();

  for (let s = 0; s < todo.length; s += B) {
    if (cancelled()) return;
    const ks = todo.slice(s, s + B);
    let t = performance.now();
    const boxes: CropBox[] = ks.map((k, b) => preprocessWindow(volume, k, params, batchTensor, b * inputSize).box);
    const n = fixedBatch ?? ks.length;
    if (fixedBatch !== null && ks.length < fixedBatch) batchTensor.fill(0, ks.length * inputSize);
    const input = new ort.Tensor('float32', n * inputSize === batchTensor.length ? batchTensor : batchTensor.slice(0, n * inputSize), [
      n,
      F,
      H,
      W,
    ]);
    preprocessMs += performance.now() - t;

    t = performance.now();
    const runOnce = async (x: ort.Tensor): Promise<Float32Array> => {
      let outputs: ort.InferenceSession.OnnxValueMapType;
      try {
        outputs = await session.run({ [req.metadata.input.name]: x });
      } catch (cause) {
        throw new InferenceError(
          'run-failed',
          `onnxruntime failed on slices ${ks[0]}…${ks.at(-1)}: ${cause instanceof Error ? cause.message : String(cause)}`,
          { cause },
        );
      }
      batches++;
      const out = outputs[req.metadata.output.name];
      const dims = out?.dims ?? [];
      if (!out || out.type !== 'float32' || dims.length !== 4 || dims[0] !== n || dims[1] !== C || dims[2] !== H || dims[3] !== W) {
        throw new InferenceError(
          'model-mismatch',
          `model output ${out?.type ?? 'missing'} [${dims.join(', ')}] is not float32 [${n}, ${C}, ${H}, ${W}] (classes of metadata.json)`,
        );
      }
      return out.data as Float32Array;
    };
    let logits = await runOnce(input);
    if (req.mirrorAverage) {
      logits = Float32Array.from(logits); // own the buffer before the second run
      const mirrored = mirrorLastAxis(input.data, n * F, H, W);
      averageWithMirrored(logits, await runOnce(new ort.Tensor('float32', mirrored, [n, F, H, W])), n * C, H, W);
    }
    inferenceMs += performance.now() - t;

    t = performance.now();
    for (let b = 0; b < ks.length; b++) {
      postprocessSlice(logits, b * C * H * W, C, H, W, {
        size: req.size,
        k: ks[b]!,
        box: boxes[b]!,
        labels,
        lungMask: req.lungMask,
        classLabels,
        entropy,
        decision,
        splitProbability,
      });
    }
    postprocessMs += performance.now() - t;
    done += ks.length;
    const inferred = s + ks.length;
    const perSlice = (performance.now() - loopStart) / inferred;
    send({
      type: 'progress',
      runId: req.runId,
      done,
      total: nK,
      etaS: (perSlice * (todo.length - inferred)) / 1000,
    });
  }

  if (post && splitProbability) {
    const t = performance.now();
    smoothLesionClassAlongZ(labels, splitProbability, req.size, post.zSmoothingRadius, post.hoThreshold, classLabels[1], classLabels[2]);
    postprocessMs += performance.now() - t;
  }

  send(
    {
      type: 'result',
      runId: req.runId,
      labels,
      meanEntropy: entropy.count > 0 ? entropy.sum / entropy.count : 0,
      entropyVoxels: entropy.count,
      provider,
      timings: {
        sessionMs,
        preprocessMs,
        inferenceMs,
        postprocessMs,
        workerTotalMs: performance.now() - tStart,
        slicesTotal: nK,
        slicesInferred: todo.length,
        slicesSkipped: nK - todo.length,
        batches,
      },
    },
    [labels.buffer],
  );
}
