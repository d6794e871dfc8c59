import type { CaseStore } from '../cases/case-store.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import { lesionSegAlgorithms, type SegAlgorithm } from '../../../shared/export/dicom-seg.ts';

/**
 * The nearest version along the parent chain of `v` (itself excluded) that a model or an
 * algorithm made; else version 1 of the case when a model or algorithm made it (a reader
 * version that did not record its parent still started from the AI result, as
 * `modelOfVersion` assumes). Null when the reader drew from empty.
 */
export function automaticAncestor(store: CaseStore, v: LabelVersionInfo): LabelVersionInfo | null {
  const seen = new Set<number>([v.id]);
  let cur: LabelVersionInfo | null = v.parentId === null ? null : store.labelVersion(v.parentId);
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    if (cur.author.kind !== 'reader') return cur;
    cur = cur.parentId === null ? null : store.labelVersion(cur.parentId);
  }
  const first = store.listLabelVersions(v.caseId, v.kind).find((x) => x.version === 1);
  return first && first.author.kind !== 'reader' && !seen.has(first.id) ? first : null;
}

/** Whether the voxels of `label` differ between two label maps of one grid. */
export function classDiffers(a: Uint8Array, b: Uint8Array, label: number): boolean {
  if (a.length !== b.length) return true;
  for (let p = 0; p < a.length; p++) if ((a[p] === label) !== (b[p] === label)) return true;
  return false;
}

/**
 * Segment Algorithm Types of a lesion version's two segments (see `lesionSegAlgorithms`):
 * AUTOMATIC for untouched AI output, SEMIAUTOMATIC for AI output the reader edited (per class),
 * MANUAL for a reader's drawing from empty. `labels` are the version's voxels.
 */
export function lesionVersionAlgorithms(
  store: CaseStore,
  version: LabelVersionInfo,
  labels: Uint8Array,
): { readonly ggo: SegAlgorithm; readonly highOpacity: SegAlgorithm } {
  const ancestor = version.author.kind === 'reader' ? automaticAncestor(store, version) : null;
  let ancestorLabels: Uint8Array | null = null;
  return lesionSegAlgorithms(version.author, ancestor?.author ?? null, (label) => {
    if (ancestor === null) return true;
    ancestorLabels ??= store.loadLabels(ancestor.id);
    return classDiffers(ancestorLabels, labels, label);
  });
}
