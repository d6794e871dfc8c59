/**
 * Golden test: the TypeScript preprocessing must reproduce the Python pipeline's tensors
 * (`models/training/lungburden/data/preprocess.py`) to 1e-4. The fixture is written by the model
 * engineer's `python -m lungburden.golden` (run from `models/training`) into
 * `test/fixtures/inference-golden/`; this test only reads it. Two sets: `golden.json` (plain
 * bilinear resize) and `golden-antialias.json` (`preprocessing.antialias: true`, every case
 * decimating, so the Gaussian prefilter is exercised).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { z } from 'zod';
import { preprocessWindow } from '../../../shared/inference/preprocess.ts';
import type { PreprocessParams } from '../../../shared/inference/preprocess-params.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'inference-golden');
const TOLERANCE = 1e-4;

const GoldenSchema = z.object({
  volume: z.object({
    file: z.string(),
    dtype: z.literal('int16-le'),
    size: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
  }),
  cases: z
    .array(
      z.object({
        k: z.number().int(),
        sliceWindow: z.number().int(),
        height: z.number().int(),
        width: z.number().int(),
        preprocessing: z.object({
          bodyThresholdHu: z.number(),
          bodyCropMarginPx: z.number().int(),
          window: z.object({ centerHu: z.number(), widthHu: z.number() }),
          normalize: z.object({ mean: z.number(), std: z.number() }),
          antialias: z.boolean().optional(),
        }),
        box: z.object({
          rowStart: z.number().int(),
          colStart: z.number().int(),
          side: z.number().int(),
        }),
        file: z.string(),
        dtype: z.literal('float32-le'),
      }),
    )
    .min(1),
});

/** Little-endian typed array from a file (copied so the alignment is right on any platform). */
function readLe<T extends Int16Array | Float32Array>(path: string, make: (b: ArrayBuffer) => T, bytesPer: number): T {
  const bytes = readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = make(new ArrayBuffer(bytes.byteLength));
  for (let n = 0; n < out.length; n++) out[n] = bytesPer === 2 ? view.getInt16(2 * n, true) : view.getFloat32(4 * n, true);
  return out;
}

/** Runs every case of one golden set; returns the largest |ts − py| over its cases. */
function checkGoldenSet(t: TestContext, jsonFile: string): number {
  const golden = GoldenSchema.parse(JSON.parse(readFileSync(join(DIR, jsonFile), 'utf8')));
  const [nI, nJ, nK] = golden.volume.size;
  const data = readLe(join(DIR, golden.volume.file), (b) => new Int16Array(b), 2);
  assert.equal(data.length, nI * nJ * nK, `${golden.volume.file} length matches its size`);
  const volume = { size: [nI, nJ, nK] as const, data };
  let setMax = 0;

  for (const c of golden.cases) {
    const params: PreprocessParams = {
      sliceWindow: c.sliceWindow,
      height: c.height,
      width: c.width,
      bodyThresholdHu: c.preprocessing.bodyThresholdHu,
      bodyCropMarginPx: c.preprocessing.bodyCropMarginPx,
      windowCenterHu: c.preprocessing.window.centerHu,
      windowWidthHu: c.preprocessing.window.widthHu,
      normalizeMean: c.preprocessing.normalize.mean,
      normalizeStd: c.preprocessing.normalize.std,
      antialias: c.preprocessing.antialias ?? false,
    };
    const expected = readLe(join(DIR, c.file), (b) => new Float32Array(b), 4);
    const { tensor, box } = preprocessWindow(volume, c.k, params);
    assert.deepEqual(box, c.box, `${c.file}: crop box`);
    assert.equal(tensor.length, expected.length, `${c.file}: tensor size`);
    let maxDiff = 0,
      at = -1;
    for (let n = 0; n < tensor.length; n++) {
      const d = Math.abs(tensor[n]! - expected[n]!);
      if (!(d <= maxDiff)) {
        maxDiff = d;
        at = n;
      }
    }
    t.diagnostic(
      `${c.file}: k=${c.k} F=${c.sliceWindow} ${c.height}×${c.width} antialias=${params.antialias} max |diff| = ${maxDiff.toExponential(2)}`,
    );
    assert.ok(maxDiff <= TOLERANCE, `${c.file}: max |diff| ${maxDiff} at element ${at} (ts ${tensor[at]}, py ${expected[at]})`);
    setMax = Math.max(setMax, maxDiff);
  }
  return setMax;
}

test('TS preprocessing matches the Python golden tensors (max |diff| ≤ 1e-4) and crop boxes', (t) => {
  // committed fixtures: a missing one is a failure, never a skip (written by `python -m lungburden.golden`)
  assert.ok(existsSync(join(DIR, 'golden.json')), 'test/fixtures/inference-golden/golden.json is committed');
  checkGoldenSet(t, 'golden.json');
});

test('TS antialiased preprocessing matches the Python golden tensors (max |diff| ≤ 1e-4) and crop boxes', (t) => {
  assert.ok(existsSync(join(DIR, 'golden-antialias.json')), 'test/fixtures/inference-golden/golden-antialias.json is committed');
  const golden = GoldenSchema.parse(JSON.parse(readFileSync(join(DIR, 'golden-antialias.json'), 'utf8')));
  // the set must exercise the prefilter: antialias on and every box decimated along at least one axis
  for (const c of golden.cases) {
    assert.equal(c.preprocessing.antialias, true, `${c.file}: antialias`);
    assert.ok(c.box.side > c.height || c.box.side > c.width, `${c.file}: decimated`);
  }
  checkGoldenSet(t, 'golden-antialias.json');
});
