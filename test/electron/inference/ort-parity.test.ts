// Parity of the two runtimes that execute a model bundle: onnxruntime in Python (the training
// pipeline's evaluation) and onnxruntime-node (the app). Inputs are real preprocessed windows of the
// bundled sample case (TypeScript preprocessing, itself pinned to Python by golden.test.ts); the
// per-pixel argmax labels must agree on ≥ 99.9 % of pixels for every bundle shipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { readNifti } from '../../../shared/nifti/read-nifti.ts';
import { reorientToLps } from '../../../shared/imaging/geometry.ts';
import { preprocessWindow } from '../../../shared/inference/preprocess.ts';
import { preprocessParamsOf } from '../../../shared/inference/preprocess-params.ts';
import { loadModelBundle } from '../../../electron/services/inference/model-registry.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';

const PY = join(REPO_ROOT, '.venv', 'bin', 'python');
const SAMPLE = join(REPO_ROOT, 'test', 'fixtures', 'sample-case', 'sample-chest-ct.nii.gz');

function bundleDirs(): string[] {
  const dirs = [join(REPO_ROOT, 'test', 'fixtures', 'models', 'random-init')];
  const models = join(REPO_ROOT, 'models');
  for (const d of readdirSync(models)) if (existsSync(join(models, d, 'metadata.json'))) dirs.push(join(models, d));
  return dirs.filter((d) => existsSync(join(d, 'metadata.json')));
}

const PY_RUN = `
import sys, json, numpy as np, onnxruntime as ort
model, inp, out, shape = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
so = ort.SessionOptions(); so.intra_op_num_threads = 2
s = ort.InferenceSession(model, so, providers=['CPUExecutionProvider'])
x = np.fromfile(inp, dtype='<f4').reshape(shape)
y = s.run(None, {s.get_inputs()[0].name: x})[0]
np.argmax(y, axis=1).astype(np.uint8).tofile(out)
`;

for (const dir of bundleDirs()) {
  test(`onnxruntime Python and onnxruntime-node agree on labels: ${dir.replace(REPO_ROOT + '/', '')}`, async (t) => {
    if (!existsSync(PY)) {
      t.skip('.venv missing: run scripts/setup-python.sh');
      return;
    }
    const bundle = await loadModelBundle(dir);
    const params = preprocessParamsOf(bundle.metadata);
    const volume = reorientToLps(readNifti(new Uint8Array(readFileSync(SAMPLE))));
    const ks = [0.3, 0.45, 0.55, 0.7].map((f) => Math.round(f * (volume.size[2] - 1)));
    const per = params.sliceWindow * params.height * params.width;
    const batch = new Float32Array(ks.length * per);
    ks.forEach((k, b) => preprocessWindow(volume, k, params, batch, b * per));
    const shape = [ks.length, params.sliceWindow, params.height, params.width];

    const tmp = mkdtempSync(join(tmpdir(), 'lb-parity-'));
    try {
      writeFileSync(join(tmp, 'x.f32'), new Uint8Array(batch.buffer));
      const py = spawnSync(PY, ['-c', PY_RUN, bundle.modelPath, join(tmp, 'x.f32'), join(tmp, 'y.u8'), JSON.stringify(shape)], {
        encoding: 'utf8',
      });
      assert.equal(py.status, 0, py.stderr);
      const pyLabels = new Uint8Array(readFileSync(join(tmp, 'y.u8')));

      const session = await ort.InferenceSession.create(bundle.modelPath, { executionProviders: ['cpu'], intraOpNumThreads: 2 });
      const out = await session.run({ [bundle.metadata.input.name]: new ort.Tensor('float32', batch, shape) });
      const logits = out[bundle.metadata.output.name]!.data as Float32Array;
      const C = bundle.metadata.classes.length;
      const plane = params.height * params.width;
      let agree = 0;
      for (let b = 0; b < ks.length; b++) {
        for (let p = 0; p < plane; p++) {
          let best = 0;
          for (let c = 1; c < C; c++) if (logits[(b * C + c) * plane + p]! > logits[(b * C + best) * plane + p]!) best = c;
          if (best === pyLabels[b * plane + p]) agree++;
        }
      }
      const agreement = agree / (ks.length * plane);
      console.log(JSON.stringify({ bundle: bundle.metadata.name, pixels: ks.length * plane, agreement }));
      assert.ok(agreement >= 0.999, `label agreement ${agreement}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}
