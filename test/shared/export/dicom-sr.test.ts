import { test } from 'node:test';
import assert from 'node:assert/strict';
import dcmjs from 'dcmjs';
import {
  buildMeasurementReport,
  DicomSrError,
  encodeMeasurementReport,
  type MeasurementReportInput,
} from '../../../shared/export/dicom-sr.ts';
import { SR_CODES } from '../../../shared/export/sr-codes.ts';
import { srMeasurementGroups, srRegionsOf } from '../../../shared/export/sr-measurement-groups.ts';
import { buildEncapsulatedPdf, encodeEncapsulatedPdf, ENCAPSULATED_PDF_SOP_CLASS_UID } from '../../../shared/export/encapsulated-pdf.ts';
import { seriesMetadata } from '../../support/synthetic-volume.ts';

const region = (lung: number, ggo: number, ho: number) => ({
  lungVolumeMl: lung,
  ggoVolumeMl: ggo,
  highOpacityVolumeMl: ho,
  lesionVolumeMl: ggo + ho,
  burdenPercent: ((ggo + ho) / lung) * 100,
  ggoBurdenPercent: (ggo / lung) * 100,
  highOpacityBurdenPercent: (ho / lung) * 100,
});
const zones = (f: number) => ({ upper: region(100 * f, 1, 0.5), middle: region(200 * f, 2, 1), lower: region(150 * f, 3.25, 0) });
const RECORD = {
  ...region(900, 12.5, 3),
  right: region(480, 7, 2),
  left: region(420, 5.5, 1),
  zones: zones(2),
  zonesByLung: { right: zones(1), left: zones(1) },
  highOpacityHuFraction: 20,
  lesionOutsideLungMl: 0,
  definitions: 'lung-burden-v1' as const,
};

let n = 0;
const input = (over: Partial<MeasurementReportInput> = {}): MeasurementReportInput => ({
  burden: RECORD,
  source: seriesMetadata({ sopInstanceUids: ['1.2.3.1', '1.2.3.2', '1.2.3.2'], studyInstanceUid: '1.2.3', seriesInstanceUid: '1.2.3.0' }),
  seg: {
    sopInstanceUid: '1.2.4.1',
    seriesInstanceUid: '1.2.4',
    ggoSegment: 1,
    highOpacitySegment: 2,
    rightLungSegment: 3,
    leftLungSegment: 4,
  },
  device: { uid: '2.25.1234', name: 'lung-burden-convlstm-fast', version: '1.2.0', manufacturer: 'Lung Burden' },
  signOff: null,
  newUid: () => `2.25.${++n}`,
  createdAt: '2026-12-01T10:00:00Z',
  seriesNumber: 951,
  softwareVersion: '0.1.0',
  ...over,
});

type Ds = Record<string, unknown>;
const children = (ds: Ds): Ds[] => (ds['ContentSequence'] as Ds[] | undefined) ?? [];
const nameOf = (ds: Ds): string => String(((ds['ConceptNameCodeSequence'] as Ds[])[0] as Ds)['CodeValue']);

test('regions and groups: 12 regions × (lung, GGO, high opacity, lesion), segments only where one segment is the ROI', () => {
  const regions = srRegionsOf(RECORD);
  assert.deepEqual(
    regions.map((r) => r.key),
    [
      'both',
      'right',
      'left',
      'right_upper',
      'right_middle',
      'right_lower',
      'left_upper',
      'left_middle',
      'left_lower',
      'zone_upper',
      'zone_middle',
      'zone_lower',
    ],
  );
  const groups = srMeasurementGroups(regions, input().seg);
  assert.equal(groups.length, 48);
  const g = (id: string) => groups.find((x) => x.trackingId === id);
  assert.equal(g('right/lung')?.segmentNumber, 3);
  assert.equal(g('left_lower/lung')?.segmentNumber, 4);
  assert.equal(g('both/lung')?.segmentNumber, null);
  assert.equal(g('zone_middle/ggo')?.segmentNumber, 1);
  assert.equal(g('both/lesion')?.segmentNumber, null);
  assert.equal(g('both/lesion')?.percentOfLung, RECORD.burdenPercent);
  assert.equal(g('right_lower/high-opacity')?.volumeMl, 0);
});

