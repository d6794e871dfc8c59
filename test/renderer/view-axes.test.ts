import { test } from 'node:test';
import assert from 'node:assert/strict';
import { viewAxes } from '../../renderer/viewer/view-axes.ts';
import type { Mat3, VolumeGeometry } from '../../shared/domain/volume.ts';

const geo = (directionLps: Mat3): VolumeGeometry => ({
  size: [10, 20, 30],
  spacingMm: [0.7, 0.7, 2.5],
  originLps: [0, 0, 0],
  directionLps,
});

test('identity (LPS) volume: axial shows i→screen right (patient left), j→down (posterior)', () => {
  const g = geo([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.deepEqual(viewAxes(g, 'axial'), {
    view: 'axial',
    u: 0,
    v: 1,
    normal: 2,
    flipU: false,
    flipV: false,
    labels: { left: 'R', right: 'L', top: 'A', bottom: 'P' },
    oblique: false,
  });
  const cor = viewAxes(g, 'coronal');
  assert.equal(cor.u, 0);
  assert.equal(cor.v, 2);
  assert.equal(cor.normal, 1);
  assert.equal(cor.flipV, true, 'k increases superior, the screen grows downward');
  const sag = viewAxes(g, 'sagittal');
  assert.deepEqual([sag.u, sag.v, sag.normal, sag.flipU, sag.flipV], [1, 2, 0, false, true]);
});

test('flipped and permuted axes (NIfTI RAS-like, sagittal acquisition) map to the same screen', () => {
  // i → −x (patient right), j → −y (anterior), k → +z.
  const ras = viewAxes(geo([-1, 0, 0, 0, -1, 0, 0, 0, 1]), 'axial');
  assert.deepEqual([ras.u, ras.v, ras.flipU, ras.flipV], [0, 1, true, true]);
  // Sagittal acquisition: i → +y, j → −z, k → +x.
  const g = geo([0, 1, 0, 0, 0, -1, 1, 0, 0]);
  const ax = viewAxes(g, 'axial');
  assert.deepEqual([ax.u, ax.v, ax.normal, ax.flipU, ax.flipV], [2, 0, 1, false, false]);
  const sag = viewAxes(g, 'sagittal');
  assert.deepEqual([sag.u, sag.v, sag.normal, sag.flipU, sag.flipV], [0, 1, 2, false, false]);
});

test('oblique directions are flagged (labels approximate)', () => {
  const c = Math.cos(0.3);
  const s = Math.sin(0.3);
  assert.equal(viewAxes(geo([c, s, 0, -s, c, 0, 0, 0, 1]), 'axial').oblique, true);
});
