import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { SignatureInfo } from '../../../shared/domain/reader.ts';
import type { AuditTrail } from '../audit/audit-trail.ts';
import { CaseStoreError } from './case-store-error.ts';
import type { Db } from './database.ts';
import { insertSignature } from './insert-signature.ts';
import type { SignatureInput } from './store-inputs.ts';

/** What recording a signature needs of the case store. */
export interface SignatureStore {
  readonly db: Db;
  readonly audit: AuditTrail;
  labelVersion(id: LabelVersionId): LabelVersionInfo;
  loadLabels(id: LabelVersionId): Uint8Array;
  signatures(caseId: CaseId): SignatureInfo[];
}

/**
 * Stores an electronic signature (`CaseStore.recordSignature`): refuses what can never be signed,
 * re-verifies both versions' bytes unless the caller just did, inserts it and re-anchors the audit trail.
 */
export function recordSignature(store: SignatureStore, input: SignatureInput, opts: { readonly bytesVerified?: boolean }): SignatureInfo {
  const { caseId } = input;
  const lesion = store.labelVersion(input.lesionVersionId);
  const lung = store.labelVersion(input.lungVersionId);
  if (lesion.caseId !== caseId || lung.caseId !== caseId)
    throw new CaseStoreError('invalid', `the versions do not belong to case ${caseId}`);
  if (lesion.kind !== 'lesion' || lung.kind !== 'lung')
    throw new CaseStoreError('invalid', 'a signature binds one lesion version and one lung version');
  if (lesion.signed) throw new CaseStoreError('conflict', `lesion version ${lesion.version} is already signed`);
  if (!input.meaning.trim()) throw new CaseStoreError('invalid', 'a signature states its meaning');
  // Binds the bytes as they are now: loadLabels verifies each against its stored sha256 (unless the
  // caller just did so off the main thread: `CaseCompute.verifyLabels`; stored bytes never change).
  if (!opts.bytesVerified) {
    store.loadLabels(lesion.id);
    store.loadLabels(lung.id);
  }
  const id = insertSignature(store.db, store.audit, input, lesion, lung);
  store.audit.syncAnchor();
  const sig = store.signatures(caseId).find((g) => g.id === id);
  if (!sig) throw new CaseStoreError('conflict', `signature ${id} was not stored`);
  return sig;
}
