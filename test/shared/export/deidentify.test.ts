import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Deidentifier, shiftDicomDate } from '../../../shared/export/deidentify.ts';
import { decodeDicomSeg, encodeDicomSeg, segAlgorithmOf } from '../../../shared/export/dicom-seg.ts';
import { isValidUid } from '../../../shared/export/dicom-uid.ts';
import { parseDicom } from '../../../shared/dicom/parse-dicom.ts';
import { textValue } from '../../../shared/dicom/dataset-values.ts';
import { seriesMetadata } from '../../support/synthetic-volume.ts';

const SALT = 'unit-test-salt-0123456789';
const G = {
  size: [8, 6, 4] as const,
  spacingMm: [1, 1, 2] as const,
  originLps: [0, 0, 0] as const,
  directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] as const,
};

/** True when `needle` (ASCII/UTF-8) occurs anywhere in `hay`. */
export function containsBytes(hay: Uint8Array, needle: string): boolean {
  return Buffer.from(hay).indexOf(Buffer.from(needle, 'utf8')) >= 0;
}

test('UIDs, pseudonyms and date shifts are deterministic per salt and patient', () => {
  const a = new Deidentifier({ secretSalt: SALT });
  const b = new Deidentifier({ secretSalt: SALT });
  const c = new Deidentifier({ secretSalt: `${SALT}x` });
  assert.equal(a.uid('1.2.3.4'), b.uid('1.2.3.4'));
  assert.notEqual(a.uid('1.2.3.4'), c.uid('1.2.3.4'));
  assert.notEqual(a.uid('1.2.3.4'), a.uid('1.2.3.5'));
  assert.ok(isValidUid(a.uid('1.2.3.4')) && a.uid('1.2.3.4').startsWith('2.25.'));
  assert.equal(a.uid('1.2.840.10008.5.1.4.1.1.2'), '1.2.840.10008.5.1.4.1.1.2');
  assert.match(a.patientPseudonym('P001', 'Doe^Jane'), /^LB-[0-9A-F]{10}$/);
  const d = a.dateShiftDays('P001', 'Doe^Jane');
  assert.ok(d <= -1 && d >= -365);
  assert.equal(d, b.dateShiftDays('P001', 'Doe^Jane'));
  assert.equal(shiftDicomDate('20210301', -1), '20210228');
  assert.equal(shiftDicomDate('bad', -1), '');
  assert.throws(() => new Deidentifier({ secretSalt: 'short' }), RangeError);
});

test('a de-identified SEG holds none of the PHI, keeps its references consistent and reports its changes', () => {
  const deid = new Deidentifier({ secretSalt: SALT });
  const source = seriesMetadata({
    patientName: 'Doe^Jane',
    patientId: 'MRN-778812',
    patientBirthDate: '19600101',
    accessionNumber: 'ACC99123',
    studyInstanceUid: '1.2.826.0.1.111.1',
    seriesInstanceUid: '1.2.826.0.1.111.2',
    frameOfReferenceUid: '1.2.826.0.1.111.3',
    studyDescription: 'CT CHEST Jane',
    seriesDescription: 'LUNG 1.25',
    sopInstanceUids: [1, 2, 3, 4].map((k) => `1.2.826.0.1.111.2.${k}`),
  });
  const lesions = new Uint8Array(8 * 6 * 4);
  lesions[10] = 1;
  lesions[60] = 2;
  const bytes = encodeDicomSeg(
    {
      lesions: { ...G, data: lesions },
      lesionAlgorithm: segAlgorithmOf({ kind: 'reader', name: 'Ann Readerson' }),
      source,
      newUid: (() => {
        let n = 0;
        return () => `1.2.826.0.1.999.${++n}`;
      })(),
      createdAt: '2021-03-05T10:00:00Z',
      softwareVersion: '0.1.0',
      contentCreator: 'Ann Readerson',
    },
    (ds) => deid.dataset({ ...ds, '00091010': 'private', OtherPatientIDs: 'OLD-ID', InstitutionName: 'General Hospital' }, 'seg.dcm'),
  );
  for (const phi of [
    'Doe^Jane',
    'MRN-778812',
    '19600101',
    'ACC99123',
    '1.2.826.0.1.111',
    'CT CHEST Jane',
    'Readerson',
    'OLD-ID',
    'General Hospital',
    '20210305',
    '1.2.826.0.1.999',
  ]) {
    assert.equal(containsBytes(bytes, phi), false, `found ${phi}`);
  }
  const ds = parseDicom(bytes).dataset;
  assert.equal(textValue(ds, 'PatientName'), deid.patientPseudonym('MRN-778812', 'Doe^Jane'));
  assert.equal(textValue(ds, 'PatientIdentityRemoved'), 'YES');
  assert.equal(textValue(ds, 'StudyInstanceUID'), deid.uid('1.2.826.0.1.111.1'));
  assert.equal(textValue(ds, 'StudyDate'), shiftDicomDate('20210101', deid.dateShiftDays('MRN-778812', 'Doe^Jane')));
  const back = decodeDicomSeg(bytes, { geometry: G, sopInstanceUids: source.sopInstanceUids.map((u) => deid.uid(u)) });
  assert.equal(back.mapping, 'references');
  assert.deepEqual(back.lesions?.data, lesions);
  const report = deid.report();
  const actions = new Map(report.objects[0]!.changes.map((c) => [c.attribute, c.action]));
  assert.equal(actions.get('PatientName'), 'replaced');
  assert.equal(actions.get('00091010'), 'private-removed');
  assert.equal(actions.get('InstitutionName'), 'removed');
  assert.equal(actions.get('StudyDate'), 'date-shifted');
  assert.equal(JSON.stringify(report).includes('Doe'), false);
});

test('burned-in annotation warnings for BurnedInAnnotation=YES and Secondary Capture', () => {
  const deid = new Deidentifier({ secretSalt: SALT });
  assert.match(deid.burnedInWarning('1.2.840.10008.5.1.4.1.1.2', 'YES') ?? '', /BurnedInAnnotation/);
  assert.match(deid.burnedInWarning('1.2.840.10008.5.1.4.1.1.7') ?? '', /Secondary Capture/);
  assert.equal(deid.burnedInWarning('1.2.840.10008.5.1.4.1.1.2', 'NO'), null);
  deid.dataset({ SOPClassUID: '1.2.840.10008.5.1.4.1.1.7', PatientID: 'x', BurnedInAnnotation: 'YES' }, 'sc.dcm');
  assert.equal(deid.report().warnings.length, 1);
});
