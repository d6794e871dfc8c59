/**
 * The compute task of a patch save (`labelPatches.saveLesionPatch`, `saveLungPatch`): the full new map rebuilt from
 * its parent and the reader's patch, checked against the reader's sha256, then encoded as any save
 * is (a stored patch against the parent, or a full snapshot); the autosave of a patch likewise.
 * Runs in a compute worker: the main thread only inserts the rows.
 */
import { applyLabelPatch, labelPatchRuns, type PatchRun } from '../../shared/imaging/label-patch-format.ts';
import { LabelPatchError } from '../services/cases/label-patch-error.ts';
import { decodeLabels, encodeLabelsAgainst, encodeLabelsAsync, type StoredLabels } from '../services/cases/label-encoding.ts';
import { sharedCopy } from '../services/compute/label-cache.ts';
import { resumableSha256 } from './resumable-sha256.ts';
import type { EncodedSave } from './compute-tasks.ts';
import type { CaseId, LabelVersionId } from '../../shared/domain/ids.ts';
import { AutosaveStore } from '../services/autosave/autosave-store.ts';
import { UserError } from '../../shared/errors/user-error.ts';

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

/** The largest label value a patch may write, and the rule a refusal names (e.g. `lung labels are 0, 1 or 2`). */
export interface MaxLabel {
  readonly value: number;
  readonly rule: string;
}

/** The parent's full map with a patch applied: the new map, the parent's bytes, the patch's runs. */
export interface RebuiltLabels {
  readonly labels: Uint8Array;
  readonly base: Uint8Array;
  readonly runs: PatchRun[];
  /** sha256 of the parent's map (null: no parent, all background). */
  readonly baseSha: string | null;
}

/** Rebuilds the full map from the parent and the patch; throws {@link LabelPatchError} `corrupt-patch` (nothing written anywhere). */
export function rebuildFromPatch(patch: Uint8Array, byteLength: number, parent: PatchParent, what: string): RebuiltLabels {
  const base =
    'shared' in parent
      ? parent.shared
      : 'stored' in parent
        ? decodeLabels(parent.stored, parent.what, (l) => resumableSha256(l))
        : new Uint8Array(byteLength);
  if (base.length !== byteLength)
    throw new LabelPatchError('corrupt-patch', `the parent has ${base.length} voxels, the case ${byteLength}`);
  const labels = new Uint8Array(byteLength);
  labels.set(base);
  try {
    const runs = labelPatchRuns(patch, byteLength);
    applyLabelPatch(labels, patch);
    return { labels, base, runs, baseSha: 'shared' in parent ? parent.sha256 : 'stored' in parent ? parent.stored.sha256 : null };
  } catch (e) {
    throw new LabelPatchError(
      'corrupt-patch',
      `the label patch cannot be applied (${e instanceof Error ? e.message : String(e)}): nothing was ${what}`,
    );
  }
}

/** Rebuilds, verifies and encodes; throws {@link LabelPatchError} (`corrupt-patch`, `patch-mismatch`) or a corrupt parent's error. */
export async function applyLabelPatchTask(input: ApplyLabelPatchInput): Promise<EncodedSave> {
  const { patch, byteLength, parent, sha256 } = input;
  const { labels, base, runs, baseSha } = rebuildFromPatch(patch, byteLength, parent, 'saved');
  const counts = 'none' in parent ? [byteLength, 0, 0] : parent.counts;
  const p =
    input.maxChangedVoxels !== null && baseSha !== null
      ? encodeLabelsAgainst(
          labels,
          base,
          counts,
          input.maxChangedVoxels,
          (l, firstChange) => resumableSha256(l, { digest: baseSha, firstChange }),
          runs,
        )
      : null;
  const enc = p ?? (await encodeLabelsAsync(labels, (l) => resumableSha256(l)));
  if (enc.digest !== sha256) throw mismatch('saved');
  // a stored patch advances cached parent bytes in place; anything else needs a copy of its own
  const shared = input.keepShared && (!('shared' in parent) || !p) ? sharedCopy(labels) : null;
  return { ...enc, labels, patch: p ? p.patch : null, shared };
}

/**
 * The autosave of a patch (`labelPatches.stageLesionPatch`): the full map rebuilt, checked against
 * the reader's sha256, then written to the case's autosave slot as `autosave.stage` writes it.
 */
export function stageLabelPatchTask(input: {
  patch: Uint8Array;
  byteLength: number;
  parent: PatchParent;
  sha256: string;
  dataDir: string;
  caseId: CaseId;
  parentVersionId: LabelVersionId | null;
  maxLabel?: MaxLabel;
}): string {
  const { labels, runs, baseSha } = rebuildFromPatch(input.patch, input.byteLength, input.parent, 'autosaved');
  if (input.maxLabel) checkMaxLabel(labels, runs, input.maxLabel);
  const digest = resumableSha256(labels, baseSha === null ? null : { digest: baseSha, firstChange: runs[0]?.start ?? labels.length });
  if (digest !== input.sha256) throw mismatch('autosaved');
  return new AutosaveStore(input.dataDir).write({ caseId: input.caseId, labels, parentVersionId: input.parentVersionId });
}

/** Refuses values above `max.value` in the voxels of `runs` (what the patch wrote): a `UserError` `invalid`, nothing written. */
function checkMaxLabel(labels: Uint8Array, runs: readonly PatchRun[], max: MaxLabel): void {
  for (const r of runs)
    for (let q = r.start; q < r.start + r.length; q++)
      if (labels[q]! > max.value) throw new UserError('invalid', 'invalid', `${max.rule}; found ${labels[q]}: nothing was autosaved`);
}

const mismatch = (what: string): LabelPatchError =>
  new LabelPatchError(
    'patch-mismatch',
    `the labels with the patch applied differ from the labels on screen (sha256 mismatch): nothing was ${what}`,
  );
