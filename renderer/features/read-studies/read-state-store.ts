import type { CaseId } from '../../../shared/domain/ids.ts';
import type { CaseReadState, CaseReadView } from '../../../shared/domain/read-study.ts';
import { createStore } from '../../app/store.ts';
import { workstationApi } from '../../app/api.ts';

/** Worklist read-study filter: every case, the signed-in reader's assignments, or one read state. */
export type ReadFilter = 'all' | 'mine' | CaseReadState;

export interface ReadStateStore {
  readonly byCase: ReadonlyMap<number, CaseReadView>;
  readonly filter: ReadFilter;
}

/** The read-study state of the worklist's cases (as the signed-in reader may see it) and the filter. */
export const readStateStore = createStore<ReadStateStore>({ byCase: new Map(), filter: 'all' });

/** Reloads the read-study state of every assigned case. */
export async function refreshReadStates(): Promise<void> {
  const rows = await workstationApi().readStudies.caseStates();
  readStateStore.update((s) => ({ ...s, byCase: new Map(rows.map((r) => [r.caseId as number, r])) }));
}

/** Whether a case passes the read-study filter. */
export function passesReadFilter(s: ReadStateStore, caseId: CaseId): boolean {
  if (s.filter === 'all') return true;
  const r = s.byCase.get(caseId);
  if (!r) return false;
  return s.filter === 'mine' ? r.mySlots.length > 0 : r.state === s.filter;
}
