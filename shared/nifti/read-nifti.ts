import { AIR_HU, type Volume } from '../domain/volume.ts';
import { decodeNifti, type NiftiReadOptions } from './decode-nifti.ts';
import { NiftiError } from './nifti-error.ts';

/** Options of {@link readNifti}. */
export interface ReadNiftiOptions extends NiftiReadOptions {
  /**
   * Values (after scaling, in HU) below this are scan-field padding and become {@link AIR_HU}
   * (default −1500: converters keep DICOM padding such as −2048 or −3024, real air never goes below
   * about −1100). Pass `-Infinity` to keep every value.
   */
  readonly paddingBelowHu?: number;
}

/**
 * Reads a CT volume from NIfTI-1/NIfTI-2 bytes, `.nii` or `.nii.gz` (gzip detected by its magic
 * bytes; the decompressed size is bounded by the header, see {@link NiftiReadOptions.maxVoxels}).
 *
 * - Voxels: uint8, int8, int16, uint16, int32, uint32, float32 or float64, scaled by
 *   `scl_slope`/`scl_inter` (slope 0 or NaN = no scaling), rounded to the nearest integer and
 *   clamped to the Int16 range; the result is Hounsfield units. NaN/±Inf voxels → `non-finite` error.
 * - Geometry: sform (`sform_code > 0`), else qform (quaternion), else `diag(pixdim)`; metres and
 *   microns are converted to mm; RAS → LPS by negating the first two rows; then split into
 *   `originLps` (centre of voxel 0,0,0), `spacingMm` (column norms) and `directionLps` (unit
 *   columns). The voxel order of NIfTI (i fastest) is the order of {@link Volume}: no reordering.
 * - 4-D/5-D files are accepted only when every extra dimension is 1.
 *
 * @throws NiftiError with a `code` saying what is wrong (truncated, bad-dims, non-finite, …).
 */
export function readNifti(bytes: Uint8Array, opts: ReadNiftiOptions = {}): Volume {
  const dec = decodeNifti(bytes, opts);
  const { raw, slope, inter } = dec;
  const padding = opts.paddingBelowHu ?? -1500;
  const n = raw.length;
  const out = new Int16Array(n);
  if (raw instanceof Int16Array && slope === 1 && inter === 0) {
    out.set(raw);
    if (padding > -32768) for (let p = 0; p < n; p++) if ((out[p] as number) < padding) out[p] = AIR_HU;
    return { ...dec.geometry, data: out };
  }
  const isFloat = raw instanceof Float32Array || raw instanceof Float64Array;
  for (let p = 0; p < n; p++) {
    const r = raw[p] as number;
    if (isFloat && !Number.isFinite(r)) {
      throw new NiftiError('non-finite', `NIfTI voxel ${p} is ${r}: NaN/Inf values cannot be Hounsfield units`);
    }
    let v = Math.round(r * slope + inter);
    if (v < padding) v = AIR_HU;
    out[p] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return { ...dec.geometry, data: out };
}
