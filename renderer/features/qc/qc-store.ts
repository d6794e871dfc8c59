import type { CaseQcSummary } from '../../../shared/contracts/qc.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { createStore } from '../../app/store.ts';
import { workstationApi } from '../../app/api.ts';

/** Worklist QC filter: every case, or only those with a flag of at least this kind. */
export type QcFilter = 'all' | 'blocking' | 'unacknowledged' | 'warning' | 'clean';

export interface QcState {
  readonly byCase: ReadonlyMap<number, CaseQcSummary>;
  readonly filter: QcFilter;
}

/** QC summaries of the worklist's cases and the QC filter (the worklist store stays as it is). */
export const qcStore = createStore<QcState>({ byCase: new Map(), filter: 'all' });

/** Reloads every case's QC summary. */
export async function refreshQcSummaries(): Promise<void> {
  const rows = await workstationApi().qc.summaries();
  qcStore.update((s) => ({ ...s, byCase: new Map(rows.map((r) => [r.caseId as number, r])) }));
}

/** Whether a case passes the QC filter. */
export function passesQcFilter(s: QcState, caseId: CaseId): boolean {
  const q = s.byCase.get(caseId);
  switch (s.filter) {
    case 'all':
      return true;
    case 'blocking':
      return (q?.blocking ?? 0) > 0;
    case 'unacknowledged':
      return (q?.unacknowledgedBlocking ?? 0) > 0;
    case 'warning':
      return (q?.blocking ?? 0) + (q?.warning ?? 0) > 0;
    case 'clean':
      return (q?.blocking ?? 0) + (q?.warning ?? 0) === 0;
  }
}
