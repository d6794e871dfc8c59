import type { CaseStore } from '../cases/case-store.ts';
import { asCaseId } from '../../../shared/domain/ids.ts';
import { changeFromBaseline, type SubjectTimeline, type TimepointInput } from '../../../shared/trial/change-from-baseline.ts';
import type { CaseTrialInfo } from '../../../shared/trial/trial-info.ts';
import { getTrialInfo, subjectTrialInfo } from './trial-store.ts';

/**
 * One timepoint from the case store: the figures of the case's RESULT (adjudicated, else signed
 * version, with the lung version it was signed with), else of its latest burden record, flagged
 * unsigned; `no-burden` before the first analysis.
 */
export function timepointOf(store: CaseStore, t: CaseTrialInfo): TimepointInput {
  const caseId = asCaseId(t.caseId);
  const result = store.caseResult(caseId);
  const record = store.reportedBurden(caseId);
  // the stored record is a typed BurdenResult (validated when read): no loose field access
  const b = record?.burden ?? null;
  const resultState =
    b === null ? 'no-burden' : result === null ? 'unsigned' : result.signature.kind === 'adjudication' ? 'adjudicated' : 'signed';
  return {
    caseId: t.caseId,
    siteId: t.siteId,
    visitLabel: t.visitLabel,
    visitOrder: t.visitOrder,
    visitDate: t.visitDate,
    resultState,
    lesionVolumeMl: b === null ? null : b.ggoVolumeMl + b.highOpacityVolumeMl,
    lungVolumeMl: b?.lungVolumeMl ?? null,
    burdenPercent: b?.burdenPercent ?? null,
    acquisition: { kernel: store.seriesMetadata(caseId).convolutionKernel, sliceSpacingMm: store.geometry(caseId).spacingMm[2] },
  };
}

/**
 * The change-from-baseline timeline of the subject a case belongs to (same protocol id and
 * subject id); null when the case has no subject id.
 */
export function subjectTimelineOf(store: CaseStore, caseId: number): SubjectTimeline | null {
  const t = getTrialInfo(store.db, caseId);
  if (!t || t.subjectId === '') return null;
  return changeFromBaseline(
    t.protocolId,
    t.subjectId,
    subjectTrialInfo(store.db, t.protocolId, t.subjectId).map((r) => timepointOf(store, r)),
  );
}
