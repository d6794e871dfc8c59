import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaseDetail, LabelVersionInfo } from '../../../shared/domain/case.ts';
import { asCaseId, asLabelVersionId, asSeriesId } from '../../../shared/domain/ids.ts';
import { buildReportData, formatPersonName } from '../../../shared/export/report-data.ts';
import type { ReportInput } from '../../../shared/export/report-input.ts';
import { burdenCsv, COHORT_COLUMNS, cohortRow, failedCohortRow } from '../../../shared/export/burden-csv.ts';
import { parseCsv } from '../../../shared/export/csv-table.ts';
import { ReportDataError } from '../../../shared/export/report-burden.ts';
import { seriesMetadata } from '../../support/synthetic-volume.ts';
import { computeBurden, type BurdenResult } from '../../../shared/imaging/burden.ts';
import { parseBurdenResult } from '../../../shared/imaging/burden-result-schema.ts';

const version = (
  id: number,
  kind: 'lesion' | 'lung',
  v: number,
  author: LabelVersionInfo['author'],
  parentId: number | null,
  signed = false,
): LabelVersionInfo => ({
  id: asLabelVersionId(id),
  caseId: asCaseId(7),
  kind,
  version: v,
  parentId: parentId === null ? null : asLabelVersionId(parentId),
  author,
  createdAt: `2024-01-0${id}T10:00:00.000Z`,
  note: '',
  signed,
  sha256: 'x',
  counts: [],
});
const versions = [
  version(1, 'lung', 1, { kind: 'algorithm', name: 'lung mask v1' }, null),
  version(2, 'lesion', 1, { kind: 'model', name: 'convlstm 2.1', modelName: 'convlstm', modelVersion: '2.1' }, null),
  version(3, 'lesion', 2, { kind: 'reader', name: 'Dr Who' }, 2, true),
];
const detail: CaseDetail = {
  id: asCaseId(7),
  seriesId: asSeriesId(1),
  status: 'signed',
  patientId: 'P001',
  patientName: 'Doe^Jane',
  studyDate: '20210101',
  studyDescription: 'CT CHEST',
  seriesDescription: 'LUNG 1.25',
  seriesNumber: '2',
  modality: 'CT',
  sliceCount: 100,
  burdenPercent: 12.5,
  modelVersion: 'convlstm 2.1',
  lastReader: 'Dr Who',
  updatedAt: '2024-01-03T10:00:00.000Z',
  uncertainty: null,
  geometry: { size: [512, 512, 100], spacingMm: [0.7, 0.7, 2.5], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
  sourcePath: '/data/x',
  sourceKind: 'dicom',
  issues: [{ severity: 'warning', code: 'gap', message: 'slice gap at 40' }],
  labelVersions: versions,
};
/** One region's figures from its volumes (mL), the way computeBurden derives the percentages. */
const reg = (lung: number, ggo: number, high: number) => ({
  lungVolumeMl: lung,
  ggoVolumeMl: ggo,
  highOpacityVolumeMl: high,
  lesionVolumeMl: ggo + high,
  burdenPercent: ((ggo + high) / lung) * 100,
  ggoBurdenPercent: (ggo / lung) * 100,
  highOpacityBurdenPercent: (high / lung) * 100,
});
const burden: BurdenResult = {
  ...reg(4000, 400, 100),
  highOpacityHuFraction: 20,
  lesionOutsideLungMl: 0,
  definitions: 'lung-burden-v1',
  right: reg(2100, 400, 0),
  left: reg(1900, 0, 100),
  zonesByLung: {
    right: { upper: reg(700, 0, 0), middle: reg(700, 400, 0), lower: reg(700, 0, 0) },
    left: { upper: reg(600, 0, 0), middle: reg(700, 0, 100), lower: reg(600, 0, 0) },
  },
  zones: { upper: reg(1300, 0, 0), middle: reg(1400, 400, 100), lower: reg(1300, 0, 0) },
};
const input: ReportInput = {
  caseDetail: detail,
  series: seriesMetadata(),
  burdenRecord: { lesionVersionId: asLabelVersionId(3), lungVersionId: asLabelVersionId(1), createdAt: '2024-01-03T10:01:00.000Z', burden },
  signOffs: [{ labelVersionId: asLabelVersionId(3), reader: 'Dr Who', signedAt: '2024-01-03T10:00:30.000Z' }],
  generatedAt: '2024-02-01T00:00:00.000Z',
  software: { name: 'Lung Burden', version: '0.1.0' },
};

test('report model: identifiers, figures, severity, provenance back to the model', () => {
  const r = buildReportData(input);
  assert.equal(r.patient.name, 'Doe, Jane');
  assert.equal(r.patient.birthDate, '1960-01-01');
  assert.equal(r.study.date, '2021-01-01');
  assert.equal(r.burden.burdenPercent, 12.5);
  assert.deepEqual(
    r.table.map((t) => t.percentOfLung),
    [null, 10, 2.5, 12.5],
  );
  assert.equal(r.severity.score, 2);
  assert.match(r.severity.reference, /Radiology 2020/);
  assert.deepEqual(r.provenance.model, { name: 'convlstm', version: '2.1' });
  assert.equal(r.provenance.signOff?.reader, 'Dr Who');
  assert.match(r.provenance.review, /signed by Dr Who on 2024-01-03T10:00:30.000Z \(edited by Dr Who\)/);
  assert.match(r.provenance.automatic, /initial lesion labels by the model convlstm 2\.1/);
  assert.deepEqual(
    r.burden.regions.map((g) => g.key),
    ['right', 'right_upper', 'right_middle', 'right_lower', 'left', 'left_upper', 'left_middle', 'left_lower', 'upper', 'middle', 'lower'],
  );
  assert.equal(r.burden.highOpacityHuFractionPercent, 20);
  assert.deepEqual(r.series.importWarnings, ['warning: slice gap at 40']);
});

test('an unsigned model result says so; a pseudonym hides identifiers', () => {
  const r = buildReportData({
    ...input,
    burdenRecord: { ...input.burdenRecord, lesionVersionId: asLabelVersionId(2) },
    pseudonym: 'LB-abc',
  });
  assert.equal(r.provenance.signOff, null);
  assert.match(r.provenance.review, /NOT reviewed or signed/);
  assert.equal(r.patient.id, 'LB-abc');
  assert.equal(r.patient.name, '');
  assert.equal(r.patient.birthDate, '');
  assert.equal(r.study.accessionNumber, '');
  assert.equal(r.series.seriesInstanceUid, '');
  assert.ok(!JSON.stringify(r).includes('Doe'));
});

test('a burden record of a foreign version is a ReportDataError (records without figures are refused by the store: case-store.test)', () => {
  assert.throws(
    () => buildReportData({ ...input, burdenRecord: { ...input.burdenRecord, lesionVersionId: asLabelVersionId(99) } }),
    ReportDataError,
  );
  assert.throws(
    () => buildReportData({ ...input, burdenRecord: { ...input.burdenRecord, lesionVersionId: asLabelVersionId(99) } }),
    /not a version of case 7/,
  );
});

test('cohort CSV: units in the headers, one row per case, failed rows keep their reason', () => {
  const r = buildReportData(input);
  const text = burdenCsv([cohortRow(r, 'site1/p001'), failedCohortRow('site1/broken', 'ImportPathError: no importable CT series')]);
  const { columns, rows } = parseCsv(text);
  assert.deepEqual(columns, COHORT_COLUMNS);
  for (const c of [
    'lung_volume_ml',
    'ggo_volume_ml',
    'high_opacity_volume_ml',
    'burden_percent',
    'right_burden_percent',
    'slice_thickness_mm',
  ]) {
    assert.ok(columns.includes(c), c);
  }
  assert.equal(rows[0]!['burden_percent'], '12.5');
  assert.equal(rows[0]!['lung_volume_ml'], '4000');
  assert.equal(rows[0]!['right_lung_volume_ml'], '2100');
  assert.equal(rows[0]!['left_lesion_volume_ml'], '100');
  assert.equal(rows[0]!['signed_by'], 'Dr Who');
  assert.equal(rows[0]!['severity_score'], '2');
  assert.equal(rows[1]!['status'], 'failed');
  assert.match(rows[1]!['error']!, /no importable/);
});

test('cohort CSV: per-lung zone columns are filled from a burden record as computeBurden stores it', () => {
  // Two lungs side by side over 12 slices; GGO only in the right lung's lowest third, high opacity
  // filling the left lung's upper third.
  const size: [number, number, number] = [8, 4, 12];
  const n = size[0] * size[1] * size[2];
  const geometry = {
    size,
    spacingMm: [1, 1, 1] as [number, number, number],
    originLps: [0, 0, 0] as [number, number, number],
    directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1] as [number, number, number, number, number, number, number, number, number],
  };
  const lung = new Uint8Array(n);
  const lesion = new Uint8Array(n);
  for (let k = 0; k < 12; k++)
    for (let j = 0; j < 4; j++)
      for (let i = 0; i < 8; i++) {
        const x = i + j * 8 + k * 32;
        lung[x] = i < 4 ? 2 : 1; // LPS: i grows towards the patient's left
        if (i < 4 && k >= 8) lesion[x] = 2;
        if (i >= 4 && k < 4 && j < 2) lesion[x] = 1;
      }
  // through JSON and the store's reader, as a stored record is
  const stored = parseBurdenResult(
    JSON.parse(JSON.stringify(computeBurden({ ...geometry, data: new Int16Array(n).fill(-700) }, { ...geometry, data: lung }, lesion))),
  );
  assert.ok(stored.ok);
  const r = buildReportData({ ...input, burdenRecord: { ...input.burdenRecord, burden: stored.burden } });
  const row = parseCsv(burdenCsv([cohortRow(r)])).rows[0]!;
  const empty = COHORT_COLUMNS.filter((c) => /^(right|left)_(upper|middle|lower)_/.test(c) && row[c] === '');
  assert.deepEqual(empty, [], 'no per-lung zone column is empty');
  // k grows superior (LPS): the right lung's GGO is in its lower third, the left's high opacity upper.
  assert.equal(Number(row['right_lower_lesion_volume_ml']), 0.032);
  assert.equal(Number(row['right_middle_lesion_volume_ml']), 0);
  assert.equal(Number(row['right_upper_lesion_volume_ml']), 0);
  assert.equal(Number(row['left_upper_lesion_volume_ml']), 0.064);
  assert.equal(Number(row['left_upper_burden_percent']), 100);
  assert.equal(Number(row['left_lesion_volume_ml']), 0.064);
  assert.equal(Number(row['right_lung_volume_ml']) + Number(row['left_lung_volume_ml']), Number(row['lung_volume_ml']));
  assert.ok(Number(row['upper_lung_volume_ml']) > 0, 'both-lung thirds are filled too');
});

test('person names', () => {
  assert.equal(formatPersonName('Doe^John^Q'), 'Doe, John Q');
  assert.equal(formatPersonName('Anonymous'), 'Anonymous');
});
