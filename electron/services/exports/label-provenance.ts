import type { CaseStore } from '../cases/case-store.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import { ensureReadResultRule } from '../read-studies/read-study-services.ts';

/**
 * The lesion version of the case's result (the signed, or adjudicated, version; see
 * `CaseStore.caseResult`), or null while nothing is signed.
 */
export function signedLesionVersion(store: CaseStore, caseId: CaseId): LabelVersionInfo | null {
  ensureReadResultRule(store); // the double-read result rule also where the store was opened outside the workstation
  const result = store.caseResult(caseId);
  return result ? store.labelVersion(result.signature.lesionVersionId) : null;
}

/** The lung version an export pairs with a lesion version: the one its signature bound, else the latest. */
export function lungVersionFor(store: CaseStore, caseId: CaseId, lesion: LabelVersionInfo | null): LabelVersionInfo | null {
  const sig = lesion ? store.signatureOf(lesion.id) : null;
  return sig ? store.labelVersion(sig.lungVersionId) : store.latestLabelVersion(caseId, 'lung');
}

/** How an export names the signature of a lesion version (null when unsigned). */
export function signatureManifest(
  store: CaseStore,
  lesion: LabelVersionInfo,
): {
  readonly readerName: string;
  readonly role: string;
  readonly signedAt: string;
  readonly meaning: string;
  readonly kind: string;
  readonly lesionSha256: string;
  readonly lungVersionId: number;
  readonly lungSha256: string;
} | null {
  const g = store.signatureOf(lesion.id);
  return g
    ? {
        readerName: g.readerName,
        role: g.readerRole,
        signedAt: g.signedAt,
        meaning: g.meaning,
        kind: g.kind,
        lesionSha256: g.lesionSha256,
        lungVersionId: g.lungVersionId,
        lungSha256: g.lungSha256,
      }
    : null;
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
