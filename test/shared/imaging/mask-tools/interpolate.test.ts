import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabelMap } from '../../../../shared/domain/label-map.ts';
import type { Vec3 } from '../../../../shared/domain/volume.ts';
import { applyPatch } from '../../../../shared/imaging/mask-tools/edit-patch.ts';
import { interpolateSlices } from '../../../../shared/imaging/mask-tools/interpolate.ts';
import { MaskToolError } from '../../../../shared/imaging/mask-tools/mask-tool-error.ts';
import type { ViewPlane } from '../../../../shared/imaging/mask-tools/view-plane.ts';
import { countLabel, labelMapOf } from './support.ts';

const NORMAL: Record<ViewPlane, 0 | 1 | 2> = { sagittal: 0, coronal: 1, axial: 2 };
const IN_PLANE: Record<ViewPlane, [0 | 1 | 2, 0 | 1 | 2]> = {
  sagittal: [1, 2],
  coronal: [0, 2],
  axial: [0, 1],
};

/** Index of in-plane pixel (x, y) of slice s for a view. */
function voxel(map: LabelMap, plane: ViewPlane, s: number, x: number, y: number): number {
  const c = [0, 0, 0];
  c[NORMAL[plane]] = s;
  c[IN_PLANE[plane][0]] = x;
  c[IN_PLANE[plane][1]] = y;
  return c[0]! + c[1]! * map.size[0] + c[2]! * map.size[0] * map.size[1];
}

function planeSize(map: LabelMap, plane: ViewPlane): [number, number] {
  return [map.size[IN_PLANE[plane][0]], map.size[IN_PLANE[plane][1]]];
}

function planeSpacing(map: LabelMap, plane: ViewPlane): [number, number] {
  return [map.spacingMm[IN_PLANE[plane][0]], map.spacingMm[IN_PLANE[plane][1]]];
}

/** Writes `label` where `inside(xMm, yMm)` in slice s. */
function drawSlice(map: LabelMap, plane: ViewPlane, s: number, label: number, inside: (x: number, y: number) => boolean): void {
  const [w, h] = planeSize(map, plane);
  const [sx, sy] = planeSpacing(map, plane);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (inside(x * sx, y * sy)) map.data[voxel(map, plane, s, x, y)] = label;
}

function sliceMask(map: LabelMap, plane: ViewPlane, s: number, label: number): Uint8Array {
  const [w, h] = planeSize(map, plane);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x + y * w] = map.data[voxel(map, plane, s, x, y)] === label ? 1 : 0;
  return out;
}

const disc = (cx: number, cy: number, r: number) => (x: number, y: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** Brute-force signed distance (mm): −(distance to nearest outside pixel) inside, +(to nearest inside pixel) outside. */
function bruteSdf(mask: Uint8Array, w: number, h: number, sx: number, sy: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let p = 0; p < w * h; p++) {
    const inside = mask[p] !== 0;
    let best = Infinity;
    for (let q = 0; q < w * h; q++) {
      if ((mask[q] !== 0) === inside) continue;
      const dx = ((p % w) - (q % w)) * sx,
        dy = (Math.floor(p / w) - Math.floor(q / w)) * sy;
      best = Math.min(best, dx * dx + dy * dy);
    }
    out[p] = inside ? -Math.sqrt(best) : Math.sqrt(best);
  }
  return out;
}

test('identical discs: every slice in between is the same disc', () => {
  const map = labelMapOf([24, 24, 8], [0.7, 0.7, 2]);
  const shape = disc(8.4, 7.7, 4.2);
  drawSlice(map, 'axial', 0, 1, shape);
  drawSlice(map, 'axial', 7, 1, shape);
  const key = sliceMask(map, 'axial', 0, 1);
  const result = interpolateSlices(map, { plane: 'axial' });
  assert.deepEqual(result.gaps, [{ label: 1, fromSlice: 0, toSlice: 7 }]);
  for (let s = 1; s < 7; s++) assert.deepEqual(sliceMask(map, 'axial', s, 1), key, `slice ${s}`);
  assert.equal(result.patch.indices.length, 6 * countLabel(key, 1));
});

