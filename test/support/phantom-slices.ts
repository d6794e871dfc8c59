import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNifti } from '../../shared/nifti/read-nifti.ts';
import { REPO_ROOT } from './shared-data.ts';

const SAMPLE = join(REPO_ROOT, 'test', 'fixtures', 'sample-case', 'sample-chest-ct.nii.gz');

/** Upright 8-bit slices (lung window of the app's eightBitWindow, −500/1500 HU) of the sample phantom at the given heights. */
export function phantomSlices(fractions: readonly number[]): { gray: Uint8Array; cols: number; rows: number }[] {
  const v = readNifti(new Uint8Array(readFileSync(SAMPLE)));
  const [nI, nJ, nK] = v.size;
  return fractions.map((f) => {
    const k = Math.round(f * (nK - 1));
    const gray = new Uint8Array(nI * nJ);
    for (let p = 0; p < gray.length; p++)
      gray[p] = Math.max(0, Math.min(255, Math.round(((v.data[k * nI * nJ + p]! + 1250) / 1500) * 255)));
    return { gray, cols: nI, rows: nJ };
  });
}
