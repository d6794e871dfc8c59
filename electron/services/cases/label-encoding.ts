import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate, inflateSync } from 'node:zlib';

const deflateAsync = promisify(deflate);
import { zeroWordScanner } from '../../../shared/imaging/mask-tools/zero-word-skip.ts';
import { UserError } from '../../../shared/errors/user-error.ts';
import { applyPatch, compressPatch, diffLabels, encodePatch, inflatePatch, patchedCounts, type PatchRun } from './label-patch.ts';

/**
 * A label map as stored in a label version: deflate-compressed bytes of the full map (the version
 * itself, or the full snapshot its patch chain starts from), the compressed patches from that
 * snapshot to the version (oldest first; none for a full version), and the sha256 and length of
 * the version's raw bytes.
 */
export interface StoredLabels {
  readonly data: Uint8Array;
  readonly patches?: readonly Uint8Array[];
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
export async function encodeLabelsAsync(labels: Uint8Array, hash: (labels: Uint8Array) => string = sha256Hex): Promise<EncodedLabels> {
  const blob = deflateAsync(labels, { level: 1 });
  const digest = hash(labels);
  const counts = countLabels(labels);
  return { counts, blob: await blob, digest };
}

/**
 * The full map of stored labels: the snapshot inflated, the patches of its chain applied; NOT
 * verified (see {@link decodeLabels}). Throws {@link LabelIntegrityError} when it cannot be rebuilt.
 */
export function reconstructLabels(stored: StoredLabels, what: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = inflateSync(stored.data, { maxOutputLength: Math.max(1, stored.byteLength) });
  } catch {
    throw new LabelIntegrityError(`${what} is corrupt (cannot be inflated)`);
  }
  const out = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (out.length === stored.byteLength) {
    try {
      for (const p of stored.patches ?? []) applyPatch(out, inflatePatch(p, stored.byteLength));
    } catch {
      throw new LabelIntegrityError(`${what} is corrupt (a patch of its chain cannot be applied)`);
    }
  }
  return out;
}

/**
 * Rebuilds stored labels ({@link reconstructLabels}) and verifies length and sha256 of the result
 * against the version's (`what` names them in the error).
 */
export function decodeLabels(stored: StoredLabels, what: string, hash: (labels: Uint8Array) => string = sha256Hex): Uint8Array {
  const out = reconstructLabels(stored, what);
  if (out.length !== stored.byteLength || hash(out) !== stored.sha256)
    throw new LabelIntegrityError(`${what} is corrupt (checksum mismatch)`);
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
  for (let v = 255; v > 2; v--)
    if (h[v]! > 0) {
      last = v;
      break;
    }
  return Array.from(h.subarray(0, last + 1));
}

/** {@link EncodedLabels} of a version stored as a patch: `blob` is the compressed patch, `patch.raw` the uncompressed one. */
export interface EncodedPatch extends EncodedLabels {
  readonly patch: { readonly raw: Uint8Array; readonly changedVoxels: number };
}

/**
 * Encodes `labels` as a patch against `base` (its raw bytes and voxel counts): the changed runs,
 * compressed; counts updated from the runs only; sha256 of the FULL new map (what a signature
 * binds; `hash` may resume from the unchanged bytes before `firstChange`, see `resumableSha256`).
 * Null when more than `maxChangedVoxels` changed: store a full snapshot instead. `within`: the
 * only runs that can differ (those of the reader's patch), else the whole map is compared.
 */
export function encodeLabelsAgainst(
  labels: Uint8Array,
  base: Uint8Array,
  baseCounts: readonly number[],
  maxChangedVoxels: number,
  hash: (labels: Uint8Array, firstChange: number) => string = sha256Hex,
  within: readonly PatchRun[] | null = null,
): EncodedPatch | null {
  const diff = diffLabels(base, labels, maxChangedVoxels, within);
  if (!diff) return null;
  const raw = encodePatch(diff, labels);
  const digest = hash(labels, diff.runs[0]?.start ?? labels.length);
  return {
    counts: patchedCounts(baseCounts, base, labels, diff),
    blob: compressPatch(raw),
    digest,
    patch: { raw, changedVoxels: diff.changedVoxels },
  };
}
