import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { constants as zc, gunzipSync } from 'node:zlib';
import { parseDicom } from '../../../shared/dicom/parse-dicom.ts';
import { readInstanceHeader } from '../../../shared/dicom/instance-header.ts';
import type { BatchInput } from './find-batch-cases.ts';

/** Bytes read from the start of a file to find a NIfTI header (compressed or not). */
const HEAD_BYTES = 64 * 1024;

function readHead(path: string, n: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** Voxel count from a NIfTI-1/2 header (either endianness), or null. */
function niftiVoxels(h: Uint8Array): number | null {
  if (h.length < 348) return null;
  const v = new DataView(h.buffer, h.byteOffset, h.length);
  for (const le of [true, false]) {
    const size = v.getInt32(0, le);
    if (size === 348) {
      const dims = [1, 2, 3].map((d) => v.getInt16(40 + 2 * d, le));
      return dims.every((d) => d >= 1) ? dims.reduce((a, b) => a * b, 1) : null;
    }
    if (size === 540 && h.length >= 540) {
      const dims = [1, 2, 3].map((d) => Number(v.getBigInt64(16 + 8 * d, le)));
      return dims.every((d) => d >= 1) ? dims.reduce((a, b) => a * b, 1) : null;
    }
  }
  return null;
}

/**
 * Voxels one batch input will decode to, read from headers without decoding: a NIfTI header
 * (inflating only the first 64 KiB of a .nii.gz, output capped), or, for a DICOM folder, the
 * Rows × Columns × NumberOfFrames of its first readable file times its number of files. Null
 * when nothing could be read (the caller falls back to the file size). The batch sizes its
 * parallelism from this, not from the file size: a 2 MB RLE file can decode to 128 MiB.
 */
export function probeDecodedVoxels(input: Pick<BatchInput, 'kind' | 'path'>): number | null {
  try {
    if (input.kind === 'nifti') {
      let head = readHead(input.path, HEAD_BYTES);
      if (head[0] === 0x1f && head[1] === 0x8b) {
        head = new Uint8Array(gunzipSync(head, { finishFlush: zc.Z_SYNC_FLUSH, maxOutputLength: HEAD_BYTES * 64 }));
      }
      return niftiVoxels(head);
    }
    const files = readdirSync(input.path, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.'));
    for (const f of files.slice(0, 5)) {
      const p = join(input.path, f.name);
      if (statSync(p).size > 512 * 1024 ** 2) continue;
      try {
        const h = readInstanceHeader(parseDicom(new Uint8Array(readFileSync(p))));
        if (h.layout) return h.layout.rows * h.layout.columns * h.layout.numberOfFrames * files.length;
      } catch {
        // not DICOM (or unreadable): try the next file
      }
    }
    return null;
  } catch {
    return null;
  }
}
