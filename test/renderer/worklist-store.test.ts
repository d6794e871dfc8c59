import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleCases, worklistStore, type WorklistState } from '../../renderer/features/worklist/worklist-store.ts';
import type { CaseSummary } from '../../shared/domain/case.ts';
import type { CaseId, SeriesId } from '../../shared/domain/ids.ts';

const row = (id: number, over: Partial<CaseSummary>): CaseSummary => ({
  id: id as CaseId,
  seriesId: id as SeriesId,
  status: 'new',
  patientId: `P${id}`,
  patientName: `NAME^${id}`,
  studyDate: '20200101',
  studyDescription: 'CT',
  seriesDescription: 'chest',
  seriesNumber: '2',
  modality: 'CT',
  sliceCount: 100,
  burdenPercent: null,
  modelVersion: null,
  lastReader: null,
  updatedAt: '',
  uncertainty: null,
  ...over,
});

const cases = [
  row(1, { burdenPercent: 12, patientName: 'DOE^JANE' }),
  row(2, { burdenPercent: null, status: 'signed' }),
  row(3, { burdenPercent: 3, lastReader: 'Dr Who' }),
];
const state = (over: Partial<WorklistState>): WorklistState => ({ ...worklistStore.get(), cases, ...over });

test('sorts by a column both ways with empty values last', () => {
  assert.deepEqual(
    visibleCases(state({ sort: { column: 'burden', descending: false } })).map((c) => c.id),
    [3, 1, 2],
  );
  assert.deepEqual(
    visibleCases(state({ sort: { column: 'burden', descending: true } })).map((c) => c.id),
    [1, 3, 2],
  );
  assert.deepEqual(visibleCases(state({ sort: { column: 'status', descending: true } })).map((c) => c.id)[0], 2);
});

test('filter matches every word, case-insensitively, across columns', () => {
  assert.deepEqual(
    visibleCases(state({ filter: 'jane' })).map((c) => c.id),
    [1],
  );
  assert.deepEqual(
    visibleCases(state({ filter: 'dr who' })).map((c) => c.id),
    [3],
  );
  assert.deepEqual(
    visibleCases(state({ filter: 'signed' })).map((c) => c.id),
    [2],
  );
  assert.equal(visibleCases(state({ filter: 'nomatch' })).length, 0);
});