test('document: TID 1500 root, observer context, flags by sign-off, unique source instances', () => {
  const pre = buildMeasurementReport(input());
  assert.equal(pre['VerificationFlag'], 'UNVERIFIED');
  assert.equal(pre['CompletionFlag'], 'PARTIAL');
  assert.equal(pre['PreliminaryFlag'], 'PRELIMINARY');
  assert.equal((pre['ContentTemplateSequence'] as Ds[])[0]?.['TemplateIdentifier'], '1500');
  const root = children(pre);
  assert.deepEqual(root.map(nameOf).slice(0, 1), ['121049']);
  assert.ok(!root.some((c) => nameOf(c) === SR_CODES.personObserverName.value), 'no person without sign-off or reader edit');
  const library = root.find((c) => nameOf(c) === '111028') as Ds;
  assert.equal(children(children(library)[0] as Ds).length, 2, 'each source instance once');
  const measurements = root.find((c) => nameOf(c) === '126010') as Ds;
  assert.equal(children(measurements).length, 48);

  const signed = buildMeasurementReport(
    input({ signOff: { reader: 'Jane Reader', signedAt: '2026-12-01T11:00:00Z', organization: 'Core lab' } }),
  );
  assert.equal(signed['VerificationFlag'], 'VERIFIED');
  assert.equal(signed['CompletionFlag'], 'COMPLETE');
  const vo = (signed['VerifyingObserverSequence'] as Ds[])[0] as Ds;
  assert.deepEqual(vo['VerifyingObserverName'], [{ Alphabetic: 'Reader^Jane' }]);
  assert.equal(vo['VerificationDateTime'], '20261201110000');
  assert.ok(children(signed).some((c) => nameOf(c) === SR_CODES.personObserverName.value));
});

test('Part-10 round trip keeps the numbers (DS, ≤ 16 characters) and the units', () => {
  const bytes = encodeMeasurementReport(input());
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(
    dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).dict,
  ) as Ds;
  const seq = (v: unknown): Ds[] => (Array.isArray(v) ? (v as Ds[]) : v ? [v as Ds] : []);
  const measurements = seq(ds['ContentSequence']).find(
    (c) => String(seq(c['ConceptNameCodeSequence'])[0]?.['CodeValue']) === '126010',
  ) as Ds;
  const first = seq(measurements['ContentSequence'])[0] as Ds;
  const nums = seq(first['ContentSequence']).filter((c) => c['ValueType'] === 'NUM');
  const mv = seq(nums[0]?.['MeasuredValueSequence'])[0] as Ds;
  assert.equal(Number(mv['NumericValue']), 900);
  assert.equal(seq(mv['MeasurementUnitsCodeSequence'])[0]?.['CodeValue'], 'ml');
});

test('a NIfTI case (no DICOM source) is refused with no-dicom-source', () => {
  assert.throws(
    () => buildMeasurementReport(input({ source: seriesMetadata({ studyInstanceUid: '', sopInstanceUids: [] }) })),
    (e: unknown) => e instanceof DicomSrError && e.code === 'no-dicom-source',
  );
});

test('encapsulated PDF: odd length padded with the true length kept; not a PDF is refused', () => {
  const pdf = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');
  assert.equal(pdf.length % 2, 1);
  const ds = buildEncapsulatedPdf({
    pdf,
    source: seriesMetadata({ studyInstanceUid: '1.2.3' }),
    documentTitle: 'Report',
    newUid: () => `2.25.${++n}`,
    createdAt: '2026-12-01T10:00:00Z',
    seriesNumber: 961,
    softwareVersion: '0.1.0',
  });
  assert.equal(ds['SOPClassUID'], ENCAPSULATED_PDF_SOP_CLASS_UID);
  assert.equal(ds['EncapsulatedDocumentLength'], pdf.length);
  assert.equal((ds['EncapsulatedDocument'] as ArrayBuffer).byteLength, pdf.length + 1);
  assert.ok(
    encodeEncapsulatedPdf({
      pdf,
      source: seriesMetadata({ studyInstanceUid: '1.2.3' }),
      documentTitle: 'Report',
      newUid: () => `2.25.${++n}`,
      createdAt: '2026-12-01T10:00:00Z',
      seriesNumber: 961,
      softwareVersion: '0.1.0',
    }).length > pdf.length,
  );
  assert.throws(
    () =>
      buildEncapsulatedPdf({
        pdf: new Uint8Array([1, 2, 3, 4, 5, 6]),
        source: seriesMetadata({ studyInstanceUid: '1.2.3' }),
        documentTitle: 'x',
        newUid: () => '2.25.9',
        createdAt: '2026-12-01T10:00:00Z',
        seriesNumber: 1,
        softwareVersion: '0',
      }),
    /not a PDF/,
  );
});
