import { geometryProblems } from '../domain/validate-geometry.ts';
import { Gunzip } from 'fflate';
import { NIFTI1, NIFTI2, readHeader } from 'nifti-reader-js';
import type { Vec3, VolumeGeometry } from '../domain/volume.ts';
import {
  type Affine34,
  geometryFromRasAffine,
  isOrthogonalAffine,
  qformAffine,
} from './nifti-affine.ts';
import { NiftiError } from './nifti-error.ts';

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

/**
 * Largest gap between the header and the voxels (`vox_offset` − header size) accepted: NIfTI
 * extensions (e.g. a DICOM header dump) are kilobytes; a `vox_offset` of gigabytes is a size bomb
 * (it used to inflate 3 GiB of padding, or fail to allocate with `vox_offset` 1e15).
 */
export const MAX_NIFTI_EXTENSION_BYTES = 64 * 1024 ** 2;

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

type RawArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

const DEFAULT_MAX_VOXELS = 2 ** 30;
const DEFAULT_MAX_DECODED_BYTES = 2 * 1024 ** 3;
const GZIP_INPUT_CHUNK = 1 << 16;

/** Datatype code → [bytes per voxel, typed array constructor]. */
const DATATYPES: ReadonlyMap<
  number,
  readonly [number, new (b: ArrayBuffer, o: number, n: number) => RawArray, string]
> = new Map([
  [NIFTI1.TYPE_UINT8, [1, Uint8Array, 'uint8']],
  [NIFTI1.TYPE_INT8, [1, Int8Array, 'int8']],
  [NIFTI1.TYPE_INT16, [2, Int16Array, 'int16']],
  [NIFTI1.TYPE_UINT16, [2, Uint16Array, 'uint16']],
  [NIFTI1.TYPE_INT32, [4, Int32Array, 'int32']],
  [NIFTI1.TYPE_UINT32, [4, Uint32Array, 'uint32']],
  [NIFTI1.TYPE_FLOAT32, [4, Float32Array, 'float32']],
  [NIFTI1.TYPE_FLOAT64, [8, Float64Array, 'float64']],
] as const);

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Header size (348 or 540) from the first four bytes, or null when neither endianness matches. */
function headerSize(bytes: Uint8Array): { size: 348 | 540; littleEndian: boolean } | null {
  if (bytes.length < 4) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, 4);
  for (const le of [true, false]) {
    const s = v.getInt32(0, le);
    if (s === 348 || s === 540) return { size: s, littleEndian: le };
  }
  return null;
}

interface HeaderInfo {
  readonly header: NIFTI1 | NIFTI2;
  readonly hdrBytes: Uint8Array;
  readonly size: Vec3;
  readonly voxOffset: number;
  readonly bytesPerVoxel: number;
  readonly totalBytes: number;
}

interface Limits {
  readonly maxVoxels: number;
  readonly maxDecodedBytes: number;
}

