import type { LabelVersionId, CaseId } from '../../../shared/domain/ids.ts';
import type { ReaderRole } from '../../../shared/domain/reader.ts';
import type { AuditActor } from '../audit/audit-trail.ts';

/** What {@link CaseStore.recordSignature} stores: who signed which lesion + lung versions, meaning it how. */
export interface SignatureInput {
  readonly caseId: CaseId;
  readonly kind: 'read' | 'adjudication';
  readonly lesionVersionId: LabelVersionId;
  readonly lungVersionId: LabelVersionId;
  readonly reader: { readonly id: number; readonly login: string; readonly displayName: string; readonly role: ReaderRole };
  readonly meaning: string;
  readonly reason?: string;
}

/** Options of a label save: the parent edited, a note, the model's mean entropy, who saved it (audit). */
export interface LabelVersionOptions {
  readonly parentId?: LabelVersionId | null;
  readonly note?: string;
  readonly meanEntropy?: number | null;
  /** Actor recorded in the audit trail (default: the reader author, else the system). */
  readonly by?: AuditActor;
}
