import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DicomImportSession } from '../../../shared/dicom/dicom-import-session.ts';
import { PixelDecoderRegistry } from '../../../shared/dicom/pixel-decoder.ts';
import { trialFieldsFromDicom } from '../../../shared/trial/trial-info.ts';
import { makeCtDicom, ramp, type Attributes } from './make-dicom.ts';

// A generated 3-slice CT series written with dcmjs, with or without the Clinical Trial attributes,
// read through the real import session (the same path a folder import takes).
async function importSeries(attrs: Attributes) {
  const s = new DicomImportSession({ registry: new PixelDecoderRegistry() });
  for (const z of [0, 2, 4])
    await s.addFile(`f${z}.dcm`, makeCtDicom(ramp(4, 5, z), 4, 5, { ImagePositionPatient: [0, 0, z], StudyDate: '20240131', ...attrs }));
  const r = s.finish();
  assert.equal(r.series.length, 1);
  return r.series[0]!.metadata;
}

const TRIAL: Attributes = {
  ClinicalTrialSponsorName: 'Acme Pharma',
  ClinicalTrialProtocolID: 'COV-301',
  ClinicalTrialProtocolName: 'Phase 3 pneumonia',
  ClinicalTrialSiteID: 'S07',
  ClinicalTrialSiteName: 'Site Seven',
  ClinicalTrialSubjectID: '07-0042',
  ClinicalTrialTimePointID: 'FU2',
  ClinicalTrialTimePointDescription: 'Follow-up 2 (week 8)',
};

test('the DICOM Clinical Trial attributes (0012,xxxx) are read at import and give the trial fields', async () => {
  const meta = await importSeries(TRIAL);
  assert.deepEqual(meta.clinicalTrial, {
    sponsorName: 'Acme Pharma',
    protocolId: 'COV-301',
    protocolName: 'Phase 3 pneumonia',
    siteId: 'S07',
    siteName: 'Site Seven',
    subjectId: '07-0042',
    timePointId: 'FU2',
    timePointDescription: 'Follow-up 2 (week 8)',
  });
  assert.deepEqual(trialFieldsFromDicom(meta), {
    protocolId: 'COV-301',
    sponsorName: 'Acme Pharma',
    siteId: 'S07',
    subjectId: '07-0042',
    visitLabel: 'FU2',
    visitDescription: 'Follow-up 2 (week 8)',
    visitOrder: 2,
    visitDate: '2024-01-31',
  });
});

test('a series outside a trial carries no clinicalTrial; its visit date still defaults to the StudyDate', async () => {
  const meta = await importSeries({});
  assert.equal(meta.clinicalTrial, undefined);
  const f = trialFieldsFromDicom(meta);
  assert.equal(f.protocolId, '');
  assert.equal(f.visitOrder, null);
  assert.equal(f.visitDate, '2024-01-31');
});

test('a baseline timepoint given only by its description is visit order 0; padding spaces are trimmed', async () => {
  const meta = await importSeries({ ClinicalTrialSubjectID: ' 12 ', ClinicalTrialTimePointDescription: 'Baseline' });
  assert.equal(meta.clinicalTrial?.subjectId, '12');
  const f = trialFieldsFromDicom(meta);
  assert.equal(f.visitLabel, 'Baseline');
  assert.equal(f.visitOrder, 0);
});
