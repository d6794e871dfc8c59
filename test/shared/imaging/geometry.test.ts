import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelMap } from '../../../shared/domain/label-map.ts';
import type { Mat3, Vec3, Volume } from '../../../shared/domain/volume.ts';
import { ijkToLps, lpsReorientation, lpsToIjk, reorientLabelsFromLps, reorientToLps } from '../../../shared/imaging/geometry.ts';

function volumeWith(direction: Mat3, size: Vec3 = [4, 3, 5]): Volume {
  const data = new Int16Array(size[0] * size[1] * size[2]);
  for (let p = 0; p < data.length; p++) data[p] = p * 3 - 50;
  return {
    size,
    spacingMm: [0.5, 0.75, 2],
    originLps: [-10, 20, -30],
    directionLps: direction,
    data,
  };
}

test('ijkToLps follows origin + direction·diag(spacing)·ijk', () => {
  const v = volumeWith([0, 1, 0, -1, 0, 0, 0, 0, 1]);
  assert.deepEqual(ijkToLps(v, [0, 0, 0]), [-10, 20, -30]);
  assert.deepEqual(ijkToLps(v, [2, 0, 0]), [-10, 21, -30]); // i along +y, 0.5 mm
  assert.deepEqual(ijkToLps(v, [0, 4, 0]), [-13, 20, -30]); // j along −x, 0.75 mm
  assert.deepEqual(ijkToLps(v, [0, 0, 3]), [-10, 20, -24]);
});

test('lpsToIjk inverts ijkToLps for oblique and sheared directions', () => {
  const c = Math.cos(0.3);
  const s = Math.sin(0.3);
  const dirs: Mat3[] = [
    [c, s, 0, -s, c, 0, 0, 0, -1],
    [1, 0, 0, 0.2, 0.98, 0, 0, 0.1, 0.995], // sheared (gantry tilt)
    [0, 0, 1, 1, 0, 0, 0, 1, 0],
  ];
  for (const d of dirs) {
    const v = volumeWith(d);
    for (const ijk of [
      [0, 0, 0],
      [1.5, 2, 3],
      [3, 0.25, 4],
    ] as Vec3[]) {
      const back = lpsToIjk(v, ijkToLps(v, ijk));
      for (let a = 0; a < 3; a++)
        assert.ok(Math.abs(back[a]! - ijk[a]!) < 1e-9, `${JSON.stringify(d)} ${ijk.join(',')} axis ${a}: ${back[a]}`);
    }
  }
});

/** Every voxel keeps its value at the same LPS position after reorientation. */
function assertSameVoxelsInSpace(a: Volume | LabelMap, b: Volume | LabelMap): void {
  const [nx, ny, nz] = b.size;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const lps = ijkToLps(b, [i, j, k]);
        const src = lpsToIjk(a, lps).map((x) => Math.round(x));
        for (let c = 0; c < 3; c++) {
          assert.ok(Math.abs(lpsToIjk(a, lps)[c]! - src[c]!) < 1e-9, 'reoriented voxel centre is an original voxel centre');
        }
        const pa = src[0]! + src[1]! * a.size[0] + src[2]! * a.size[0] * a.size[1];
        assert.equal(b.data[i + j * nx + k * nx * ny], a.data[pa]);
      }
    }
  }
}

const CASES: {
  name: string;
  dir: Mat3;
  axes: [number, number, number];
  flip: [boolean, boolean, boolean];
}[] = [
  {
    name: 'identity',
    dir: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    axes: [0, 1, 2],
    flip: [false, false, false],
  },
  {
    name: 'RAS-stored (i → −x, j → −y)',
    dir: [-1, 0, 0, 0, -1, 0, 0, 0, 1],
    axes: [0, 1, 2],
    flip: [true, true, false],
  },
  {
    name: 'feet-first (k → −z)',
    dir: [1, 0, 0, 0, 1, 0, 0, 0, -1],
    axes: [0, 1, 2],
    flip: [false, false, true],
  },
  {
    name: 'sagittal (i → +y, j → −z, k → −x)',
    dir: [0, 1, 0, 0, 0, -1, -1, 0, 0],
    axes: [2, 0, 1],
    flip: [true, false, true],
  },
  {
    name: 'coronal (i → +x, j → −z, k → +y)',
    dir: [1, 0, 0, 0, 0, -1, 0, 1, 0],
    axes: [0, 2, 1],
    flip: [false, false, true],
  },
];

for (const c of CASES) {
  test(`reorientToLps: ${c.name}`, () => {
    const v = volumeWith(c.dir);
    const r = lpsReorientation(v);
    assert.deepEqual([...r.axes], c.axes);
    assert.deepEqual([...r.flip], c.flip);
    const o = reorientToLps(v);
    assert.deepEqual([...o.directionLps], [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    assertSameVoxelsInSpace(v, o);
    // labels: forward then back is the identity, and lands on the original grid
    const labels: LabelMap = { ...v, data: Uint8Array.from(v.data, (x) => (x + 50) % 256) };
    const lo = reorientToLps(labels);
    assertSameVoxelsInSpace(labels, lo);
    const back = reorientLabelsFromLps(lo, v);
    assert.deepEqual(back.data, labels.data);
    assert.deepEqual([...back.size], [...v.size]);
    assert.deepEqual([...back.originLps], [...v.originLps]);
    assert.deepEqual([...back.directionLps], [...v.directionLps]);
  });
}

test('oblique grid: nearest axes, LPS positions kept exactly, direction not snapped', () => {
  const c = Math.cos(0.2);
  const s = Math.sin(0.2);
  // i ≈ −y, j ≈ +x, k ≈ −z, rotated 0.2 rad about z
  const dir: Mat3 = [s, -c, 0, c, s, 0, 0, 0, -1];
  const v = volumeWith(dir);
  const o = reorientToLps(v);
  assert.deepEqual([...lpsReorientation(v).axes], [1, 0, 2]);
  assert.ok(o.directionLps[0] > 0.97 && o.directionLps[4] > 0.97 && o.directionLps[8] === 1);
  assertSameVoxelsInSpace(v, o);
});

test('already-LPS input is returned as is (no copy)', () => {
  const v = volumeWith([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.equal(reorientToLps(v), v);
});

test('reorientLabelsFromLps rejects labels on the wrong grid', () => {
  const v = volumeWith([0, 1, 0, 0, 0, -1, -1, 0, 0]);
  const wrong: LabelMap = { ...v, data: new Uint8Array(v.data.length) };
  assert.throws(() => reorientLabelsFromLps(wrong, v), /reoriented grid/);
});
