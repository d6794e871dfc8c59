import type { CaseAgreementView } from '../../../shared/domain/read-study.ts';
import { studyAgreementCsv, studyAgreementStats, type StudyAgreementStats } from '../../../shared/imaging/read-study-stats.ts';
import type { ReadRouting } from './read-routing.ts';
import type { ReadStudies } from './read-studies.ts';

/** A study's cases with two signed reads (their stored agreements), the statistics and the CSV. */
export function studyAgreement(
  studies: ReadStudies,
  routing: ReadRouting,
  protocolId: string,
): { cases: CaseAgreementView[]; stats: StudyAgreementStats; csv: string } {
  const ids = [...new Set(studies.assignments(protocolId).map((a) => a.caseId))];
  const cases = ids.flatMap((id) => {
    const a = routing.agreement(id);
    return a ? [a] : [];
  });
  const stats = studyAgreementStats(protocolId, cases);
  return { cases, stats, csv: studyAgreementCsv(stats, cases) };
}
