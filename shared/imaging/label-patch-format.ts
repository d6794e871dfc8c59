/**
 * The byte format of a sparse label patch: runs of voxels of a flat label map (axis order of
 * `Volume`: `i + j*nI + k*nI*nJ`) with their new values. The same bytes are what the renderer sends
 * to save its edits against the version it opened (instead of the whole map) and what the store
 * keeps (deflated) for a version saved as a patch of its base. Little-endian:
 * `u32 magic 'LBP1'`, `u32 runCount`, `runCount × (u32 start, u32 length)`, then the runs' new
 * bytes concatenated. Runs are sorted and do not overlap. A patch may list voxels whose value did
 * not change (a block the reader touched and undid): applying it is still exact.
 */

/** 'LBP1' read as a little-endian u32. */
export const LABEL_PATCH_MAGIC = 0x3150424c;

/** One run of voxels: `[start, start + length)` of the flat map. */
export interface PatchRun {
  readonly start: number;
  readonly length: number;
}

/** What applying a patch changed: the first voxel it wrote (the map's length for an empty patch) and the voxels it wrote. */
export interface AppliedPatch {
  readonly firstVoxel: number;
  readonly voxels: number;
}

/** The patch bytes of `runs` (sorted, not overlapping, inside `next`) with their values read from `next`. */
export function encodeLabelPatch(runs: readonly PatchRun[], next: Uint8Array): Uint8Array {
  const payload = runs.reduce((s, r) => s + r.length, 0);
  const out = new Uint8Array(8 + runs.length * 8 + payload);
  const view = new DataView(out.buffer);
  view.setUint32(0, LABEL_PATCH_MAGIC, true);
  view.setUint32(4, runs.length, true);
  let p = 8 + runs.length * 8;
  runs.forEach((r, k) => {
    if (r.start < 0 || r.length < 0 || r.start + r.length > next.length) throw new RangeError('label patch run out of range');
    view.setUint32(8 + k * 8, r.start, true);
    view.setUint32(12 + k * 8, r.length, true);
    out.set(next.subarray(r.start, r.start + r.length), p);
    p += r.length;
  });
  return out;
}

/**
 * The runs of a patch for a map of `mapLength` voxels, checked: magic, runs sorted, not
 * overlapping and inside the map, payload exactly the runs' bytes. Throws a RangeError naming the
 * first problem (the caller reports the patch corrupt, or of the wrong length).
 */
export function labelPatchRuns(patch: Uint8Array, mapLength: number): PatchRun[] {
  if (patch.length < 8) throw new RangeError('label patch is truncated');
  const view = new DataView(patch.buffer, patch.byteOffset, patch.byteLength);
  if (view.getUint32(0, true) !== LABEL_PATCH_MAGIC) throw new RangeError('label patch has a bad magic number');
  const count = view.getUint32(4, true);
  let payload = 8 + count * 8;
  if (payload > patch.length) throw new RangeError('label patch is truncated');
  const runs: PatchRun[] = [];
  let prevEnd = 0;
  for (let k = 0; k < count; k++) {
    const start = view.getUint32(8 + k * 8, true);
    const length = view.getUint32(12 + k * 8, true);
    if (start < prevEnd) throw new RangeError('label patch runs overlap or are not sorted');
    if (start + length > mapLength)
      throw new RangeError(`label patch run [${start}, ${start + length}) is outside the map of ${mapLength} voxels`);
    runs.push({ start, length });
    payload += length;
    prevEnd = start + length;
  }
  if (payload > patch.length) throw new RangeError('label patch is truncated');
  if (payload !== patch.length) throw new RangeError('label patch has trailing bytes');
  return runs;
}

/**
 * Applies a patch to `target` in place, after checking all of it ({@link labelPatchRuns}): a bad
 * patch throws before any voxel is written.
 */
export function applyLabelPatch(target: Uint8Array, patch: Uint8Array): AppliedPatch {
  const runs = labelPatchRuns(patch, target.length);
  let p = 8 + runs.length * 8;
  let voxels = 0;
  for (const r of runs) {
    target.set(patch.subarray(p, p + r.length), r.start);
    p += r.length;
    voxels += r.length;
  }
  return { firstVoxel: runs[0]?.start ?? target.length, voxels };
}
