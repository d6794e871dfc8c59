import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate, inflateSync } from 'node:zlib';

const deflateAsync = promisify(deflate);
import { zeroWordScanner } from '../../../shared/imaging/mask-tools/zero-word-skip.ts';
import { UserError } from '../../../shared/errors/user-error.ts';

/** A label map as stored in a label version: deflate-compressed bytes, sha256 and length of the raw bytes. */
export interface StoredLabels {
  readonly data: Uint8Array;
  readonly sha256: string;
  readonly byteLength: number;
}

/** What the store keeps of a label map besides its identity: voxel counts, compressed bytes, sha256 of the raw bytes. */
export interface EncodedLabels {
  readonly counts: number[];
  readonly blob: Uint8Array;
  readonly digest: string;
}

/** Thrown when stored label bytes do not inflate to their recorded length and sha256. */
export class LabelIntegrityError extends UserError {
  constructor(message: string) {
    super('conflict', 'conflict', message);
    this.name = 'LabelIntegrityError';
  }
}

export const sha256Hex = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/**
 * Hash, counts and compression of a label map (the CPU-heavy part of a save; runs in a compute
 * worker), the compression on the libuv thread pool while this thread hashes and counts: about the
 * longer of the two instead of their sum. `labels` must not change until it resolves.
 */
export async function encodeLabelsAsync(labels: Uint8Array): Promise<EncodedLabels> {
  const blob = deflateAsync(labels, { level: 1 });
  const digest = sha256Hex(labels);
  const counts = countLabels(labels);
  return { counts, blob: await blob, digest };
}

/** Inflates stored labels and verifies length and sha256 (`what` names them in the error). */
export function decodeLabels(stored: StoredLabels, what: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = inflateSync(stored.data, { maxOutputLength: Math.max(1, stored.byteLength) });
  } catch {
    throw new LabelIntegrityError(`${what} is corrupt (cannot be inflated)`);
  }
  const out = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (out.length !== stored.byteLength || sha256Hex(out) !== stored.sha256) throw new LabelIntegrityError(`${what} is corrupt (checksum mismatch)`);
  return out;
}

/** Voxel count per label value 0…max (at least 0…2). */
export function countLabels(labels: Uint8Array): number[] {
  // Label maps are mostly background: count the non-zero voxels (jumping over zero words) and
  // derive the zeros, instead of touching every byte.
  const h = new Float64Array(256);
  const scan = zeroWordScanner(labels);
  const n = labels.length;
  let nonZero = 0;
  for (let i = scan.next(0); i < n; i = scan.next(i + 1)) {
    const v = labels[i]!;
    if (v !== 0) {
      h[v]!++;
      nonZero++;
    }
  }
  h[0] = n - nonZero;
  let last = 2;
  for (let v = 255; v > 2; v--) if (h[v]! > 0) { last = v; break; }
  return Array.from(h.subarray(0, last + 1));
}
