/**
 * The committed sample case is what scripts/make-sample-case.ts generates (byte for byte), its
 * stated truth holds, and its lungs carry the measured real-CT noise and density (not a smooth,
 * haze-like phantom).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeNifti } from '../../shared/nifti/write-nifti.ts';
import { NOISE_SIGMA_HU, SAMPLE_SEED, makeSampleCase, sampleTruth } from '../../scripts/make-sample-case.ts';
import { REPO_ROOT } from '../support/shared-data.ts';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'sample-case');
const c = makeSampleCase();
const desc = `Lung Burden synthetic chest CT, seed ${SAMPLE_SEED}`;

test('the committed sample files are the generator output, byte for byte', () => {
  const files: [string, Uint8Array][] = [
    ['sample-chest-ct.nii.gz', writeNifti(c.ct, { description: desc, level: 9 })],
    ['sample-chest-ct-lesions.nii.gz', writeNifti(c.lesions, { description: `${desc}: lesions 1 GGO 2 high opacity`, level: 9 })],
    ['sample-chest-ct-lungs.nii.gz', writeNifti(c.lungs, { description: `${desc}: lungs 1 right 2 left`, level: 9 })],
  ];
  for (const [name, bytes] of files) {
    assert.ok(Buffer.from(bytes).equals(readFileSync(join(DIR, name))), `${name} differs: regenerate it`);
  }
});

test('the truth stated in the sample README: lung 3735 mL, GGO 102 mL, high opacity 66.5 mL, burden 4.51 %', () => {
  const t = sampleTruth(c);
  assert.ok(Math.abs(t.lungMl - 3735.3) < 0.1, `lung ${t.lungMl}`);
  assert.ok(Math.abs(t.ggoMl - 102.0) < 0.1, `GGO ${t.ggoMl}`);
  assert.ok(Math.abs(t.highOpacityMl - 66.5) < 0.1, `HO ${t.highOpacityMl}`);
  assert.ok(Math.abs(t.burdenPercent - 4.51) < 0.005, `burden ${t.burdenPercent}`);
  // healthy lung as a real lung at full inspiration: mean including vessels −860…−800 HU
  assert.ok(t.healthyLungMeanHu > -860 && t.healthyLungMeanHu < -800, `${t.healthyLungMeanHu}`);
});

test('noise: σ ≈ 18 HU in the liver, with the low frequencies of a CT noise power spectrum suppressed', () => {
  const [nx, ny] = c.ct.size;
  const at = (i: number, j: number, k: number): number => (c.ct.data[i + j * nx + k * nx * ny] as number) - 58;
  // liver: x ≈ −60 mm, y ≈ 0 mm (i 72…103, j 116…139), slices 5…15: homogeneous +58 HU
  const v: number[] = [];
  const blocks: number[] = [];
  for (let k = 5; k <= 15; k++) {
    for (let j = 116; j < 140; j += 4) {
      for (let i = 72; i < 104; i += 4) {
        let s = 0;
        for (let b = 0; b < 4; b++) {
          for (let a = 0; a < 4; a++) {
            v.push(at(i + a, j + b, k));
            s += at(i + a, j + b, k);
          }
        }
        blocks.push(s / 16);
      }
    }
  }
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  const sd = Math.sqrt(variance);
  assert.ok(Math.abs(mean) < 1.5, `mean offset ${mean}`);
  assert.ok(Math.abs(sd - NOISE_SIGMA_HU) < 1.5, `σ ${sd}`);
  // 4×4-voxel (5.6 mm) block means keep the f ≲ 0.09 mm⁻¹ part of the noise: white noise keeps
  // σ²/16 there (±6 % over these 528 blocks), the ramp-shaped CT NPS (f·exp(−f²/2s²)) about 2/3
  const bVar = blocks.reduce((a, b) => a + (b - mean) ** 2, 0) / blocks.length;
  const ratio = bVar / (variance / 16);
  assert.ok(ratio < 0.8, `block-mean variance ratio ${ratio} (white noise gives 1)`);
  console.log(`liver σ ${sd.toFixed(2)} HU, 4×4 block-mean variance / white ${ratio.toFixed(3)}`);
});
