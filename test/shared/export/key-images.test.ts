import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KeyImageError,
  LUNG_OUTLINE_COLOUR,
  renderKeyImages,
  scaleBarLengthMm,
  type RgbaImage,
} from '../../../shared/export/key-images.ts';
import { syntheticChest } from './synthetic-case.ts';

const count = (img: RgbaImage, pred: (r: number, g: number, b: number) => boolean): number => {
  let n = 0;
  for (let p = 0; p < img.width * img.height; p++) if (pred(img.data[4 * p]!, img.data[4 * p + 1]!, img.data[4 * p + 2]!)) n++;
  return n;
};
const bluish = (r: number, g: number, b: number) => b > r + 60 && b > g + 20;
const yellowish = (r: number, g: number, b: number) => r > 140 && g > 110 && b < r - 80;

test('axial key slices: largest lesion areas, square pixels, overlays and lung outline', () => {
  const s = syntheticChest();
  const set = renderKeyImages(s.volume, s.lung, s.lesion);
  const [nI, nJ, nK] = s.volume.size;
  assert.equal(set.axial.length, 3);
  // The lesions are largest at the middle slice; chosen slices are >= 20 mm apart, superior first.
  const ks = set.axial.map((a) => a.sliceIndex!);
  assert.ok(ks.includes(Math.floor((nK - 1) / 2)) || ks.includes(Math.ceil((nK - 1) / 2)));
  for (let x = 1; x < ks.length; x++) assert.ok(ks[x - 1]! - ks[x]! >= Math.round(20 / 6));
  const a = set.axial[0]!;
  assert.equal(a.width, nI);
  assert.equal(a.height, Math.round((nJ * 3.5) / 3));
  assert.ok(count(a, bluish) > 10, 'GGO overlay (blue) visible');
  assert.ok(count(a, yellowish) > 10, 'high opacity overlay (yellow) visible');
  assert.ok(
    count(a, (r, g, b) => r === LUNG_OUTLINE_COLOUR[0] && g === LUNG_OUTLINE_COLOUR[1] && b === LUNG_OUTLINE_COLOUR[2]) > 20,
    'lung outline',
  );
  // GGO (label 1, right lung) is on the image left (radiological convention).
  let leftBlue = 0;
  for (let r = 0; r < a.height; r++)
    for (let c = 0; c < a.width / 2; c++) {
      const p = 4 * (c + r * a.width);
      if (bluish(a.data[p]!, a.data[p + 1]!, a.data[p + 2]!)) leftBlue++;
    }
  assert.equal(leftBlue, count(a, bluish));
});

test('coronal reformat is resampled to square pixels; the 3-D snapshot shows both classes', () => {
  const s = syntheticChest();
  const set = renderKeyImages(s.volume, s.lung, s.lesion);
  assert.equal(set.coronal.height, Math.round((24 * 6) / 3));
  assert.equal(set.coronal.width, 64);
  assert.ok(count(set.coronal, bluish) > 10 && count(set.coronal, yellowish) > 10);
  assert.equal(set.frontal3d.height, set.coronal.height);
  assert.ok(count(set.frontal3d, bluish) > 10 && count(set.frontal3d, yellowish) > 10);
  assert.ok(set.frontal3d.lesionAreaCm2 > 0);
});

test('without lesions the key images still render (lung slices), and mismatched labels throw', () => {
  const s = syntheticChest();
  const set = renderKeyImages(s.volume, s.lung, null);
  assert.equal(set.axial.length, 3);
  assert.equal(count(set.axial[0]!, bluish), 0);
  assert.throws(() => renderKeyImages(s.volume, s.lung.subarray(1), null), KeyImageError);
  assert.throws(() => renderKeyImages({ ...s.volume, directionLps: [-1, 0, 0, 0, 1, 0, 0, 0, 1] }, s.lung, null), /LPS-aligned/);
});

test('key images carry their scale (mm per pixel) and edge letters; scale bars take a round length', () => {
  const s = syntheticChest();
  const set = renderKeyImages(s.volume, s.lung, s.lesion);
  const sx = s.volume.spacingMm[0];
  for (const img of [...set.axial, set.coronal, set.frontal3d]) assert.equal(img.pixelSpacingMm, sx);
  assert.deepEqual(set.axial[0]!.edges, { left: 'R', right: 'L', top: 'A', bottom: 'P' });
  assert.deepEqual(set.coronal.edges, { left: 'R', right: 'L', top: 'S', bottom: 'I' });
  assert.deepEqual(set.frontal3d.edges, set.coronal.edges);
  // The right lung (label 1) lies on the edge marked R in all three kinds of image.
  const [nI] = s.volume.size;
  let rightOnLeft = 0,
    right = 0;
  for (let x = 0; x < s.lung.length; x++)
    if (s.lung[x] === 1) {
      right++;
      if (x % nI < nI / 2) rightOnLeft++;
    }
  assert.equal(rightOnLeft, right);
  assert.equal(scaleBarLengthMm(350), 50);
  assert.equal(scaleBarLengthMm(100), 20);
  assert.equal(scaleBarLengthMm(12), 5);
  assert.equal(scaleBarLengthMm(1000), 200);
});
