/**
 * The compute task of a patch save (`labelPatches.saveLesionPatch`): the full new map rebuilt from
 * its parent and the reader's patch, checked against the reader's sha256, then encoded as any save
 * is (a stored patch against the parent, or a full snapshot). Runs in a compute worker: the main
 * thread only inserts the rows.
 */
import { applyLabelPatch, labelPatchRuns, type PatchRun } from '../../shared/imaging/label-patch-format.ts';
import { LabelPatchError } from '../services/cases/label-patch-error.ts';
import { decodeLabels, encodeLabelsAgainst, encodeLabelsAsync, type StoredLabels } from '../services/cases/label-encoding.ts';
import { sharedCopy } from '../services/compute/label-cache.ts';
import { resumableSha256 } from './resumable-sha256.ts';
import type { EncodedSave } from './compute-tasks.ts';

/** The parent's full map: cached raw bytes (shared memory, read only), as stored, or none (all background). */
export type PatchParent =
  | { readonly shared: Uint8Array; readonly counts: readonly number[]; readonly sha256: string }
  | { readonly stored: StoredLabels; readonly what: string; readonly counts: readonly number[] }
  | { readonly none: true };

export interface ApplyLabelPatchInput {
  readonly patch: Uint8Array;
  readonly byteLength: number;
  readonly parent: PatchParent;
  /** sha256 (hex) of the full map the reader holds. */
  readonly sha256: string;
  /** Store the result as a patch against the parent when at most this many voxels changed; null: a full snapshot. */
  readonly maxChangedVoxels: number | null;
  /** Hand back a shared-memory copy of the new map (the base of the next patch save), unless a stored patch can advance the parent's shared bytes. */
  readonly keepShared: boolean;
}

/** Rebuilds, verifies and encodes; throws {@link LabelPatchError} (`corrupt-patch`, `patch-mismatch`) or a corrupt parent's error. */
export async function applyLabelPatchTask(input: ApplyLabelPatchInput): Promise<EncodedSave> {
  const { patch, byteLength, parent, sha256 } = input;
  const base = 'shared' in parent ? parent.shared : 'stored' in parent ? decodeLabels(parent.stored, parent.what, (l) => resumableSha256(l)) : new Uint8Array(byteLength);
  if (base.length !== byteLength) throw new LabelPatchError('corrupt-patch', `the parent has ${base.length} voxels, the case ${byteLength}`);
  const labels = new Uint8Array(byteLength);
  labels.set(base);
  let runs: PatchRun[];
  try {
    runs = labelPatchRuns(patch, byteLength);
    applyLabelPatch(labels, patch);
  } catch (e) {
    throw new LabelPatchError('corrupt-patch', `the label patch cannot be applied (${e instanceof Error ? e.message : String(e)}): nothing was saved`);
  }
  const baseSha = 'shared' in parent ? parent.sha256 : 'stored' in parent ? parent.stored.sha256 : null;
  const counts = 'none' in parent ? [byteLength, 0, 0] : parent.counts;
  const p = input.maxChangedVoxels !== null && baseSha !== null
    ? encodeLabelsAgainst(labels, base, counts, input.maxChangedVoxels, (l, firstChange) => resumableSha256(l, { digest: baseSha, firstChange }), runs)
    : null;
  const enc = p ?? (await encodeLabelsAsync(labels, (l) => resumableSha256(l)));
  if (enc.digest !== sha256) {
    throw new LabelPatchError('patch-mismatch', 'the saved labels with the patch applied differ from the labels on screen (sha256 mismatch): nothing was saved');
  }
  // a stored patch advances cached parent bytes in place; anything else needs a copy of its own
  const shared = input.keepShared && (!('shared' in parent) || !p) ? sharedCopy(labels) : null;
  return { ...enc, labels, patch: p ? p.patch : null, shared };
}
