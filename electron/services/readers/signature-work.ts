import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { SignatureInfo } from '../../../shared/domain/reader.ts';
import { burdenOfPair } from '../analysis/analyze-case.ts';
import type { CaseStore, SignatureInput } from '../cases/case-store.ts';
import type { CaseCompute } from '../compute/case-compute.ts';

/** What a signature needs: the store, and the compute pool that keeps its heavy checks off the main thread (absent: done inline, as the CLI and tests do). */
export interface SignatureWorkDeps {
  readonly store: CaseStore;
  readonly compute?: CaseCompute;
}

/**
 * Records a signature after verifying the bytes of the lesion and lung versions it binds against
 * their sha256: in compute workers when a pool is given (the main thread then only inserts), else
 * inline by the store.
 */
export async function recordVerifiedSignature(deps: SignatureWorkDeps, input: SignatureInput): Promise<SignatureInfo> {
  if (!deps.compute) return deps.store.recordSignature(input);
  await Promise.all([deps.compute.verifyLabels(input.lesionVersionId), deps.compute.verifyLabels(input.lungVersionId)]);
  return deps.store.recordSignature(input, { bytesVerified: true });
}

/** Stores the burden of exactly this lesion + lung pair unless already stored (in a worker when a pool is given). */
export async function ensurePairBurden(
  deps: SignatureWorkDeps,
  caseId: CaseId,
  lesionVersionId: LabelVersionId,
  lungVersionId: LabelVersionId,
): Promise<void> {
  if (deps.store.burdenOf(caseId, lesionVersionId, lungVersionId)) return;
  if (deps.compute) await deps.compute.recordBurdenOfPair(caseId, lesionVersionId, lungVersionId);
  else burdenOfPair(deps.store, caseId, lesionVersionId, lungVersionId);
}
