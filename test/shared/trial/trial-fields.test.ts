import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  changedTrialFields,
  EMPTY_TRIAL_FIELDS,
  hasTrialContext,
  mergeTrialFields,
  type TrialFields,
} from '../../../shared/trial/trial-info.ts';
import { COHORT_COLUMNS } from '../../../shared/export/burden-csv.ts';
import { TRIAL_COHORT_COLUMNS, trialCohortCells } from '../../../shared/trial/trial-cohort-cells.ts';
import { changeFromBaseline } from '../../../shared/trial/change-from-baseline.ts';
import { trialFieldsFromForm } from '../../../renderer/features/trial/trial-form.ts';

const dicom: TrialFields = {
  ...EMPTY_TRIAL_FIELDS,
  protocolId: 'COV-301',
  siteId: 'S07',
  subjectId: '07-0042',
  visitLabel: 'BL',
  visitOrder: 0,
  visitDate: '2024-01-05',
};

test('fields given at import override the DICOM ones only where given; a named visit brings its order', () => {
  const given = { ...EMPTY_TRIAL_FIELDS, siteId: 'S08', visitLabel: 'follow-up 2', visitOrder: 2 };
  assert.deepEqual(mergeTrialFields(dicom, given), { ...dicom, siteId: 'S08', visitLabel: 'follow-up 2', visitOrder: 2 });
  assert.deepEqual(mergeTrialFields(dicom, EMPTY_TRIAL_FIELDS), dicom, 'nothing given: the DICOM fields stay');
  assert.equal(
    mergeTrialFields(dicom, { ...EMPTY_TRIAL_FIELDS, visitLabel: 'week 4', visitOrder: null }).visitOrder,
    null,
    'a visit named without an order clears the old order',
  );
  assert.deepEqual(changedTrialFields(dicom, { ...dicom, siteId: 'S08' }), { siteId: ['S07', 'S08'] });
  assert.equal(hasTrialContext(EMPTY_TRIAL_FIELDS), false);
  assert.equal(hasTrialContext({ ...EMPTY_TRIAL_FIELDS, visitDate: '2024-01-05' }), false, 'a date alone is no trial context');
});

test('the UI form: the visit order follows the visit name when empty; bad order or date are clear errors', () => {
  const f = trialFieldsFromForm({
    protocolId: ' COV-301 ',
    siteId: 'S07',
    subjectId: '07-0042',
    visitLabel: 'Follow-up 3',
    visitOrder: '',
    visitDate: '',
    sponsorName: '',
    visitDescription: '',
  });
  assert.equal(f.protocolId, 'COV-301');
  assert.equal(f.visitOrder, 3);
  assert.equal(trialFieldsFromForm({ visitLabel: 'baseline', visitOrder: '5' }).visitOrder, 5);
  assert.throws(() => trialFieldsFromForm({ visitOrder: 'first' }), /Visit order/);
  assert.throws(() => trialFieldsFromForm({ visitDate: '05/01/2024' }), /YYYY-MM-DD/);
});

test('cohort CSV: trial columns are appended after the existing ones; empty for a case outside a trial', () => {
  assert.deepEqual(COHORT_COLUMNS.slice(-TRIAL_COHORT_COLUMNS.length), TRIAL_COHORT_COLUMNS);
  assert.deepEqual(trialCohortCells(1, undefined), {});
  const t = changeFromBaseline('COV-301', '07-0042', [
    {
      caseId: 1,
      siteId: 'S07',
      visitLabel: 'BL',
      visitOrder: 0,
      visitDate: '',
      resultState: 'signed',
      lesionVolumeMl: 0,
      lungVolumeMl: 4000,
      burdenPercent: 0,
    },
    {
      caseId: 2,
      siteId: 'S07',
      visitLabel: 'FU1',
      visitOrder: 1,
      visitDate: '',
      resultState: 'signed',
      lesionVolumeMl: 80,
      lungVolumeMl: 4000,
      burdenPercent: 2,
    },
  ]);
  const cells = trialCohortCells(2, { protocol: 'COV-301', site: 'S07', subject: '07-0042', visit: 'FU1', visitOrder: 1, longitudinal: t });
  assert.equal(cells['change_burden_pp'], 2);
  assert.equal(cells['change_lesion_volume_ml'], 80);
  assert.equal(cells['change_burden_relative_percent'], null, 'zero baseline: no relative change');
  assert.match(String(cells['change_notes']), /baseline burden is 0/);
  assert.equal(cells['change_provisional'], 0);
  assert.equal(cells['baseline_case_id'], 1);
});