function parseHeader(hdrBytes: Uint8Array, limits: Limits): HeaderInfo {
  const { maxVoxels } = limits;
  const hs = headerSize(hdrBytes);
  if (!hs)
    throw new NiftiError('not-nifti', 'not a NIfTI file (sizeof_hdr is neither 348 nor 540)');
  if (hdrBytes.length < hs.size)
    throw new NiftiError(
      'truncated',
      `NIfTI header truncated (${hdrBytes.length} of ${hs.size} bytes)`,
    );
  const headerCopy = hdrBytes.slice(0, hs.size);
  const magicAt = hs.size === 348 ? 344 : 4;
  const magic = String.fromCharCode(
    headerCopy[magicAt] ?? 0,
    headerCopy[magicAt + 1] ?? 0,
    headerCopy[magicAt + 2] ?? 0,
  );
  if (magic === 'ni1' || magic === 'ni2') {
    throw new NiftiError(
      'unsupported',
      'NIfTI .hdr/.img pairs are not supported: convert to a single .nii or .nii.gz file',
    );
  }
  if (magic !== 'n+1' && magic !== 'n+2')
    throw new NiftiError('not-nifti', `not a NIfTI file (magic "${magic}")`);
  let header: NIFTI1 | NIFTI2;
  try {
    header = readHeader(headerCopy.buffer);
  } catch (e) {
    throw new NiftiError('not-nifti', `NIfTI header could not be parsed: ${(e as Error).message}`);
  }
  const dims = header.dims;
  const ndim = dims[0] ?? 0;
  if (ndim < 1 || ndim > 7)
    throw new NiftiError('bad-dims', `NIfTI dim[0] = ${ndim} is not in 1…7`);
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
    throw new NiftiError(
      'too-large',
      `NIfTI image has ${nvox} voxels (${size.join('×')}), above the limit of ${maxVoxels}`,
    );
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

/**
 * Decompresses (when gzip) only as many bytes as the header says the file holds: the input is
 * fed in 64 KiB pieces, the bytes between header and `vox_offset` are skipped (never stored), and
 * inflation stops once the voxels are complete. Returns the voxel bytes at `dataOffset` of `data`.
 */
function inflateBounded(
  bytes: Uint8Array,
  limits: Limits,
): { info: HeaderInfo; data: Uint8Array; dataOffset: number } {
  if (!isGzip(bytes)) {
    const info = parseHeader(bytes.subarray(0, 540), limits);
    if (bytes.length < info.totalBytes) {
      throw new NiftiError(
        'truncated',
        `NIfTI file truncated: ${bytes.length} bytes, header needs ${info.totalBytes}`,
      );
    }
    return { info, data: bytes, dataOffset: info.voxOffset };
  }
  const pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let info = null as HeaderInfo | null; // set in the gunzip callbacks
  let out = null as Uint8Array | null;
  /** Decompressed stream position of the first byte of the next chunk. */
  let streamPos = 0;
  let filled = 0;
  let done = false as boolean; // set in the gunzip callbacks
  let headerError = null as Error | null;
  const accept = (chunk: Uint8Array): void => {
    if (done) return;
    if (!info || !out) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      const head = concat(pending, pendingBytes);
      pending.length = 0;
      pending.push(head);
      const hs = headerSize(head);
      if (!hs && head.length >= 4)
        throw new NiftiError(
          'not-nifti',
          'gzip content is not a NIfTI file (sizeof_hdr is neither 348 nor 540)',
        );
      if (!hs || head.length < hs.size) return;
      info = parseHeader(head, limits);
      out = new Uint8Array(info.totalBytes - info.voxOffset);
      chunk = head;
    }
    const lo = Math.max(info.voxOffset, streamPos);
    const hi = Math.min(info.totalBytes, streamPos + chunk.length);
    if (hi > lo) {
      out.set(chunk.subarray(lo - streamPos, hi - streamPos), lo - info.voxOffset);
      filled += hi - lo;
    }
    streamPos += chunk.length;
    if (filled === out.length) done = true;
  };
  const gunzip = new Gunzip((chunk) => {
    try {
      accept(chunk);
    } catch (e) {
      headerError = e instanceof Error ? e : new Error(String(e));
      done = true;
    }
  });
  try {
    for (let off = 0; off < bytes.length && !done; off += GZIP_INPUT_CHUNK) {
      const end = Math.min(bytes.length, off + GZIP_INPUT_CHUNK);
      gunzip.push(bytes.subarray(off, end), end === bytes.length);
    }
  } catch (e) {
    if (headerError) throw headerError;
    if (!done)
      throw new NiftiError(
        'truncated',
        `gzip stream is corrupt or truncated: ${(e as Error).message}`,
      );
  }
  if (headerError) throw headerError;
  if (!info || !out) throw new NiftiError('truncated', 'NIfTI gzip stream ended inside the header');
  const i = info;
  if (filled < i.totalBytes - i.voxOffset) {
    throw new NiftiError(
      'truncated',
      `NIfTI data truncated: ${streamPos} bytes decompressed, header needs ${i.totalBytes}`,
    );
  }
  return { info: i, data: out, dataOffset: 0 };
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const r = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    r.set(p, o);
    o += p.length;
  }
  return r;
}

const PLATFORM_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function rawView(data: Uint8Array, dataOffset: number, info: HeaderInfo): RawArray {
  const dt = DATATYPES.get(info.header.datatypeCode);
  if (!dt)
    throw new NiftiError(
      'unsupported',
      `NIfTI datatype ${info.header.datatypeCode} is not supported`,
    );
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
  for (let i = 0; i < 12; i++)
    r.push(n2 ? v.getFloat64(400 + i * 8, le) : v.getFloat32(280 + i * 4, le));
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
    else
      throw new NiftiError(
        'bad-geometry',
        `NIfTI pixdim[${a + 1}] = ${v} must be a positive voxel size`,
      );
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
    if (!q.every(Number.isFinite))
      throw new NiftiError('bad-geometry', 'NIfTI qform quaternion contains NaN or Inf');
    return scaled(
      qformAffine(q, [h.qoffset_x, h.qoffset_y, h.qoffset_z], pixdims(info), h.pixDims[0] ?? 1),
    );
  };
  if (h.sform_code > 0) {
    const s = scaled(readSrow(info));
    if (isOrthogonalAffine(s)) return { affine: s, source: 'sform' };
    if (h.qform_code > 0) return { affine: qform(), source: 'qform' };
    throw new NiftiError(
      'bad-geometry',
      'NIfTI sform is sheared (non-orthogonal axes) and there is no qform: cannot place the voxels',
    );
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
  if (!(bytes instanceof Uint8Array))
    throw new NiftiError('bad-input', 'NIfTI input must be a Uint8Array');
  if (bytes.length < 4)
    throw new NiftiError('truncated', `NIfTI input is only ${bytes.length} bytes`);
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
