import { geometryProblems } from '../domain/validate-geometry.ts';
import type { Vec3, VolumeGeometry } from '../domain/volume.ts';
import { type Affine34, geometryFromRasAffine, isOrthogonalAffine, qformAffine } from './nifti-affine.ts';
import { NiftiError } from './nifti-error.ts';
import { inflateBounded } from './inflate-nifti.ts';
import { DATATYPES, type HeaderInfo, type RawArray } from './nifti-header.ts';

/** Options shared by {@link readNifti} and {@link readNiftiLabels}. */
export interface NiftiReadOptions {
  /**
   * Largest voxel count accepted (default 2³⁰ ≈ 1.07 G voxels). The header is read first and the
   * decompressed size is bounded by it, so a gzip bomb or a lying header cannot exhaust memory.
   */
  readonly maxVoxels?: number;
  /**
   * Largest decoded voxel data accepted in bytes (voxels × bytes per voxel; default 2 GiB). Checked
   * from the header before anything is allocated or inflated, so a float64 header of many voxels
   * cannot allocate gigabytes either.
   */
  readonly maxDecodedBytes?: number;
}

/** Which transform of the file gave the geometry. */
export type NiftiAffineSource = 'sform' | 'qform' | 'pixdim';

/** A parsed NIfTI file: geometry plus the raw voxel values (before scaling) in file order. */
export interface DecodedNifti {
  readonly geometry: VolumeGeometry;
  /** The RAS affine used (mm, after unit conversion). */
  readonly affineRas: Affine34;
  readonly affineSource: NiftiAffineSource;
  /** Raw voxel values, i fastest (NIfTI order = our {@link Volume} order). */
  readonly raw: RawArray;
  readonly datatypeCode: number;
  /** Scaling to apply (`value = raw·slope + inter`); identity when the file says "no scaling". */
  readonly slope: number;
  readonly inter: number;
}

const DEFAULT_MAX_VOXELS = 2 ** 30;
const DEFAULT_MAX_DECODED_BYTES = 2 * 1024 ** 3;

const PLATFORM_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function rawView(data: Uint8Array, dataOffset: number, info: HeaderInfo): RawArray {
  const dt = DATATYPES.get(info.header.datatypeCode);
  if (!dt) throw new NiftiError('unsupported', `NIfTI datatype ${info.header.datatypeCode} is not supported`);
  const [bpv, Ctor] = dt;
  const n = info.size[0] * info.size[1] * info.size[2];
  const start = data.byteOffset + dataOffset;
  const sameEndian = info.header.littleEndian === PLATFORM_LE || bpv === 1;
  if (sameEndian && start % bpv === 0) return new Ctor(data.buffer as ArrayBuffer, start, n);
  const copy = data.slice(dataOffset, dataOffset + n * bpv);
  if (!sameEndian) {
    for (let p = 0; p < copy.length; p += bpv) copy.subarray(p, p + bpv).reverse();
  }
  return new Ctor(copy.buffer, 0, n);
}

/** Reads a 3×4 srow block (float32 in NIfTI-1 at byte 280, float64 in NIfTI-2 at byte 400). */
function readSrow(info: HeaderInfo): Affine34 {
  const v = new DataView(info.hdrBytes.buffer, info.hdrBytes.byteOffset, info.hdrBytes.length);
  const le = info.header.littleEndian;
  const n2 = info.hdrBytes.length === 540;
  const r: number[] = [];
  for (let i = 0; i < 12; i++) r.push(n2 ? v.getFloat64(400 + i * 8, le) : v.getFloat32(280 + i * 4, le));
  return r as unknown as Affine34;
}

/** Spatial unit → millimetre factor (unknown counts as mm, as in nibabel and ITK). */
function unitToMm(xyztUnits: number): number {
  switch (xyztUnits & 7) {
    case 1:
      return 1000; // metre
    case 3:
      return 0.001; // micron
    default:
      return 1;
  }
}

