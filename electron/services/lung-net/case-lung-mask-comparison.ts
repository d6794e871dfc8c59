import type { CaseId } from '../../../shared/domain/ids.ts';
import type { LungMaskComparison } from '../../../shared/imaging/combine-lung-masks.ts';
import { parseLungMaskNote } from '../../../shared/qc/lung-mask-note.ts';
import type { CaseStore } from '../cases/case-store.ts';

/**
 * The classical-vs-learned comparison of a case's automatic lung mask: the note of its latest
 * algorithm lung version, when the combined mask made it (null otherwise). Reader edits made on top
 * of it keep the comparison (the QC flags it raises stay until a reader acknowledges them).
 */
export function caseLungMaskComparison(store: CaseStore, caseId: CaseId): LungMaskComparison | null {
  const versions = store.listLabelVersions(caseId, 'lung').filter((v) => v.author.kind === 'algorithm');
  const latest = versions.reduce<(typeof versions)[number] | null>((a, v) => (a === null || v.version > a.version ? v : a), null);
  return parseLungMaskNote(latest?.note);
}
