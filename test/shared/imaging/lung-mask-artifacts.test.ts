/**
 * The classical lung mask against everyday artifacts painted into the committed sample phantom
 * (no team data needed): each variant of test/support/lung-artifacts.ts must give a lung volume
 * within ±10 % of what the clean phantom's mask says it should be. The same variants on the
 * real chest CT series are in test/electron/lung-mask-artifacts-real.test.ts and in
 * `npm run bench -- robustness`.
 *
 * Not asserted: `fov-cut-lung` (a field of view 10 mm inside the farthest lung voxel, both lungs
 * opened along most of their outline): the mask loses the lungs there (measured −79 % on the
 * phantom); README "Robustness on real scans" lists it as a known limit.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { outsideFieldOfView } from '../../../shared/imaging/field-of-view.ts';
import { segmentLungs } from '../../../shared/imaging/lung-mask.ts';
import { readNifti } from '../../../shared/nifti/read-nifti.ts';
import { ARTIFACT_VARIANTS } from '../../support/lung-artifacts.ts';
import { REPO_ROOT } from '../../support/shared-data.ts';

const ct = readNifti(new Uint8Array(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'sample-case', 'sample-chest-ct.nii.gz'))));
const clean = segmentLungs(ct);
const KNOWN_LIMITS = new Set(['fov-cut-lung']);

for (const variant of ARTIFACT_VARIANTS) {
  if (KNOWN_LIMITS.has(variant.name)) continue;
  test(`phantom + ${variant.name}: lung volume within ±10 % of the clean phantom's`, () => {
    const made = variant.apply(ct, clean.labels);
    const m = segmentLungs(made.volume);
    const ml = m.rightVolumeMl + m.leftVolumeMl;
    const rel = (ml - made.expectedLungMl) / made.expectedLungMl;
    assert.ok(Math.abs(rel) <= 0.1, `${ml.toFixed(0)} mL vs ${made.expectedLungMl.toFixed(0)} mL (${(100 * rel).toFixed(1)} %)`);
    assert.ok(m.rightVolumeMl > 0.5 * made.expectedRightMl, `right lung ${m.rightVolumeMl.toFixed(0)} mL`);
    assert.ok(m.leftVolumeMl > 0.5 * made.expectedLeftMl, `left lung ${m.leftVolumeMl.toFixed(0)} mL`);
  });
}

test('the artifact generator is deterministic (same seed, same voxels)', () => {
  const v = ARTIFACT_VARIANTS.find((x) => x.name === 'blanket');
  assert.ok(v);
  const a = v.apply(ct, clean.labels).volume.data;
  const b = v.apply(ct, clean.labels).volume.data;
  assert.deepEqual(a, b);
  let changed = 0;
  for (let p = 0; p < a.length; p++) if (a[p] !== ct.data[p]) changed++;
  assert.ok(changed > 1000, `blanket painted ${changed} voxels`);
});

test('field of view: a circular padding region is found; noisy air around the body gives null', () => {
  const noisy = new Int16Array(ct.data);
  for (let p = 0; p < noisy.length; p++) if ((noisy[p] as number) < -950) noisy[p] = -1000 + ((p * 7919) % 41) - 20;
  assert.equal(outsideFieldOfView(noisy, ct.size), null);
  const v = ARTIFACT_VARIANTS.find((x) => x.name === 'fov-cut-raw-padding');
  assert.ok(v);
  const cut = v.apply(ct, clean.labels).volume;
  const fov = outsideFieldOfView(cut.data, cut.size);
  assert.ok(fov, 'field of view found');
  const [nx, ny] = cut.size;
  assert.equal(fov[0], 1, 'corner outside');
  assert.equal(fov[(nx >> 1) + (ny >> 1) * nx], 0, 'centre inside');
});

test('field of view: constant air around a non-circular body is no field of view', () => {
  // the phantom's air set to one constant value in every slice: a body outline, not a circle
  const d = new Int16Array(ct.data);
  for (let p = 0; p < d.length; p++) if ((d[p] as number) < -950 && clean.labels.data[p] === 0) d[p] = -1024;
  assert.equal(outsideFieldOfView(d, ct.size), null);
});
