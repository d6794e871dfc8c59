/**
 * Sparse patches between two label maps of the same case (same length): the runs of voxels whose
 * value changed, with their new values. A label version saved as a patch stores only these runs
 * (deflate-compressed) against a base version; reading it applies the patches of its chain to the
 * base's full map. Byte layout of an (uncompressed) patch: `shared/imaging/label-patch-format.ts`
 * (the renderer sends its edits in the same format).
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { applyLabelPatch, encodeLabelPatch, type PatchRun } from '../../../shared/imaging/label-patch-format.ts';

/** Bytes compared at once while looking for changes (memcmp over the chunk, bytes only in changed ones). */
const CHUNK = 65536;
/** Runs closer than this are merged (a run costs 8 bytes of header). */
const MERGE_GAP = 8;

export type { PatchRun };

/** The patch from `base` to `next`: its runs and how many voxels changed. */
export interface LabelDiff {
  readonly runs: readonly PatchRun[];
  readonly changedVoxels: number;
}

const bufferOf = (a: Uint8Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/**
 * The runs where `next` differs from `base` (same length). Chunks are compared with memcmp
 * (`Buffer.compare`), so an edit of a few thousand voxels in a 78 M-voxel map costs a few ms.
 * Stops early and returns null once more than `maxChangedVoxels` differ (the caller then stores a
 * full snapshot instead). `within`: only these runs can differ (the runs of a patch the reader
 * sent), so only they are compared.
 */
export function diffLabels(
  base: Uint8Array,
  next: Uint8Array,
  maxChangedVoxels = Infinity,
  within: readonly PatchRun[] | null = null,
): LabelDiff | null {
  if (base.length !== next.length) throw new RangeError(`label maps differ in length (${base.length} vs ${next.length})`);
  const a = bufferOf(base);
  const b = bufferOf(next);
  const runs: { start: number; length: number }[] = [];
  let changed = 0;
  const n = base.length;
  for (const [c, end] of chunksOf(within ?? [{ start: 0, length: n }])) {
    if (Buffer.compare(a.subarray(c, end), b.subarray(c, end)) === 0) continue;
    for (let i = c; i < end; i++) {
      if (base[i] === next[i]) continue;
      let j = i + 1;
      while (j < end && base[j] !== next[j]) j++;
      changed += j - i;
      const last = runs.at(-1);
      if (last && i - (last.start + last.length) <= MERGE_GAP) last.length = j - last.start;
      else runs.push({ start: i, length: j - i });
      i = j;
    }
    if (changed > maxChangedVoxels) return null;
  }
  return { runs, changedVoxels: changed };
}

/** `[from, to)` pieces of at most CHUNK voxels covering `runs`, in order. */
function* chunksOf(runs: readonly PatchRun[]): Generator<readonly [number, number]> {
  for (const r of runs) for (let c = r.start; c < r.start + r.length; c += CHUNK) yield [c, Math.min(r.start + r.length, c + CHUNK)];
}

/** The uncompressed patch bytes of `diff` (the new values are read from `next`; format: `shared/imaging/label-patch-format.ts`). */
export const encodePatch = (diff: LabelDiff, next: Uint8Array): Uint8Array => encodeLabelPatch(diff.runs, next);

/** Compressed patch as stored in a label version (deflate level 1, as the full maps). */
export const compressPatch = (patch: Uint8Array): Uint8Array => deflateSync(patch, { level: 1 });

/**
 * Applies an (uncompressed) patch to `target` in place. Throws a RangeError on a malformed patch
 * (bad magic, runs out of range or overlapping, wrong payload length) before writing any voxel:
 * the caller reports the version corrupt.
 */
export function applyPatch(target: Uint8Array, patch: Uint8Array): void {
  applyLabelPatch(target, patch);
}

/** Inflates a stored patch (bounded: a patch is never larger than header + the whole map). */
export function inflatePatch(stored: Uint8Array, mapLength: number): Uint8Array {
  const raw = inflateSync(stored, { maxOutputLength: 8 + mapLength * 9 });
  return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
}

/**
 * Voxel counts per label value of `next`, from those of `base` and the changed runs only (what a
 * patch save needs instead of a full count). `baseCounts` as `countLabels` gives them.
 */
export function patchedCounts(baseCounts: readonly number[], base: Uint8Array, next: Uint8Array, diff: LabelDiff): number[] {
  const h = new Float64Array(256);
  baseCounts.forEach((c, v) => (h[v] = c));
  for (const r of diff.runs) {
    for (let i = r.start; i < r.start + r.length; i++) {
      h[base[i]!]!--;
      h[next[i]!]!++;
    }
  }
  let last = 2;
  for (let v = 255; v > 2; v--)
    if (h[v]! > 0) {
      last = v;
      break;
    }
  return Array.from(h.subarray(0, last + 1));
}
