import type { CaseStore } from '../cases/case-store.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';

/** The signed lesion version of a case (the latest signed one), or null. */
export function signedLesionVersion(store: CaseStore, caseId: CaseId): LabelVersionInfo | null {
  const signed = store.listLabelVersions(caseId, 'lesion').filter((v) => v.signed);
  return signed.length ? (signed[signed.length - 1] as LabelVersionInfo) : null;
}

/**
 * The model behind a label version: the version itself when a model made it, else the nearest
 * model-authored ancestor along the parent chain, else version 1 of the case when a model made it
 * (a reader edit that did not record its parent still started from the AI result). Null when no
 * model was involved.
 */
export function modelOfVersion(store: CaseStore, v: LabelVersionInfo): { name: string; version: string; labelVersion: number } | null {
  const seen = new Set<number>();
  let cur: LabelVersionInfo | null = v;
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    if (cur.author.kind === 'model') {
      return { name: cur.author.modelName ?? cur.author.name, version: cur.author.modelVersion ?? '', labelVersion: cur.version };
    }
    cur = cur.parentId === null ? null : store.labelVersion(cur.parentId);
  }
  const first = store.listLabelVersions(v.caseId, 'lesion').find((x) => x.version === 1);
  if (first && first.author.kind === 'model' && !seen.has(first.id)) {
    return { name: first.author.modelName ?? first.author.name, version: first.author.modelVersion ?? '', labelVersion: 1 };
  }
  return null;
}
