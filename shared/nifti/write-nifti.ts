import { gzipSync } from 'fflate';
import { NIFTI1 } from 'nifti-reader-js';
import type { LabelMap } from '../domain/label-map.ts';
import { voxelCount, type Volume } from '../domain/volume.ts';
import { rasAffineFromGeometry, rotationToQuatern } from './nifti-affine.ts';
import { NiftiError } from './nifti-error.ts';

/** Options of {@link writeNifti}. */
export interface WriteNiftiOptions {
  /** gzip the output (`.nii.gz`, default) or not (`.nii`). */
  readonly gzip?: boolean;
  /** gzip level 0–9 (default 6). */
  readonly level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /** Free text stored in the header's `descrip` field (ASCII, cut to 79 characters). */
  readonly description?: string;
  /** NIfTI xform code written for both sform and qform (default 1 = scanner anatomical). */
  readonly xformCode?: 1 | 2 | 3 | 4 | 5;
}

const NIFTI_INTENT_LABEL = 1002;
const NIFTI_UNITS_MM = 2;
const HEADER_BYTES = 352; // 348-byte NIfTI-1 header + 4-byte extension flag (no extensions)
const PLATFORM_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Encodes a CT volume (int16 HU, `DT_INT16`) or a label map (uint8, `DT_UINT8`,
 * intent `NIFTI_INTENT_LABEL`) as a single-file NIfTI-1 (`.nii.gz` by default, little endian,
 * `vox_offset` 352, `scl_slope` 1, `scl_inter` 0, units mm).
 *
 * The sform and the qform hold the same voxel-to-RAS affine (LPS geometry with the first two rows
 * negated) with the same code; the qform stores the direction as a quaternion with
 * `pixdim[0] = qfac = ±1`. When the direction is not orthonormal (sheared), only the sform is
 * written (`qform_code = 0`). The header stores the affine in float32, so geometry survives a
 * round trip to about 1e−7 relative precision; voxel values round-trip exactly. The gzip header's
 * time stamp is 0, so equal input gives byte-identical output.
 */
export function writeNifti(image: Volume | LabelMap, opts: WriteNiftiOptions = {}): Uint8Array {
  const n = voxelCount(image);
  const isLabels = image.data instanceof Uint8Array;
  if (!isLabels && !(image.data instanceof Int16Array)) {
    throw new NiftiError('bad-input', 'writeNifti needs an Int16Array volume or a Uint8Array label map');
  }
  if (image.data.length !== n) {
    throw new NiftiError('bad-input', `data has ${image.data.length} values, size ${image.size.join('×')} needs ${n}`);
  }
  for (const s of image.size) {
    if (!Number.isInteger(s) || s < 1 || s > 32767)
      throw new NiftiError('bad-dims', `size ${image.size.join('×')} cannot be stored in NIfTI-1`);
  }
  const affine = rasAffineFromGeometry(image);
  if (!affine.every(Number.isFinite) || !image.spacingMm.every((s) => s > 0)) {
    throw new NiftiError('bad-geometry', 'geometry has a non-positive spacing or a NaN/Inf value');
  }
  const code = opts.xformCode ?? 1;
  const h = new NIFTI1();
  h.littleEndian = true;
  h.dims = [3, image.size[0], image.size[1], image.size[2], 1, 1, 1, 1];
  h.datatypeCode = isLabels ? NIFTI1.TYPE_UINT8 : NIFTI1.TYPE_INT16;
  h.numBitsPerVoxel = isLabels ? 8 : 16;
  h.intent_code = isLabels ? NIFTI_INTENT_LABEL : 0;
  h.vox_offset = HEADER_BYTES;
  h.scl_slope = 1;
  h.scl_inter = 0;
  h.xyzt_units = NIFTI_UNITS_MM;
  h.description = (opts.description ?? '').replace(/[^\x20-\x7e]/g, '?').slice(0, 79);
  h.aux_file = '';
  h.intent_name = '';
  h.magic = 'n+1';
  h.sform_code = code;
  h.affine = [
    [affine[0], affine[1], affine[2], affine[3]],
    [affine[4], affine[5], affine[6], affine[7]],
    [affine[8], affine[9], affine[10], affine[11]],
    [0, 0, 0, 1],
  ];
  // RAS rotation part of the direction (unit columns, row-major).
  const d = image.directionLps;
  const rRas = [0, 1, 2].flatMap((row) => [0, 1, 2].map((col) => (d[col * 3 + row] as number) * (row < 2 ? -1 : 1)));
  const q = rotationToQuatern(rRas);
  h.pixDims = [q?.qfac ?? 1, image.spacingMm[0], image.spacingMm[1], image.spacingMm[2], 1, 1, 1, 1];
  h.qform_code = q ? code : 0;
  h.quatern_b = q?.b ?? 0;
  h.quatern_c = q?.c ?? 0;
  h.quatern_d = q?.d ?? 0;
  h.qoffset_x = affine[3];
  h.qoffset_y = affine[7];
  h.qoffset_z = affine[11];
  const header = new Uint8Array(h.toArrayBuffer(false));
  const bpv = isLabels ? 1 : 2;
  const file = new Uint8Array(HEADER_BYTES + n * bpv);
  file.set(header.subarray(0, HEADER_BYTES), 0);
  if (isLabels) {
    file.set(image.data, HEADER_BYTES);
  } else if (PLATFORM_LE) {
    const src = image.data;
    file.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), HEADER_BYTES);
  } else {
    const v = new DataView(file.buffer);
    const src = image.data;
    for (let p = 0; p < n; p++) v.setInt16(HEADER_BYTES + 2 * p, src[p] as number, true);
  }
  if (opts.gzip === false) return file;
  return gzipSync(file, { level: opts.level ?? 6, mtime: 0 });
}
