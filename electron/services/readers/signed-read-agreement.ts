import type { CaseId } from '../../../shared/domain/ids.ts';
import { voxelVolumeMl } from '../../../shared/domain/volume.ts';
import {
  caseAgreementCsv,
  cohortAgreement,
  cohortAgreementCsv,
  pairAgreement,
  type CaseAgreement,
} from '../../../shared/imaging/agreement.ts';
import type { CaseStore } from '../cases/case-store.ts';
import type { AgreementResult } from '../exports/agreement-service.ts';

/**
 * Agreement between two readers' SIGNED reads (by login): per case, the newest read signature of
 * each reader, compared with the shared agreement code (Dice per class, volume and burden
 * differences; burden against reader A's signed lung version), and the cohort Bland–Altman table.
 * Cases where a reader has no signed read are listed as skipped. Case names are `case-<id>`.
 */
export function signedReadAgreement(store: CaseStore, loginA: string, loginB: string, caseIds?: readonly CaseId[]): AgreementResult {
  const a = loginA.trim().toLowerCase();
  const b = loginB.trim().toLowerCase();
  if (!a || !b || a === b) throw new RangeError('agreement needs two different reader logins');
  const ids =
    caseIds ??
    store
      .listCases()
      .map((c) => c.id)
      .sort((x, y) => x - y);
  const cases: CaseAgreement[] = [];
  const skipped: { caseId: number; reason: string }[] = [];
  for (const id of ids) {
    const sigs = store.signatures(id).filter((g) => g.kind === 'read');
    const newest = (login: string) => sigs.filter((g) => g.readerLogin.toLowerCase() === login).at(-1);
    const sa = newest(a);
    const sb = newest(b);
    if (!sa || !sb) {
      skipped.push({ caseId: id, reason: `no signed read by ${!sa ? loginA : loginB}` });
      continue;
    }
    const g = store.getCase(id).geometry;
    const agreement = pairAgreement(
      store.loadLabels(sa.lesionVersionId),
      store.loadLabels(sb.lesionVersionId),
      voxelVolumeMl(g),
      store.loadLabels(sa.lungVersionId),
    );
    cases.push({ caseName: `case-${id}`, readerA: sa.readerName, readerB: sb.readerName, agreement });
  }
  return { cases, skipped, cohort: cohortAgreement(cases), casesCsv: caseAgreementCsv(cases), cohortCsv: cohortAgreementCsv(cases) };
}
