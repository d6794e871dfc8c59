import type { CaseStore } from '../cases/case-store.ts';
import type { ReportTrialContext } from '../../../shared/export/report-input.ts';
import { hasTrialContext } from '../../../shared/trial/trial-info.ts';
import { getTrialInfo } from './trial-store.ts';
import { subjectTimelineOf } from './subject-timeline.ts';

/**
 * The report's trial context of a case (header: protocol, site, subject, visit; the longitudinal
 * page: the subject's change from baseline), or undefined for a case outside a trial.
 */
export function reportTrialContext(store: CaseStore, caseId: number): ReportTrialContext | undefined {
  const t = getTrialInfo(store.db, caseId);
  if (!t || !hasTrialContext(t)) return undefined;
  const visit =
    t.visitDescription && t.visitDescription !== t.visitLabel
      ? t.visitLabel
        ? `${t.visitLabel} (${t.visitDescription})`
        : t.visitDescription
      : t.visitLabel;
  const longitudinal = subjectTimelineOf(store, caseId);
  return {
    protocol: t.protocolId,
    site: t.siteId,
    subject: t.subjectId,
    visit,
    visitOrder: t.visitOrder,
    visitDate: t.visitDate,
    sponsor: t.sponsorName,
    ...(longitudinal ? { longitudinal } : {}),
  };
}
