/**
 * Inference benchmark: prints ONE JSON object.
 *
 *   node_modules/.bin/node --import tsx test/bench/inference.bench.ts [--slices 128] [--batch B] [--threads N] [--runs 1]
 *
 * For every model bundle under `models/*\/` plus the random-init fixture (and the identity-test
 * fixture, as a floor for the engine's own overhead): a 512×512×N chest phantom with lung on every
 * slice runs through the real engine (`InferenceService`: worker thread + onnxruntime-node), once
 * cold (worker + session start) and `--runs` times warm. Reported per bundle: total ms for the N
 * slices and ms per slice, time inside `session.run`, preprocessing and postprocessing, achieved
 * GFLOP/s and its fraction of this machine's measured peak; plus the process's peak RSS.
 *
 * FLOPs per slice come from `metadata.json` `metrics.gflopPerSlice` when the model engineer put it
 * there; otherwise they are counted from the ONNX graph (multiply-accumulates of Conv /
 * ConvTranspose / MatMul / Gemm × 2, shapes from one run of the graph) by Python onnx +
 * onnxruntime in `.venv`, when available. The peak is a MatMul probe (`test/fixtures/models/matmul-probe`) run
 * through onnxruntime-node in this same process with the same thread count: the best of several
 * 1024³ products. Ratios are within one run; absolute numbers depend on what else the machine runs
 * (the load average is reported).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import type { LabelMap } from '../../shared/domain/label-map.ts';
import { AIR_HU, IDENTITY_DIRECTION, type Volume } from '../../shared/domain/volume.ts';
import { InferenceService } from '../../electron/services/inference/inference-service.ts';
import { listModelBundles, loadModelBundle, type ModelBundle } from '../../electron/services/inference/model-registry.ts';
import { defaultThreadCount } from '../../electron/services/inference/thread-count.ts';
import { REPO_ROOT } from '../support/shared-data.ts';

const { values: args } = parseArgs({
  options: {
    slices: { type: 'string', default: '128' },
    batch: { type: 'string' },
    threads: { type: 'string' },
    runs: { type: 'string', default: '1' },
  },
});
const SLICES = Number(args.slices);
const BATCH = args.batch ? Number(args.batch) : undefined;
const THREADS = args.threads ? Number(args.threads) : defaultThreadCount();
const RUNS = Math.max(1, Number(args.runs));
const GOAL_MS_PER_128 = 5000;

/** 512×512×n chest phantom: body ellipse (+40 HU), two lungs (−850 HU ± texture), GGO and consolidation blobs; lung mask on every slice. */
function phantom(n: number): { volume: Volume; lungMask: LabelMap } {
  const nI = 512,
    nJ = 512;
  const hu = new Int16Array(nI * nJ * n).fill(AIR_HU);
  const lung = new Uint8Array(nI * nJ * n);
  for (let k = 0; k < n; k++) {
    const s = 1 - 0.25 * Math.abs(k / Math.max(1, n - 1) - 0.5);
    for (let j = 0; j < nJ; j++) {
      for (let i = 0; i < nI; i++) {
        const idx = i + j * nI + k * nI * nJ;
        const bx = (i - 256) / 220,
          by = (j - 260) / 160;
        if (bx * bx + by * by > 1) continue;
        hu[idx] = 40;
        const rx = (i - 170) / (80 * s),
          ry = (j - 250) / (110 * s);
        const lx = (i - 342) / (75 * s),
          ly = (j - 250) / (105 * s);
        const inR = rx * rx + ry * ry <= 1,
          inL = lx * lx + ly * ly <= 1;
        if (!inR && !inL) continue;
        lung[idx] = inR ? 1 : 2;
        let v = -850 + ((i * 7919 + j * 104729 + k * 1299709) % 61) - 30;
        const g = (i - 150) ** 2 + (j - 200) ** 2 + ((k - n / 2) * 4) ** 2;
        if (g < 40 ** 2) v = -450;
        const c = (i - 360) ** 2 + (j - 320) ** 2 + ((k - n / 3) * 4) ** 2;
        if (c < 20 ** 2) v = 20;
        hu[idx] = v;
      }
    }
  }
  const geometry = {
    size: [nI, nJ, n] as const,
    spacingMm: [0.7, 0.7, 2.5] as const,
    originLps: [-180, -180, -200] as const,
    directionLps: IDENTITY_DIRECTION,
  };
  return { volume: { ...geometry, data: hu }, lungMask: { ...geometry, data: lung } };
}

