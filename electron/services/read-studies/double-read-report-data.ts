import type { CaseId } from '../../../shared/domain/ids.ts';
import type { SignatureInfo } from '../../../shared/domain/reader.ts';
import type { DoubleReadReport, DoubleReadSignature } from '../../../shared/export/double-read-report.ts';
import type { CaseStore } from '../cases/case-store.ts';
import { ReadRouting } from './read-routing.ts';
import { ReadStudies } from './read-studies.ts';

/**
 * The double-read section of a case report: both signed reads (each with its own burden), the
 * stored agreement, the adjudication, and which signature is the result. Null outside double-read
 * studies.
 */
export function doubleReadReport(store: CaseStore, caseId: CaseId): DoubleReadReport | null {
  const studies = new ReadStudies(store);
  const routing = new ReadRouting(store, studies);
  const a = routing.doubleRead(caseId);
  if (!a) return null;
  const reads = routing.signedReads(caseId, a);
  const agreement = reads.read1 && reads.read2 ? routing.agreement(caseId) : null;
  const burdenOf = (g: SignatureInfo): number | null => {
    const b = store.burdenOf(caseId, g.lesionVersionId, g.lungVersionId)?.burden['burdenPercent'];
    return typeof b === 'number' ? b : null;
  };
  const sig = (g: SignatureInfo | null, burden: number | null | undefined): DoubleReadSignature | null => {
    if (!g) return null;
    const v = store.labelVersion(g.lesionVersionId);
    const parent = v.parentId !== null ? store.labelVersion(v.parentId) : null;
    return {
      reader: g.readerName,
      login: g.readerLogin,
      role: g.readerRole,
      signedAt: g.signedAt,
      meaning: g.meaning,
      lesionVersion: v.version,
      burdenPercent: burden ?? burdenOf(g),
      ...(g.kind === 'adjudication' ? { reason: g.reason, pickedVersion: parent && parent.signed ? parent.version : null } : {}),
    };
  };
  const adjudication =
    store
      .signatures(caseId)
      .filter((g) => g.kind === 'adjudication')
      .at(-1) ?? null;
  const result = store.caseResult(caseId);
  const resultText = !result
    ? reads.read1 && reads.read2
      ? 'none yet: the reads differ beyond the study thresholds and await adjudication'
      : 'none yet: the blinded reads are not both signed'
    : result.signature.kind === 'adjudication'
      ? `the adjudication by ${result.signature.readerName}`
      : `read 1 by ${result.signature.readerName} (${agreement?.withinThresholds ? 'the reads agree within the thresholds' : `the study design (${a.study.design}) takes read 1`})`;
  return {
    protocolId: a.study.protocolId,
    studyTitle: a.study.title,
    design: a.study.design,
    read1: sig(reads.read1, agreement?.read1.burdenPercent),
    read2: sig(reads.read2, agreement?.read2.burdenPercent),
    agreement: agreement
      ? {
          lesionDice: agreement.dice.lesion,
          burdenDiffPp: agreement.burdenDiffPp,
          lesionVolumeDiffMl: agreement.volumeDiffMl.lesion,
          withinThresholds: agreement.withinThresholds,
          exceeded: agreement.exceeded,
        }
      : null,
    adjudication: sig(adjudication, null),
    result: resultText,
  };
}
