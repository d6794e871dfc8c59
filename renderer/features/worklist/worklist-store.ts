import type { CaseSummary } from '../../../shared/domain/case.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { JobInfo } from '../../../shared/contracts/workstation.ts';
import { createStore } from '../../app/store.ts';

/** Sortable worklist columns. */
export type WorklistColumn = 'patient' | 'studyDate' | 'series' | 'slices' | 'status' | 'burden' | 'model' | 'reader' | 'uncertainty';

export interface WorklistState {
  readonly cases: readonly CaseSummary[];
  readonly loading: boolean;
  readonly error: string | null;
  readonly filter: string;
  readonly sort: { readonly column: WorklistColumn; readonly descending: boolean };
  readonly selected: CaseId | null;
  /** Running jobs: the import job, and AI runs by case. */
  readonly importJob: JobInfo | null;
  readonly analyzeJobs: Readonly<Record<number, JobInfo>>;
  /** Cases with autosaved edits not yet saved as a version. */
  readonly pending: readonly CaseId[];
}

/** The worklist feature's store. */
export const worklistStore = createStore<WorklistState>({
  cases: [],
  loading: false,
  error: null,
  filter: '',
  sort: { column: 'studyDate', descending: true },
  selected: null,
  importJob: null,
  analyzeJobs: {},
  pending: [],
});

const key: Record<WorklistColumn, (c: CaseSummary) => string | number | null> = {
  patient: (c) => `${c.patientName} ${c.patientId}`.toLowerCase(),
  studyDate: (c) => c.studyDate,
  series: (c) => `${c.seriesNumber.padStart(6, '0')} ${c.seriesDescription}`.toLowerCase(),
  slices: (c) => c.sliceCount,
  status: (c) => ['new', 'ai-done', 'in-review', 'signed'].indexOf(c.status),
  burden: (c) => c.burdenPercent,
  model: (c) => c.modelVersion,
  reader: (c) => c.lastReader?.toLowerCase() ?? null,
  uncertainty: (c) => c.uncertainty,
};

/** The rows to show: filtered by every word of the filter text, sorted (empty values last). */
export function visibleCases(s: WorklistState): CaseSummary[] {
  const words = s.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const rows = s.cases.filter((c) => {
    if (!words.length) return true;
    const text = [
      c.patientName,
      c.patientId,
      c.studyDate,
      c.studyDescription,
      c.seriesDescription,
      c.seriesNumber,
      c.status,
      c.lastReader ?? '',
      c.modelVersion ?? '',
      c.modality,
    ]
      .join(' ')
      .toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const k = key[s.sort.column];
  const dir = s.sort.descending ? -1 : 1;
  return rows.sort((a, b) => {
    const x = k(a);
    const y = k(b);
    if (x === y) return a.id - b.id;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * dir;
  });
}
