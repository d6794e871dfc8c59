/**
 * Sparse patches between two label maps of the same case (same length): the runs of voxels whose
 * value changed, with their new values. A label version saved as a patch stores only these runs
 * (deflate-compressed) against a base version; reading it applies the patches of its chain to the
 * base's full map. Byte layout of an (uncompressed) patch, little-endian:
 * `u32 magic 'LBP1'`, `u32 runCount`, `runCount × (u32 start, u32 length)`, then the runs' new bytes
 * concatenated. Runs are sorted and do not overlap.
 */
import { deflateSync, inflateSync } from 'node:zlib';

const MAGIC = 0x3150424c; // 'LBP1'
/** Bytes compared at once while looking for changes (memcmp over the chunk, bytes only in changed ones). */
const CHUNK = 65536;
/** Runs closer than this are merged (a run costs 8 bytes of header). */
const MERGE_GAP = 8;

/** One run of changed voxels: `[start, start + length)` of the flat map. */
export interface PatchRun {
  readonly start: number;
  readonly length: number;
}

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
 * full snapshot instead).
 */
export function diffLabels(base: Uint8Array, next: Uint8Array, maxChangedVoxels = Infinity): LabelDiff | null {
  if (base.length !== next.length) throw new RangeError(`label maps differ in length (${base.length} vs ${next.length})`);
  const a = bufferOf(base);
  const b = bufferOf(next);
  const runs: { start: number; length: number }[] = [];
  let changed = 0;
  const n = base.length;
  for (let c = 0; c < n; c += CHUNK) {
    const end = Math.min(n, c + CHUNK);
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

/** The uncompressed patch bytes of `diff` (the new values are read from `next`). */
export function encodePatch(diff: LabelDiff, next: Uint8Array): Uint8Array {
  const payload = diff.runs.reduce((s, r) => s + r.length, 0);
  const out = new Uint8Array(8 + diff.runs.length * 8 + payload);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, diff.runs.length, true);
  let p = 8 + diff.runs.length * 8;
  diff.runs.forEach((r, k) => {
    view.setUint32(8 + k * 8, r.start, true);
    view.setUint32(12 + k * 8, r.length, true);
    out.set(next.subarray(r.start, r.start + r.length), p);
    p += r.length;
  });
  return out;
}

/** Compressed patch as stored in a label version (deflate level 1, as the full maps). */
export const compressPatch = (patch: Uint8Array): Uint8Array => deflateSync(patch, { level: 1 });

/**
 * Applies an (uncompressed) patch to `target` in place. Throws on a malformed patch (bad magic,
 * runs out of range or overlapping, wrong payload length): the caller reports the version corrupt.
 */
export function applyPatch(target: Uint8Array, patch: Uint8Array): void {
  if (patch.length < 8) throw new RangeError('label patch is truncated');
  const view = new DataView(patch.buffer, patch.byteOffset, patch.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new RangeError('label patch has a bad magic number');
  const count = view.getUint32(4, true);
  let p = 8 + count * 8;
  if (p > patch.length) throw new RangeError('label patch is truncated');
  let prevEnd = 0;
  for (let k = 0; k < count; k++) {
    const start = view.getUint32(8 + k * 8, true);
    const length = view.getUint32(12 + k * 8, true);
    if (start < prevEnd || start + length > target.length || p + length > patch.length) throw new RangeError('label patch run out of range');
    target.set(patch.subarray(p, p + length), start);
    p += length;
    prevEnd = start + length;
  }
  if (p !== patch.length) throw new RangeError('label patch has trailing bytes');
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
  for (let v = 255; v > 2; v--) if (h[v]! > 0) { last = v; break; }
  return Array.from(h.subarray(0, last + 1));
}