/** GFLOP per slice (batch 1) counted from the ONNX graph with Python onnx + onnxruntime in `.venv`, or null. */
function countGflopWithPython(bundle: ModelBundle): number | null {
  const python = join(REPO_ROOT, '.venv', 'bin', 'python');
  if (!existsSync(python)) return null;
  // Shapes are taken from a real run of the graph (every Conv/MatMul input and output exposed as an
  // output), so reshapes computed at run time (which static shape inference cannot follow) are no obstacle; a weight
  // that is not an initializer (one network run at two input sizes shares it through an Identity node) is exposed too.
  const script = `
import sys, onnx, numpy as np, onnxruntime as ort
m = onnx.load(sys.argv[1])
init = {t.name: list(t.dims) for t in m.graph.initializer}
ops = [n for n in m.graph.node if n.op_type in ('Conv', 'ConvTranspose', 'MatMul', 'Gemm')]
names = {n.input[0] for n in ops} | {n.input[1] for n in ops} | {n.output[0] for n in ops}
known = {o.name for o in m.graph.output}
for nm in sorted(names - known - set(init)):
    m.graph.output.append(onnx.helper.make_empty_tensor_value_info(nm))
so = ort.SessionOptions(); so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
s = ort.InferenceSession(m.SerializeToString(), so, providers=['CPUExecutionProvider'])
i = s.get_inputs()[0]
shape = [1 if not isinstance(d, int) else d for d in i.shape]
outs = dict(zip([o.name for o in s.get_outputs()], s.run(None, {i.name: np.zeros(shape, np.float32)})))
def shp(n): return list(outs[n].shape) if n in outs else init[n]
macs = 0
for n in ops:
    x, y = shp(n.input[0]), shp(n.output[0])
    if n.op_type == 'Conv':
        w = init.get(n.input[1]) or shp(n.input[1])
        macs += int(np.prod(y)) * w[1] * int(np.prod(w[2:]))
    elif n.op_type == 'ConvTranspose':
        w = init.get(n.input[1]) or shp(n.input[1])
        macs += int(np.prod(x)) * w[1] * int(np.prod(w[2:]))
    else:
        macs += int(np.prod(y)) * x[-1]
print(2 * macs / 1e9)
`;
  const r = spawnSync(python, ['-c', script, bundle.modelPath], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) return null;
  const v = Number(r.stdout.trim().split('\n').at(-1));
  return Number.isFinite(v) && v > 0 ? v : null;
}

