import type { CaseId } from '../../../shared/domain/ids.ts';
import type { CaseTrialInfo, TrialFields } from '../../../shared/trial/trial-info.ts';
import { createStore } from '../../app/store.ts';
import { workstationApi } from '../../app/api.ts';

export interface TrialState {
  readonly byCase: ReadonlyMap<number, CaseTrialInfo>;
  /** Worklist filter on protocol / site / subject / visit: every whitespace-separated term must match. */
  readonly filter: string;
  /** Trial fields given for the next import (applied to every case it brings); null: none. */
  readonly nextImport: TrialFields | null;
}

/** Trial information of the worklist's cases, its filter, and what the next import is given. */
export const trialStore = createStore<TrialState>({ byCase: new Map(), filter: '', nextImport: null });

/** Reloads every case's trial information. */
export async function refreshTrialInfo(): Promise<void> {
  const rows = await workstationApi().trial.list();
  trialStore.update((s) => ({ ...s, byCase: new Map(rows.map((r) => [r.caseId, r])) }));
}

/** The text a case is matched on (protocol, sponsor, site, subject, visit label and description). */
export function trialSearchText(t: CaseTrialInfo | undefined): string {
  return t ? [t.protocolId, t.sponsorName, t.siteId, t.subjectId, t.visitLabel, t.visitDescription].join(' ').toLowerCase() : '';
}

/** Whether a case passes the trial filter. */
export function passesTrialFilter(s: TrialState, caseId: CaseId): boolean {
  const terms = s.filter.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return true;
  const text = trialSearchText(s.byCase.get(caseId));
  return terms.every((t) => text.includes(t));
}
