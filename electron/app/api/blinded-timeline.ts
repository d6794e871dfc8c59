import type { CaseId } from '../../../shared/domain/ids.ts';
import { changeFromBaseline, type SubjectTimeline, type TimepointInput } from '../../../shared/trial/change-from-baseline.ts';
import type { BlindingPolicy } from '../../services/read-studies/blinding-policy.ts';

/**
 * A subject's change-from-baseline timeline as a blinded viewer may see it: a timepoint whose case
 * has open blinded reads shows the burden of the viewer's own (or the AI) version, marked unsigned,
 * never the other reader's latest burden; the changes are computed again from those figures.
 */
export function blindedTimeline(tl: SubjectTimeline | null, policy: BlindingPolicy): SubjectTimeline | null {
  if (!tl) return null;
  const hiddenCases = new Set<number>();
  const points = tl.timepoints.map((tp): TimepointInput => {
    const input: TimepointInput = {
      caseId: tp.caseId,
      siteId: tp.siteId,
      visitLabel: tp.visitLabel,
      visitOrder: tp.visitOrder,
      visitDate: tp.visitDate,
      resultState: tp.resultState,
      lesionVolumeMl: tp.lesionVolumeMl,
      lungVolumeMl: tp.lungVolumeMl,
      burdenPercent: tp.burdenPercent,
      ...(tp.acquisition ? { acquisition: tp.acquisition } : {}),
    };
    const ctx = policy.contextFor(tp.caseId as CaseId);
    if (!ctx) return input;
    hiddenCases.add(tp.caseId);
    const b = policy.burden(tp.caseId as CaseId, ctx);
    const ggo = typeof b?.ggoVolumeMl === 'number' ? b.ggoVolumeMl : null;
    const ho = typeof b?.highOpacityVolumeMl === 'number' ? b.highOpacityVolumeMl : null;
    return {
      ...input,
      resultState: b ? 'unsigned' : 'no-burden',
      burdenPercent: b?.burdenPercent ?? null,
      lungVolumeMl: b?.lungVolumeMl ?? null,
      lesionVolumeMl: ggo === null || ho === null ? null : ggo + ho,
    };
  });
  return hiddenCases.size > 0 ? changeFromBaseline(tl.protocolId, tl.subjectId, points) : tl;
}
