import { NIFTI1, NIFTI2, readHeader } from 'nifti-reader-js';
import type { Vec3 } from '../domain/volume.ts';
import { NiftiError } from './nifti-error.ts';

/**
 * Largest gap between the header and the voxels (`vox_offset` − header size) accepted: NIfTI
 * extensions (e.g. a DICOM header dump) are kilobytes; a `vox_offset` of gigabytes is a size bomb
 * (it used to inflate 3 GiB of padding, or fail to allocate with `vox_offset` 1e15).
 */
export const MAX_NIFTI_EXTENSION_BYTES = 64 * 1024 ** 2;

/** The typed array of a NIfTI datatype (raw voxel values, before scaling). */
export type RawArray = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** Datatype code → [bytes per voxel, typed array constructor]. */
export const DATATYPES: ReadonlyMap<number, readonly [number, new (b: ArrayBuffer, o: number, n: number) => RawArray, string]> = new Map([
  [NIFTI1.TYPE_UINT8, [1, Uint8Array, 'uint8']],
  [NIFTI1.TYPE_INT8, [1, Int8Array, 'int8']],
  [NIFTI1.TYPE_INT16, [2, Int16Array, 'int16']],
  [NIFTI1.TYPE_UINT16, [2, Uint16Array, 'uint16']],
  [NIFTI1.TYPE_INT32, [4, Int32Array, 'int32']],
  [NIFTI1.TYPE_UINT32, [4, Uint32Array, 'uint32']],
  [NIFTI1.TYPE_FLOAT32, [4, Float32Array, 'float32']],
  [NIFTI1.TYPE_FLOAT64, [8, Float64Array, 'float64']],
] as const);

/** Header size (348 or 540) from the first four bytes, or null when neither endianness matches. */
export function headerSize(bytes: Uint8Array): { size: 348 | 540; littleEndian: boolean } | null {
  if (bytes.length < 4) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, 4);
  for (const le of [true, false]) {
    const s = v.getInt32(0, le);
    if (s === 348 || s === 540) return { size: s, littleEndian: le };
  }
  return null;
}

/** What the header says: the parsed header, its bytes, the volume size, where the voxels start, their size. */
export interface HeaderInfo {
  readonly header: NIFTI1 | NIFTI2;
  readonly hdrBytes: Uint8Array;
  readonly size: Vec3;
  readonly voxOffset: number;
  readonly bytesPerVoxel: number;
  readonly totalBytes: number;
}

/** The voxel and decoded-byte limits of a read (see NiftiReadOptions). */
export interface Limits {
  readonly maxVoxels: number;
  readonly maxDecodedBytes: number;
}

/**
 * Parses and checks a NIfTI-1/2 header: size, magic, dimensions, datatype, `vox_offset` and the
 * voxel and byte limits (a header that would need more is refused before anything is allocated).
 */
export function parseHeader(hdrBytes: Uint8Array, limits: Limits): HeaderInfo {
  const { maxVoxels } = limits;
  const hs = headerSize(hdrBytes);
  if (!hs) throw new NiftiError('not-nifti', 'not a NIfTI file (sizeof_hdr is neither 348 nor 540)');
  if (hdrBytes.length < hs.size) throw new NiftiError('truncated', `NIfTI header truncated (${hdrBytes.length} of ${hs.size} bytes)`);
  const headerCopy = hdrBytes.slice(0, hs.size);
  const magicAt = hs.size === 348 ? 344 : 4;
  const magic = String.fromCharCode(headerCopy[magicAt] ?? 0, headerCopy[magicAt + 1] ?? 0, headerCopy[magicAt + 2] ?? 0);
  if (magic === 'ni1' || magic === 'ni2') {
    throw new NiftiError('unsupported', 'NIfTI .hdr/.img pairs are not supported: convert to a single .nii or .nii.gz file');
  }
  if (magic !== 'n+1' && magic !== 'n+2') throw new NiftiError('not-nifti', `not a NIfTI file (magic "${magic}")`);
  let header: NIFTI1 | NIFTI2;
  try {
    header = readHeader(headerCopy.buffer);
  } catch (e) {
    throw new NiftiError('not-nifti', `NIfTI header could not be parsed: ${(e as Error).message}`);
  }
  const dims = header.dims;
  const ndim = dims[0] ?? 0;
  if (ndim < 1 || ndim > 7) throw new NiftiError('bad-dims', `NIfTI dim[0] = ${ndim} is not in 1…7`);
  const n = (d: number): number => (d <= ndim ? (dims[d] ?? 0) : 1);
  const size: Vec3 = [n(1), n(2), n(3)];
  for (let d = 1; d <= ndim; d++) {
    const v = dims[d] ?? 0;
    if (!(v >= 1)) throw new NiftiError('bad-dims', `NIfTI dim[${d}] = ${v} must be ≥ 1`);
    if (d >= 4 && v > 1) {
      throw new NiftiError(
        'bad-dims',
        `NIfTI image is ${ndim}-D with dim[${d}] = ${v}: only single 3-D volumes are supported (no time series or vectors)`,
      );
    }
  }
  const dt = DATATYPES.get(header.datatypeCode);
  if (!dt) {
    throw new NiftiError(
      'unsupported',
      `NIfTI datatype ${header.datatypeCode} is not supported (use int16, uint8, int32, float32, float64, uint16)`,
    );
  }
  const nvox = size[0] * size[1] * size[2];
  if (nvox > maxVoxels) {
    throw new NiftiError('too-large', `NIfTI image has ${nvox} voxels (${size.join('×')}), above the limit of ${maxVoxels}`);
  }
  const voxOffset = Math.max(Math.floor(header.vox_offset), hs.size + 4);
  if (!Number.isFinite(header.vox_offset) || header.vox_offset < 0) {
    throw new NiftiError('not-nifti', `NIfTI vox_offset ${header.vox_offset} is invalid`);
  }
  if (voxOffset - hs.size > MAX_NIFTI_EXTENSION_BYTES) {
    throw new NiftiError(
      'too-large',
      `NIfTI vox_offset ${header.vox_offset} puts the voxels ${voxOffset - hs.size} bytes after the header (at most ${MAX_NIFTI_EXTENSION_BYTES} of extensions are accepted)`,
    );
  }
  if (nvox * dt[0] > limits.maxDecodedBytes) {
    throw new NiftiError(
      'too-large',
      `NIfTI voxel data would be ${nvox * dt[0]} bytes (${size.join('×')} ${dt[2]}), above the limit of ${limits.maxDecodedBytes} bytes`,
    );
  }
  return {
    header,
    hdrBytes: headerCopy,
    size,
    voxOffset,
    bytesPerVoxel: dt[0],
    totalBytes: voxOffset + nvox * dt[0],
  };
}