test('concentric discs of radius 4 and 10: intermediate slices are the signed-distance blend, radius growing linearly', () => {
  for (const plane of ['axial', 'coronal', 'sagittal'] as const) {
    const size: Vec3 = plane === 'axial' ? [26, 26, 9] : plane === 'coronal' ? [26, 9, 26] : [9, 26, 26];
    const map = labelMapOf(size, [1, 1, 1]);
    drawSlice(map, plane, 1, 2, disc(12, 13, 4));
    drawSlice(map, plane, 7, 2, disc(12, 13, 10));
    const [w, h] = planeSize(map, plane);
    const sdfA = bruteSdf(sliceMask(map, plane, 1, 2), w, h, 1, 1);
    const sdfB = bruteSdf(sliceMask(map, plane, 7, 2), w, h, 1, 1);
    interpolateSlices(map, { plane });
    let previousArea = countLabel(sliceMask(map, plane, 1, 2), 1);
    for (let s = 2; s < 7; s++) {
      const t = (s - 1) / 6;
      const expected = new Uint8Array(w * h);
      for (let p = 0; p < w * h; p++) expected[p] = (1 - t) * sdfA[p]! + t * sdfB[p]! <= 0 ? 1 : 0;
      const got = sliceMask(map, plane, s, 2);
      assert.deepEqual(got, expected, `${plane} slice ${s}`);
      const area = countLabel(got, 1);
      assert.ok(area > previousArea, 'area grows');
      previousArea = area;
      const radius = 4 + 6 * t;
      assert.ok(
        Math.abs(area - Math.PI * radius * radius) < 2 * Math.PI * radius,
        `${plane} slice ${s}: area ${area} ≈ π·${radius.toFixed(2)}²`,
      );
    }
  }
});

test('anisotropic in-plane spacing: the blend uses millimetre distances', () => {
  const map = labelMapOf([30, 20, 5], [0.5, 1.5, 3]);
  drawSlice(map, 'axial', 0, 1, disc(7, 14, 3));
  drawSlice(map, 'axial', 4, 1, disc(7, 14, 6));
  const sdfA = bruteSdf(sliceMask(map, 'axial', 0, 1), 30, 20, 0.5, 1.5);
  const sdfB = bruteSdf(sliceMask(map, 'axial', 4, 1), 30, 20, 0.5, 1.5);
  interpolateSlices(map, { plane: 'axial' });
  for (let s = 1; s < 4; s++) {
    const t = s / 4;
    const expected = new Uint8Array(600);
    for (let p = 0; p < 600; p++) expected[p] = (1 - t) * sdfA[p]! + t * sdfB[p]! <= 0 ? 1 : 0;
    assert.deepEqual(sliceMask(map, 'axial', s, 1), expected, `slice ${s}`);
  }
});

test('a disc that moves without overlap is followed along the line between the centroids', () => {
  const map = labelMapOf([40, 20, 5]);
  drawSlice(map, 'axial', 0, 1, disc(8, 9, 3));
  drawSlice(map, 'axial', 4, 1, disc(24, 9, 3));
  interpolateSlices(map, { plane: 'axial' });
  for (let s = 1; s < 4; s++) {
    const expected = labelMapOf([40, 20, 1]);
    drawSlice(expected, 'axial', 0, 1, disc(8 + 4 * s, 9, 3));
    assert.deepEqual(sliceMask(map, 'axial', s, 1), expected.data, `slice ${s} holds the disc at x = ${8 + 4 * s}`);
  }
});

test('a component with no partner shrinks and is gone past half-way; the matched one is interpolated', () => {
  const map = labelMapOf([48, 48, 7]);
  drawSlice(map, 'axial', 0, 1, (x, y) => disc(10, 10, 5)(x, y) || disc(36, 36, 5)(x, y));
  drawSlice(map, 'axial', 6, 1, disc(11, 10, 5));
  interpolateSlices(map, { plane: 'axial' });
  const lone = (s: number): number => {
    const m = sliceMask(map, 'axial', s, 1);
    let n = 0;
    for (let p = 0; p < m.length; p++) if (m[p] && p % 48 > 24) n++;
    return n;
  };
  assert.ok(lone(1) > lone(2) && lone(2) > 0, `shrinking: ${lone(1)}, ${lone(2)}`);
  assert.ok(lone(3) <= 1, 'at most the deepest pixel at half-way');
  assert.equal(lone(4), 0);
  assert.equal(lone(5), 0);
  for (let s = 1; s < 6; s++) assert.ok(countLabel(sliceMask(map, 'axial', s, 1), 1) - lone(s) > 70, `matched disc present in slice ${s}`);
});

test('lone shapes too far apart to be the same lesion are not paired: both fade out', () => {
  const map = labelMapOf([60, 12, 5]);
  drawSlice(map, 'axial', 0, 1, disc(6, 6, 2.5));
  drawSlice(map, 'axial', 4, 1, disc(52, 6, 2.5));
  interpolateSlices(map, { plane: 'axial' });
  const mid = sliceMask(map, 'axial', 2, 1);
  for (let p = 0; p < mid.length; p++) if (mid[p]) assert.ok(p % 60 <= 8 || p % 60 >= 50, 'nothing is swept between them');
  assert.ok(countLabel(sliceMask(map, 'axial', 1, 1), 1) > 0 && countLabel(sliceMask(map, 'axial', 3, 1), 1) > 0);
});

