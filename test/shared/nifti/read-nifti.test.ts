import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readNifti } from '../../../shared/nifti/read-nifti.ts';
import { readNiftiLabels } from '../../../shared/nifti/read-nifti-labels.ts';
import type { LabelMap } from '../../../shared/domain/label-map.ts';
import type { Volume, VolumeGeometry } from '../../../shared/domain/volume.ts';
import { REPO_ROOT, SHARED_DATA_MISSING, sharedDataDir } from '../../support/shared-data.ts';

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'nifti');

interface FixtureFile {
  file: string;
  note: string;
  shape: number[];
  dtype: string;
  expected_affine: number[][];
  nibabel_affine: number[][];
  values: number[];
}
interface RealFile {
  file: string;
  shape: number[];
  dtype: string;
  nibabel_affine: number[][];
  sum: number;
  min: number;
  max: number;
  probes: { ijk: [number, number, number]; value: number }[];
}
const fixtures = JSON.parse(readFileSync(join(FIXTURES, 'fixtures.json'), 'utf8')) as {
  files: FixtureFile[];
  totalseg: RealFile[];
};

/** LPS position of voxel ijk from our geometry. */
function lpsOf(g: VolumeGeometry, ijk: readonly number[]): number[] {
  const out = [...g.originLps];
  for (let c = 0; c < 3; c++) {
    for (let r = 0; r < 3; r++) out[r]! += g.directionLps[c * 3 + r]! * g.spacingMm[c]! * ijk[c]!;
  }
  return out;
}

/** LPS position of voxel ijk from a nibabel RAS affine: RAS = A·[i,j,k,1], then negate x and y. */
function lpsFromRas(a: number[][], ijk: readonly number[]): number[] {
  const ras = [0, 1, 2].map((r) => a[r]![0]! * ijk[0]! + a[r]![1]! * ijk[1]! + a[r]![2]! * ijk[2]! + a[r]![3]!);
  return [-ras[0]!, -ras[1]!, ras[2]!];
}

function assertGeometryMatches(g: VolumeGeometry, affine: number[][], shape: number[], tol = 1e-4): void {
  assert.deepEqual([...g.size], shape.slice(0, 3));
  const corners = [
    [0, 0, 0],
    [shape[0]! - 1, 0, 0],
    [0, shape[1]! - 1, 0],
    [0, 0, shape[2]! - 1],
    [shape[0]! - 1, shape[1]! - 1, shape[2]! - 1],
  ];
  for (const ijk of corners) {
    const ours = lpsOf(g, ijk);
    const ref = lpsFromRas(affine, ijk);
    for (let r = 0; r < 3; r++) assert.ok(Math.abs(ours[r]! - ref[r]!) < tol, `voxel ${ijk.join(',')} axis ${r}: ${ours[r]} vs ${ref[r]}`);
  }
  for (let c = 0; c < 3; c++) {
    const col = [0, 1, 2].map((r) => affine[r]![c]!);
    assert.ok(Math.abs(g.spacingMm[c]! - Math.hypot(col[0]!, col[1]!, col[2]!)) < 1e-5, `spacing ${c}`);
    const n = Math.hypot(g.directionLps[c * 3]!, g.directionLps[c * 3 + 1]!, g.directionLps[c * 3 + 2]!);
    assert.ok(Math.abs(n - 1) < 1e-6, `direction column ${c} is a unit vector`);
  }
}

for (const f of fixtures.files) {
  test(`nibabel fixture ${f.file}: ${f.note}`, () => {
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, f.file)));
    const isLabel = f.file.includes('uint8') || f.file.startsWith('labels');
    const img = isLabel ? readNiftiLabels(bytes) : readNifti(bytes, { paddingBelowHu: -Infinity });
    assertGeometryMatches(img, f.expected_affine, f.shape);
    assert.equal(img.data.length, f.values.length);
    for (let p = 0; p < f.values.length; p++) assert.equal(img.data[p], Math.round(f.values[p]!), `voxel ${p}`);
  });
}

test("pixdim-only file: NIfTI method 1 (diag pixdim), which differs from nibabel's Analyze-style affine", () => {
  const f = fixtures.files.find((x) => x.file.startsWith('pixdim-only'));
  assert.ok(f);
  const v = readNifti(new Uint8Array(readFileSync(join(FIXTURES, f.file))));
  assert.deepEqual([...v.originLps], [0, 0, 0]);
  assert.deepEqual([...v.directionLps], [-1, 0, 0, 0, -1, 0, 0, 0, 1]);
  assert.notDeepEqual(f.nibabel_affine, f.expected_affine);
});

test('real TotalSegmentator crops: affine, shape and voxels as nibabel reads them', (t) => {
  const data = sharedDataDir();
  if (!data) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  assert.ok(fixtures.totalseg.length >= 3, 'fixtures.json has the TotalSegmentator records');
  for (const r of fixtures.totalseg) {
    const bytes: Uint8Array = new Uint8Array(readFileSync(join(data, 'chest-ct', 'totalseg-chest-crops', r.file)));
    const img: Volume | LabelMap = r.dtype === 'uint8' ? readNiftiLabels(bytes) : readNifti(bytes, { paddingBelowHu: -Infinity });
    assertGeometryMatches(img, r.nibabel_affine, r.shape, 1e-3);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of img.data) {
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    assert.equal(sum, r.sum, `${r.file} voxel sum`);
    assert.equal(min, r.min);
    assert.equal(max, r.max);
    for (const p of r.probes) {
      const [i, j, k] = p.ijk;
      assert.equal(img.data[i + j * img.size[0] + k * img.size[0] * img.size[1]], p.value, `${r.file} ${p.ijk.join(',')}`);
    }
  }
});

test('the LPS-stored chest crop has i → +x (patient left), j → +y, k → +z', (t) => {
  const data = sharedDataDir();
  if (!data) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const v = readNifti(
    new Uint8Array(readFileSync(join(data, 'chest-ct', 'totalseg-chest-crops', 'totalseg_chest_ct_cropped_1p5mm.nii.gz'))),
  );
  for (let c = 0; c < 3; c++) assert.ok(v.directionLps[c * 3 + c]! > 0.99, `axis ${c} along +${'xyz'[c]}`);
  assert.deepEqual(
    [...v.spacingMm].map((s) => Math.round(s * 1000) / 1000),
    [1.5, 1.5, 1.5],
  );
});