function pixdims(info: HeaderInfo): Vec3 {
  const p = info.header.pixDims;
  const out: number[] = [];
  for (let a = 0; a < 3; a++) {
    const v = p[a + 1] ?? 0;
    if (Number.isFinite(v) && v > 0) out.push(v);
    else if (info.size[a] === 1 && (v === 0 || !Number.isFinite(v))) out.push(1);
    else throw new NiftiError('bad-geometry', `NIfTI pixdim[${a + 1}] = ${v} must be a positive voxel size`);
  }
  return out as unknown as Vec3;
}

/**
 * The voxel-to-RAS affine, with the precedence of nibabel's `get_best_affine` and ITK: the sform
 * when `sform_code > 0` (unless it is sheared and a qform exists: then the qform, as ITK does),
 * else the qform when `qform_code > 0`, else `diag(pixdim)` (NIfTI method 1, as nifti1_io.c;
 * nibabel instead returns a centred, x-flipped Analyze affine for this rare case).
 * Not taken from nifti-reader-js's `affine`, which prefers the qform when `qform_code > sform_code`.
 */
function bestAffine(info: HeaderInfo): { affine: Affine34; source: NiftiAffineSource } {
  const h = info.header;
  const scale = unitToMm(h.xyzt_units);
  const scaled = (a: Affine34): Affine34 => a.map((x) => x * scale) as unknown as Affine34;
  const qform = (): Affine34 => {
    const q: Vec3 = [h.quatern_b, h.quatern_c, h.quatern_d];
    if (!q.every(Number.isFinite)) throw new NiftiError('bad-geometry', 'NIfTI qform quaternion contains NaN or Inf');
    return scaled(qformAffine(q, [h.qoffset_x, h.qoffset_y, h.qoffset_z], pixdims(info), h.pixDims[0] ?? 1));
  };
  if (h.sform_code > 0) {
    const s = scaled(readSrow(info));
    if (isOrthogonalAffine(s)) return { affine: s, source: 'sform' };
    if (h.qform_code > 0) return { affine: qform(), source: 'qform' };
    throw new NiftiError('bad-geometry', 'NIfTI sform is sheared (non-orthogonal axes) and there is no qform: cannot place the voxels');
  }
  if (h.qform_code > 0) return { affine: qform(), source: 'qform' };
  const p = pixdims(info);
  return {
    affine: scaled([p[0], 0, 0, 0, 0, p[1], 0, 0, 0, 0, p[2], 0]),
    source: 'pixdim',
  };
}

/** Parses NIfTI-1/2 bytes (.nii or .nii.gz) into geometry + raw voxels. Throws {@link NiftiError}. */
export function decodeNifti(bytes: Uint8Array, opts: NiftiReadOptions = {}): DecodedNifti {
  if (!(bytes instanceof Uint8Array)) throw new NiftiError('bad-input', 'NIfTI input must be a Uint8Array');
  if (bytes.length < 4) throw new NiftiError('truncated', `NIfTI input is only ${bytes.length} bytes`);
  const { info, data, dataOffset } = inflateBounded(bytes, {
    maxVoxels: opts.maxVoxels ?? DEFAULT_MAX_VOXELS,
    maxDecodedBytes: opts.maxDecodedBytes ?? DEFAULT_MAX_DECODED_BYTES,
  });
  const { affine, source } = bestAffine(info);
  const geo = geometryFromRasAffine(affine);
  const bad = geometryProblems({ size: info.size, ...geo });
  if (bad.length > 0) {
    throw new NiftiError('bad-geometry', `NIfTI geometry (${source}) is implausible: ${bad.join('; ')}`);
  }
  let slope = info.header.scl_slope;
  let inter = info.header.scl_inter;
  if (!Number.isFinite(slope) || slope === 0) {
    slope = 1;
    inter = 0;
  } else if (!Number.isFinite(inter)) {
    inter = 0;
  }
  return {
    geometry: { size: info.size, ...geo },
    affineRas: affine,
    affineSource: source,
    raw: rawView(data, dataOffset, info),
    datatypeCode: info.header.datatypeCode,
    slope,
    inter,
  };
}
