import { Gunzip } from 'fflate';
import { NiftiError } from './nifti-error.ts';
import { headerSize, parseHeader, type HeaderInfo, type Limits } from './nifti-header.ts';

const GZIP_INPUT_CHUNK = 1 << 16;

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses (when gzip) only as many bytes as the header says the file holds: the input is
 * fed in 64 KiB pieces, the bytes between header and `vox_offset` are skipped (never stored), and
 * inflation stops once the voxels are complete. Returns the voxel bytes at `dataOffset` of `data`.
 */
export function inflateBounded(bytes: Uint8Array, limits: Limits): { info: HeaderInfo; data: Uint8Array; dataOffset: number } {
  if (!isGzip(bytes)) {
    const info = parseHeader(bytes.subarray(0, 540), limits);
    if (bytes.length < info.totalBytes) {
      throw new NiftiError('truncated', `NIfTI file truncated: ${bytes.length} bytes, header needs ${info.totalBytes}`);
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
        throw new NiftiError('not-nifti', 'gzip content is not a NIfTI file (sizeof_hdr is neither 348 nor 540)');
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
    if (!done) throw new NiftiError('truncated', `gzip stream is corrupt or truncated: ${(e as Error).message}`);
  }
  if (headerError) throw headerError;
  if (!info || !out) throw new NiftiError('truncated', 'NIfTI gzip stream ended inside the header');
  const i = info;
  if (filled < i.totalBytes - i.voxOffset) {
    throw new NiftiError('truncated', `NIfTI data truncated: ${streamPos} bytes decompressed, header needs ${i.totalBytes}`);
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
