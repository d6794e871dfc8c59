import type { CaseStore } from '../cases/case-store.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { voxelVolumeMl } from '../../../shared/domain/volume.ts';
import {
  caseAgreementCsv,
  cohortAgreement,
  cohortAgreementCsv,
  pairAgreement,
  type CaseAgreement,
  type CohortClassAgreement,
} from '../../../shared/imaging/agreement.ts';

export interface AgreementResult {
  readonly cases: readonly CaseAgreement[];
  /** Cases left out and why (a reader has no version of it, …). */
  readonly skipped: readonly { readonly caseId: number; readonly reason: string }[];
  readonly cohort: readonly CohortClassAgreement[];
  readonly casesCsv: string;
  readonly cohortCsv: string;
}

/**
 * Multi-reader agreement over the store: for each case, the latest lesion version of reader A
 * against the latest of reader B (reader-authored versions only), with the case's latest lung
 * mask for burden. Case names in the CSV are `case-<id>`.
 */
export function readerAgreement(store: CaseStore, readerA: string, readerB: string, caseIds?: readonly CaseId[]): AgreementResult {
  if (readerA.trim() === '' || readerB.trim() === '' || readerA === readerB)
    throw new RangeError('agreement needs two different reader names');
  const ids =
    caseIds ??
    store
      .listCases()
      .map((c) => c.id)
      .sort((x, y) => x - y);
  const cases: CaseAgreement[] = [];
  const skipped: { caseId: number; reason: string }[] = [];
  for (const id of ids) {
    const versions = store.listLabelVersions(id, 'lesion').filter((v) => v.author.kind === 'reader');
    const latest = (r: string) => versions.filter((v) => v.author.name === r).at(-1);
    const va = latest(readerA);
    const vb = latest(readerB);
    if (!va || !vb) {
      skipped.push({ caseId: id, reason: `no lesion version by ${!va ? readerA : readerB}` });
      continue;
    }
    const g = store.getCase(id).geometry;
    const lungV = store.latestLabelVersion(id, 'lung');
    const agreement = pairAgreement(
      store.loadLabels(va.id),
      store.loadLabels(vb.id),
      voxelVolumeMl(g),
      lungV ? store.loadLabels(lungV.id) : null,
    );
    cases.push({ caseName: `case-${id}`, readerA, readerB, agreement });
  }
  return { cases, skipped, cohort: cohortAgreement(cases), casesCsv: caseAgreementCsv(cases), cohortCsv: cohortAgreementCsv(cases) };
}
