import type { LabelMap } from '../domain/label-map.ts';
import { decodeNifti, type NiftiReadOptions } from './decode-nifti.ts';
import { NiftiError } from './nifti-error.ts';

/**
 * Reads a label map (segmentation) from NIfTI bytes (`.nii`/`.nii.gz`), with the same geometry
 * rules as {@link readNifti}. Any integer or float datatype is accepted as long as every scaled
 * value is an integer in 0…255 (else a `label-range` or `non-finite` error); labels are returned
 * as a `Uint8Array` on the file's grid (LPS geometry).
 */
export function readNiftiLabels(bytes: Uint8Array, opts: NiftiReadOptions = {}): LabelMap {
  const dec = decodeNifti(bytes, opts);
  const { raw, slope, inter } = dec;
  const n = raw.length;
  const out = new Uint8Array(n);
  if (raw instanceof Uint8Array && slope === 1 && inter === 0) {
    out.set(raw);
    return { ...dec.geometry, data: out };
  }
  for (let p = 0; p < n; p++) {
    const r = raw[p] as number;
    if (!Number.isFinite(r)) throw new NiftiError('non-finite', `NIfTI label voxel ${p} is ${r}`);
    const v = r * slope + inter;
    if (v < 0 || v > 255 || v !== Math.round(v)) {
      throw new NiftiError('label-range', `NIfTI label voxel ${p} is ${v}: labels must be integers 0…255`);
    }
    out[p] = v;
  }
  return { ...dec.geometry, data: out };
}