/** Best GFLOP/s of an n×n×n float32 MatMul through onnxruntime-node with `threads` intra-op threads. */
async function matmulPeak(threads: number): Promise<{ gflops: number; n: number; bestMs: number }> {
  const session = await ort.InferenceSession.create(join(REPO_ROOT, 'test', 'fixtures', 'models', 'matmul-probe', 'model.onnx'), {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
  });
  const n = 1024;
  const a = new Float32Array(n * n).map((_, q) => ((q * 2654435761) % 1000) / 1000 - 0.5);
  const b = new Float32Array(n * n).map((_, q) => ((q * 40503) % 1000) / 1000 - 0.5);
  const feeds = {
    a: new ort.Tensor('float32', a, [n, n]),
    b: new ort.Tensor('float32', b, [n, n]),
  };
  let best = Infinity;
  for (let r = 0; r < 8; r++) {
    const t = performance.now();
    await session.run(feeds);
    const ms = performance.now() - t;
    if (r >= 2 && ms < best) best = ms; // first runs warm the caches / thread pool
  }
  await session.release();
  return { gflops: (2 * n ** 3) / (best / 1000) / 1e9, n, bestMs: best };
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  const tStart = performance.now();
  const listing = await listModelBundles({ builtinDir: join(REPO_ROOT, 'models') });
  const bundles: ModelBundle[] = [...listing.bundles];
  for (const name of ['random-init', 'identity-test']) {
    const dir = join(REPO_ROOT, 'test', 'fixtures', 'models', name);
    if (existsSync(join(dir, 'metadata.json'))) bundles.push(await loadModelBundle(dir));
  }
  const peak = await matmulPeak(THREADS);
  const { volume, lungMask } = phantom(SLICES);
  const results: Record<string, unknown>[] = [];
  for (const bundle of bundles) {
    const service = new InferenceService({ logger: () => undefined });
    try {
      const opts = { threads: THREADS, ...(BATCH ? { batchSize: BATCH } : {}) };
      const cold = await service.run(volume, lungMask, bundle, opts);
      const warm = [];
      for (let r = 0; r < RUNS; r++) warm.push(await service.run(volume, lungMask, bundle, opts));
      const best = warm.reduce((x, y) => (y.timings.totalMs < x.timings.totalMs ? y : x));
      const t = best.timings;
      const fromMetadata = bundle.metadata.metrics['gflopPerSlice'];
      const counted = typeof fromMetadata === 'number' ? null : countGflopWithPython(bundle);
      const gflopPerSlice = typeof fromMetadata === 'number' ? fromMetadata : counted;
      const achieved = gflopPerSlice === null ? null : (gflopPerSlice * t.slicesInferred) / (t.inferenceMs / 1000);
      const per128 = (t.totalMs / t.slicesTotal) * 128;
      const lesionVoxels = best.labels.data.reduce((a, v) => a + (v ? 1 : 0), 0);
      results.push({
        name: bundle.metadata.name,
        version: bundle.metadata.version,
        dir: bundle.dir.replace(`${REPO_ROOT}/`, ''),
        input: {
          sliceWindow: bundle.metadata.input.sliceWindow,
          height: bundle.metadata.input.height,
          width: bundle.metadata.input.width,
        },
        provider: best.provider,
        batchSize: BATCH ?? 'default (2 on CPU, 8 on GPU)',
        cold: { totalMs: round(cold.timings.totalMs), sessionMs: round(cold.timings.sessionMs) },
        totalMs: round(t.totalMs),
        msPerSlice: round(t.totalMs / t.slicesTotal),
        msPer128Slices: round(per128),
        inferenceMs: round(t.inferenceMs),
        inferenceMsPerSlice: round(t.inferenceMs / t.slicesInferred),
        preprocessMs: round(t.preprocessMs),
        preprocessMsPerSlice: round(t.preprocessMs / t.slicesInferred),
        postprocessMs: round(t.postprocessMs),
        postprocessMsPerSlice: round(t.postprocessMs / t.slicesInferred),
        otherMs: round(t.totalMs - t.inferenceMs - t.preprocessMs - t.postprocessMs),
        gflopPerSlice: gflopPerSlice === null ? null : round(gflopPerSlice, 6),
        gflopSource:
          typeof fromMetadata === 'number'
            ? 'metadata.metrics.gflopPerSlice'
            : counted !== null
              ? 'counted from the ONNX graph (Conv/ConvTranspose/MatMul/Gemm MACs × 2, python onnxruntime)'
              : 'unknown',
        achievedGflops: achieved === null ? null : round(achieved),
        fractionOfPeak: achieved === null ? null : round(achieved / peak.gflops, 3),
        meanEntropy: round(best.meanEntropy, 4),
        lesionVoxels,
        meetsGoal: per128 <= GOAL_MS_PER_128,
      });
    } finally {
      await service.dispose();
    }
  }
  const ru = process.resourceUsage();
  console.log(
    JSON.stringify(
      {
        bench: 'inference',
        goal: `≤ ${GOAL_MS_PER_128} ms per 128 slices`,
        machine: {
          platform: process.platform,
          cpuModel: cpus()[0]?.model ?? 'unknown',
          logicalCpus: availableParallelism(),
          threads: THREADS,
          loadavg1m: round(loadavg()[0] ?? 0),
        },
        volume: { size: volume.size, slicesWithLung: SLICES },
        peak: {
          method: `onnxruntime-node MatMul ${peak.n}³ float32, best of 6`,
          gflops: round(peak.gflops),
          bestMs: round(peak.bestMs),
        },
        bundles: results,
        refusedBundles: listing.refused.map((r) => ({
          dir: r.dir,
          code: r.error.code,
          message: r.error.message,
        })),
        peakRssMb: round(ru.maxRSS / 1024, 1),
        benchWallS: round((performance.now() - tStart) / 1000, 1),
      },
      null,
      2,
    ),
  );
}

await main();
