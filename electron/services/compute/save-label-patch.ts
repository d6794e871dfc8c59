import type { LabelAuthor, LabelKind, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import { CaseStoreError, type LabelVersionOptions } from '../cases/case-store.ts';
import { MAX_PATCH_CHAIN } from '../cases/label-chain.ts';
import { applyPatch } from '../cases/label-patch.ts';
import { LabelPatchError } from '../cases/label-patch-error.ts';
import type { MaxLabel, PatchParent } from '../../workers/apply-label-patch.ts';
import { PATCH_MAX_FRACTION, type CaseCompute } from './case-compute.ts';
import { LabelCache, type CachedLabels } from './label-cache.ts';

/** A save of edited labels sent as a patch against `parentId` (null: against all background). */
export interface LabelPatchSave {
  readonly caseId: CaseId;
  readonly kind: LabelKind;
  /** Patch bytes (`shared/imaging/label-patch-format.ts`); MOVED to the worker when it spans its buffer. */
  readonly patch: Uint8Array;
  readonly parentId: LabelVersionId | null;
  /** sha256 (hex) of the full map the sender holds after the patch. */
  readonly sha256: string;
  readonly author: LabelAuthor;
  readonly opts?: Omit<LabelVersionOptions, 'parentId'>;
  /** Refuses the new map from its voxel counts (throws) before anything is stored, as `CaseCompute.saveLabelVersion`'s `check`. */
  readonly check?: (counts: readonly number[]) => void;
}

/**
 * Saves a label version from a patch: refused (`stale-parent`) unless `parentId` is the latest
 * version of its kind; the parent's full map (the cached bytes of the version last opened or saved,
 * else decoded from the store), the patch applied, the sha256 checked and the save encoded, all in
 * a worker (`applyLabelPatch`); here only the insert and the cache bookkeeping. The version stored
 * is what `CaseCompute.saveLabelVersion` of the full map would store. Resolves with the version and
 * the worker's copy of the full map (for the stored burden).
 */
export async function saveLabelPatch(compute: CaseCompute, req: LabelPatchSave): Promise<{ info: LabelVersionInfo; labels: Uint8Array }> {
  const { store, labelCache, pool } = compute;
  const { caseId, kind, parentId, author } = req;
  const [nI, nJ, nK] = store.voxelFile(caseId).geometry.size;
  const byteLength = nI * nJ * nK;
  if (!author.name.trim()) throw new CaseStoreError('invalid', 'a label version needs an author');
  if (parentId !== null) {
    const p = store.labelVersion(parentId);
    if (p.caseId !== caseId || p.kind !== kind)
      throw new CaseStoreError('invalid', `version ${parentId} is not a ${kind} version of case ${caseId}`);
  }
  const assertLatest = (): void => {
    const latest = store.latestLabelVersion(caseId, kind);
    if ((latest?.id ?? null) === parentId) return;
    const from = parentId === null ? 'empty labels' : `version ${store.labelVersion(parentId).version}`;
    throw new LabelPatchError(
      'stale-parent',
      `these edits of ${from} were not saved as a patch: a newer ${kind} version ${latest?.version ?? ''} of case ${caseId} was saved meanwhile`,
    );
  };
  assertLatest();
  const key = LabelCache.key(caseId, kind);
  return labelCache.exclusive(key, async () => {
    assertLatest();
    const { hit, parent } = patchParentOf(compute, key, parentId);
    const depth = hit ? hit.depth : parentId !== null ? store.patchDepth(parentId) : 0;
    const chain = parentId !== null && depth < MAX_PATCH_CHAIN;
    const enc = await pool.run(
      'applyLabelPatch',
      {
        patch: req.patch,
        byteLength,
        parent,
        sha256: req.sha256,
        maxChangedVoxels: chain ? Math.floor(byteLength * PATCH_MAX_FRACTION) : null,
        keepShared: true,
      },
      { lane: 'interactive', transfer: wholeBuffer(req.patch) },
    );
    req.check?.(enc.counts);
    // a save that does not take this lock (a sign-off's copy) may have happened meanwhile
    assertLatest();
    const patchOf = enc.patch && parentId !== null ? { baseId: parentId, changedVoxels: enc.patch.changedVoxels } : undefined;
    const info = store.saveEncodedLabelVersion(
      caseId,
      kind,
      byteLength,
      { counts: enc.counts, blob: enc.blob, digest: enc.digest, ...(patchOf ? { patchOf } : {}) },
      author,
      { ...req.opts, parentId },
    );
    const raw = enc.patch?.raw;
    const next = { versionId: info.id, counts: enc.counts, sha256: enc.digest, depth: patchOf ? depth + 1 : 0 };
    if (hit && raw && !enc.shared) labelCache.advance(key, hit, next, (b) => applyPatch(b, raw));
    else if (enc.shared) labelCache.set(key, { ...next, bytes: enc.shared });
    return { info, labels: enc.labels };
  });
}

/**
 * Writes the autosave slot of a case from a patch against `parentId` (any version of the case's
 * `kind` labels, or none): rebuilt and checked against `sha256` in a worker, then written as
 * `autosave.stage` writes the full map (same slot, same recovery). Refused (`patch-mismatch`,
 * `corrupt-patch`) with the slot untouched.
 */
export async function stageLabelPatch(
  compute: CaseCompute,
  dataDir: string,
  req: Omit<LabelPatchSave, 'author' | 'opts' | 'check'> & {
    /** Largest label value allowed in the patch (the parent's values were checked when it was saved), with the rule a refusal names. */
    readonly maxLabel?: MaxLabel;
  },
): Promise<string> {
  const { caseId, kind, parentId } = req;
  const [nI, nJ, nK] = compute.store.voxelFile(caseId).geometry.size;
  if (parentId !== null) {
    const p = compute.store.labelVersion(parentId);
    if (p.caseId !== caseId || p.kind !== kind)
      throw new CaseStoreError('invalid', `version ${parentId} is not a ${kind} version of case ${caseId}`);
  }
  const key = LabelCache.key(caseId, kind);
  // under the key's lock: a save in flight may be advancing the cached bytes
  return compute.labelCache.exclusive(key, () =>
    compute.pool.run(
      'stageLabelPatch',
      {
        patch: req.patch,
        byteLength: nI * nJ * nK,
        parent: patchParentOf(compute, key, parentId).parent,
        sha256: req.sha256,
        dataDir,
        caseId,
        parentVersionId: parentId,
        ...(req.maxLabel ? { maxLabel: req.maxLabel } : {}),
      },
      { lane: 'interactive', transfer: wholeBuffer(req.patch) },
    ),
  );
}

/** The parent's full map for a worker: the cached bytes when they are that version's, else as stored, else none (all background). */
function patchParentOf(
  compute: CaseCompute,
  key: string,
  parentId: LabelVersionId | null,
): { hit: CachedLabels | undefined; parent: PatchParent } {
  const cached = compute.labelCache.get(key);
  const hit = cached && parentId !== null && cached.versionId === parentId ? cached : undefined;
  if (hit) return { hit, parent: { shared: hit.bytes, counts: hit.counts, sha256: hit.sha256 } };
  if (parentId === null) return { hit, parent: { none: true } };
  const { store } = compute;
  return {
    hit,
    parent: { stored: store.storedLabels(parentId), what: `label version ${parentId}`, counts: store.labelVersion(parentId).counts },
  };
}

/** The buffer of `a` when `a` spans all of it (then it is moved to the worker), else none (copied). */
function wholeBuffer(a: Uint8Array): ArrayBuffer[] {
  return a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? [a.buffer] : [];
}
