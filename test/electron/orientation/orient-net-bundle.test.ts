// The committed orientation classifier bundle (models/orientation/orientnet) loads through the
// model registry's checks, runs in onnxruntime-node, and classifies slices stored in each of the
// 8 orientations up to left–right: generated slices of the synthetic sample phantom (no patient
// data), and — when ../shared/data is present — MA20 validation-patient slices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeGray8, eightBitToVolume } from '../../../electron/cli/segment-command.ts';
import { findOrientNetBundle, ORIENT_NET_DIR, OrientNetSession } from '../../../electron/services/orientation/orient-net-session.ts';
import { ALL_ORIENTATIONS, fromUpright, orientationName } from '../../../shared/imaging/slice-orientation.ts';
import { phantomSlices } from '../../support/phantom-slices.ts';
import { REPO_ROOT, SHARED_DATA_MISSING, sharedDataDir } from '../../support/shared-data.ts';

const BUNDLE = join(REPO_ROOT, ORIENT_NET_DIR);

/** Right up to left–right over the 8 stored orientations of each upright slice; the misses named. */
async function score(
  s: OrientNetSession,
  ups: { gray: Uint8Array; cols: number; rows: number }[],
): Promise<{ right: number; n: number; misses: string[] }> {
  let right = 0;
  const misses: string[] = [];
  for (const [i, up] of ups.entries()) {
    const stored = ALL_ORIENTATIONS.map((o) => fromUpright(up.gray, up.cols, up.rows, o));
    const probs = await s.classify(stored.map((x) => eightBitToVolume(x.data, x.cols, x.rows, -500, 1500)));
    ALL_ORIENTATIONS.forEach((o, j) => {
      const p = probs[j]!;
      const best = p.indexOf(Math.max(...p));
      assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4, 'probabilities sum to 1');
      if (best === (o.transposed ? 2 : 0) + (o.upsideDown ? 1 : 0)) right++;
      else misses.push(`slice ${i} ${orientationName(o)} → class ${best} (p ${p[best]!.toFixed(2)})`);
    });
  }
  return { right, n: ups.length * 8, misses };
}

test('the committed orientation bundle loads (sha256 checked) and classifies the phantom in all 8 orientations', async () => {
  const bundle = await findOrientNetBundle();
  assert.ok(bundle, `${BUNDLE} is committed and must load`);
  assert.deepEqual(
    bundle.metadata.classes.map((c) => c.name),
    ['upright', 'upside-down', 'transposed', 'transposed+upside-down'],
  );
  const s = await OrientNetSession.open(bundle);
  try {
    const r = await score(s, phantomSlices([0.35, 0.5, 0.65]));
    assert.ok(r.right >= r.n - 1, `phantom: ${r.right}/${r.n} right up to left–right; misses: ${r.misses.join('; ')}`);
  } finally {
    await s.release();
  }
});

test('a modified orientation model is refused (sha256), and a folder without a bundle gives null', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lb-orient-'));
  try {
    assert.equal(await findOrientNetBundle(dir), null);
    copyFileSync(join(BUNDLE, 'metadata.json'), join(dir, 'metadata.json'));
    const bytes = readFileSync(join(BUNDLE, 'model.onnx'));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    writeFileSync(join(dir, 'model.onnx'), bytes);
    await assert.rejects(findOrientNetBundle(dir), /sha256/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const data = sharedDataDir();
const maDir = data ? join(data, 'ma20-slices', 'ct') : '';
test(
  'MA20 validation-patient slices (every 8th) in all 8 orientations: right up to left–right ≥ 95 %',
  { skip: !data || !existsSync(maDir) ? SHARED_DATA_MISSING : false },
  async () => {
    const split = JSON.parse(readFileSync(join(REPO_ROOT, 'models/training/splits/ma20-patients.json'), 'utf8')) as {
      validationRuns: [number, number][];
    };
    const files = readdirSync(maDir)
      .filter((f) => f.endsWith('.png') && split.validationRuns.some(([a, b]) => Number(f.slice(0, 4)) >= a && Number(f.slice(0, 4)) <= b))
      .sort()
      .filter((_, i) => i % 8 === 0);
    const bundle = await findOrientNetBundle();
    assert.ok(bundle);
    const s = await OrientNetSession.open(bundle);
    try {
      const r = await score(
        s,
        files.map((f) => {
          const d = decodeGray8(join(maDir, f));
          return { gray: d.gray, cols: d.width, rows: d.height };
        }),
      );
      assert.ok(r.right / r.n >= 0.95, `${r.right}/${r.n}; misses: ${r.misses.slice(0, 10).join('; ')}`);
    } finally {
      await s.release();
    }
  },
);
