import type { CaseDetail } from '../../../shared/domain/case.ts';
import type { ReaderView } from '../../../shared/domain/reader.ts';

/** True when the case has signed reads by two different readers and `reader` may adjudicate it. */
export function canAdjudicate(detail: CaseDetail, reader: ReaderView | null): boolean {
  if (!reader || (reader.role !== 'adjudicator' && reader.role !== 'admin')) return false;
  const reads = detail.labelVersions.flatMap((v) => (v.signature && v.signature.kind === 'read' ? [v.signature] : []));
  const readers = new Set(reads.map((g) => g.readerId));
  return readers.size >= 2 && !readers.has(reader.id);
}