test('classes are interpolated separately and do not overwrite each other (only-empty)', () => {
  const map = labelMapOf([30, 30, 5]);
  drawSlice(map, 'axial', 0, 1, disc(10, 15, 6));
  drawSlice(map, 'axial', 4, 1, disc(10, 15, 6));
  drawSlice(map, 'axial', 0, 2, disc(17, 15, 5)); // overlaps class 1 in the key slices
  drawSlice(map, 'axial', 4, 2, disc(17, 15, 5));
  const key1 = sliceMask(map, 'axial', 0, 1);
  const key2 = sliceMask(map, 'axial', 0, 2);
  const result = interpolateSlices(map, { plane: 'axial' });
  assert.equal(result.gaps.length, 2);
  for (let s = 1; s < 4; s++) {
    assert.deepEqual(sliceMask(map, 'axial', s, 1), key1);
    assert.deepEqual(sliceMask(map, 'axial', s, 2), key2);
  }
  // With an existing class-2 blob in slice 2, only-empty keeps it; overwrite-all replaces it.
  for (const [rule, kept] of [
    ['only-empty', true],
    ['overwrite-all', false],
  ] as const) {
    const m = labelMapOf([30, 30, 5]);
    drawSlice(m, 'axial', 0, 1, disc(10, 15, 6));
    drawSlice(m, 'axial', 4, 1, disc(10, 15, 6));
    drawSlice(m, 'axial', 2, 2, disc(10, 15, 2));
    interpolateSlices(m, { plane: 'axial', classes: [1], keySlices: [0, 4], overwrite: rule });
    assert.equal(m.data[10 + 15 * 30 + 2 * 900], kept ? 2 : 1, rule);
  }
});

test('explicit key slices: an empty key slice makes shapes vanish toward it; editable mask limits writes', () => {
  const map = labelMapOf([30, 30, 9]);
  drawSlice(map, 'axial', 0, 1, disc(15, 15, 8));
  drawSlice(map, 'axial', 8, 1, disc(15, 15, 8));
  const result = interpolateSlices(map, { plane: 'axial', keySlices: [0, 4] });
  assert.deepEqual(result.gaps, [{ label: 1, fromSlice: 0, toSlice: 4 }]);
  assert.ok(countLabel(sliceMask(map, 'axial', 1, 1), 1) > 0);
  assert.equal(countLabel(sliceMask(map, 'axial', 3, 1), 1), 0);
  for (let s = 5; s < 8; s++) assert.equal(countLabel(sliceMask(map, 'axial', s, 1), 1), 0, 'slices 5–7 are outside the keys');

  const masked = labelMapOf([30, 30, 5]);
  drawSlice(masked, 'axial', 0, 1, disc(15, 15, 8));
  drawSlice(masked, 'axial', 4, 1, disc(15, 15, 8));
  const lung = new Uint8Array(masked.data.length);
  for (let p = 0; p < lung.length; p++) lung[p] = p % 30 < 15 ? 1 : 0;
  const patch = interpolateSlices(masked, { plane: 'axial', editableMask: lung }).patch;
  assert.ok(patch.indices.length > 0 && [...patch.indices].every((x) => x % 30 < 15));
});

test('nothing to fill when annotated slices are contiguous; undo restores byte-identical labels', () => {
  const map = labelMapOf([20, 20, 6]);
  for (let s = 0; s < 6; s++) drawSlice(map, 'axial', s, 1, disc(10, 10, 3 + s / 2));
  assert.equal(interpolateSlices(map, { plane: 'axial' }).patch.indices.length, 0);

  const gap = labelMapOf([20, 20, 6]);
  drawSlice(gap, 'axial', 0, 2, disc(6, 6, 3));
  drawSlice(gap, 'axial', 5, 2, disc(12, 12, 5));
  const before = gap.data.slice();
  const { patch } = interpolateSlices(gap, { plane: 'axial' });
  assert.ok(patch.indices.length > 0);
  applyPatch(gap.data, patch, 'backward');
  assert.deepEqual(gap.data, before);
  assert.throws(() => interpolateSlices(gap, { plane: 'axial', keySlices: [0, 6] }), MaskToolError);
  assert.throws(() => interpolateSlices(gap, { plane: 'axial', classes: [0] }), MaskToolError);
});
