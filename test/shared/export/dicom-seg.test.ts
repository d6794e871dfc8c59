import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeDicomSeg,
  DicomSegError,
  encodeDicomSeg,
  formatDs,
  lesionSegAlgorithms,
  LOCAL_CODING_SCHEME,
  personName,
  segAlgorithmOf,
} from '../../../shared/export/dicom-seg.ts';
import type { VolumeGeometry } from '../../../shared/domain/volume.ts';
import { parseDicom } from '../../../shared/dicom/parse-dicom.ts';
import { numberValue, sequenceItems, textValue } from '../../../shared/dicom/dataset-values.ts';
import {
  SEG_AI_AUTHOR as AI,
  SEG_GEOMETRY as G,
  SEG_VOXELS as N,
  segTestInput as input,
  segTestMaps as maps,
} from '../../support/dicom-seg-fixture.ts';
import { seriesMetadata } from '../../support/synthetic-volume.ts';

test('label map → SEG → label map is exact (by references and by positions)', () => {
  const inp = input();
  const bytes = encodeDicomSeg(inp);
  const byRef = decodeDicomSeg(bytes, { geometry: G, sopInstanceUids: inp.source.sopInstanceUids });
  assert.equal(byRef.mapping, 'references');
  assert.deepEqual(byRef.lesions?.data, inp.lesions.data);
  assert.deepEqual(byRef.lung?.data, inp.lung?.labels.data);
  assert.deepEqual(
    byRef.segments.map((s) => [s.number, s.role, s.algorithmType]),
    [
      [1, 'ggo', 'MANUAL'],
      [2, 'highOpacity', 'MANUAL'],
      [3, 'lungRight', 'AUTOMATIC'],
      [4, 'lungLeft', 'AUTOMATIC'],
    ],
  );
  const byPos = decodeDicomSeg(bytes, { geometry: G });
  assert.equal(byPos.mapping, 'positions');
  assert.deepEqual(byPos.lesions?.data, inp.lesions.data);
  assert.equal(byPos.referencedSeriesInstanceUid, '1.2.3.4.5');
});

test('frames: segment-major, slice order, only non-empty; an all-empty map gives one empty frame', () => {
  const { lesions } = maps();
  const only = new Uint8Array(N);
  only[3 * 143 + 5] = 2; // slice 3, high opacity
  only[1 * 143 + 7] = 1; // slice 1, GGO
  const bytes = encodeDicomSeg(input({ lesions: { ...G, data: only }, lung: undefined as never }));
  const frames = sequenceItems(parseDicom(bytes).dataset, 'PerFrameFunctionalGroupsSequence').map((f) => [
    numberValue(sequenceItems(f, 'SegmentIdentificationSequence')[0]!, 'ReferencedSegmentNumber'),
    textValue(sequenceItems(sequenceItems(f, 'DerivationImageSequence')[0]!, 'SourceImageSequence')[0]!, 'ReferencedSOPInstanceUID'),
  ]);
  assert.deepEqual(frames, [
    [1, '1.2.3.4.5.2'],
    [2, '1.2.3.4.5.4'],
  ]);
  const empty = encodeDicomSeg(input({ lesions: { ...lesions, data: new Uint8Array(N) }, lung: undefined as never }));
  const d = decodeDicomSeg(empty, { geometry: G });
  assert.equal(
    d.lesions?.data.some((v) => v !== 0),
    false,
  );
});

test('a case without DICOM source instances cannot become a SEG (clear error)', () => {
  assert.throws(
    () => encodeDicomSeg(input({ source: seriesMetadata({ sopInstanceUids: [] }) })),
    (e: unknown) => e instanceof DicomSegError && e.code === 'no-dicom-source',
  );
  const other: VolumeGeometry = { ...G, size: [12, 11, 6] };
  assert.throws(
    () => decodeDicomSeg(encodeDicomSeg(input()), { geometry: other }),
    (e: unknown) => e instanceof DicomSegError && e.code === 'geometry-mismatch',
  );
  assert.throws(() => decodeDicomSeg(new Uint8Array(200), { geometry: G }), DicomSegError);
});

test('helpers: DS strings fit 16 characters, person names get a caret, model authors are AUTOMATIC', () => {
  for (const x of [0.7, -123.456789012345, 1e-9, 123456789.123456, -0]) assert.ok(formatDs(x).length <= 16, formatDs(x));
  assert.equal(personName('Jane Reader'), 'Reader^Jane');
  assert.equal(personName('Doe^John'), 'Doe^John');
  assert.deepEqual(segAlgorithmOf({ kind: 'model', name: 'convlstm 1.2.0', modelName: 'convlstm', modelVersion: '1.2.0' }), {
    type: 'AUTOMATIC',
    name: 'convlstm',
    version: '1.2.0',
    family: 'ai',
  });
});

test('algorithm types: untouched AI output AUTOMATIC, AI then edited SEMIAUTOMATIC (per class), drawn from empty MANUAL', () => {
  const reader = { kind: 'reader', name: 'Jane Reader' } as const;
  const ai = segAlgorithmOf(AI);
  assert.deepEqual(
    lesionSegAlgorithms(AI, null, () => true),
    { ggo: ai, highOpacity: ai },
  );
  assert.deepEqual(
    lesionSegAlgorithms(reader, AI, (l) => l === 2),
    { ggo: ai, highOpacity: { ...ai, type: 'SEMIAUTOMATIC' } },
  );
  assert.deepEqual(
    lesionSegAlgorithms(reader, null, () => false),
    { ggo: { type: 'MANUAL' }, highOpacity: { type: 'MANUAL' } },
  );
  const classical = { kind: 'algorithm', name: 'threshold v2' } as const;
  assert.equal(lesionSegAlgorithms(reader, classical, () => true).ggo.type, 'SEMIAUTOMATIC');

  const bytes = encodeDicomSeg(input({ lesionAlgorithms: lesionSegAlgorithms(reader, AI, () => true) }));
  const ds = parseDicom(bytes).dataset;
  const segs = sequenceItems(ds, 'SegmentSequence');
  assert.deepEqual(
    segs.map((s) => textValue(s, 'SegmentAlgorithmType')),
    ['SEMIAUTOMATIC', 'SEMIAUTOMATIC', 'AUTOMATIC', 'AUTOMATIC'],
  );
  assert.equal(textValue(segs[0]!, 'SegmentAlgorithmName'), 'convlstm');
  assert.equal(textValue(ds, 'ContentCreatorName'), 'Reader^Jane');
});

test('study attributes come from the source; high opacity is coded as consolidation + pleural effusion', () => {
  const source = seriesMetadata({
    sopInstanceUids: Array.from({ length: 6 }, (_, k) => `1.2.3.4.5.${k + 1}`),
    studyDate: '20200412',
    studyTime: '093015.25',
    studyId: 'S-17',
    accessionNumber: 'ACC-99',
    referringPhysicianName: 'Who^Doctor',
  });
  const ds = parseDicom(encodeDicomSeg(input({ source }))).dataset;
  assert.deepEqual(
    ['StudyDate', 'StudyTime', 'StudyID', 'AccessionNumber', 'ReferringPhysicianName'].map((k) => textValue(ds, k)),
    ['20200412', '093015.25', 'S-17', 'ACC-99', 'Who^Doctor'],
  );
  // An old case without the new fields, and an invalid time: empty (type 2), never made up.
  const old = parseDicom(encodeDicomSeg(input({ source: { ...source, studyTime: '9:30 am', studyId: undefined as never } }))).dataset;
  assert.equal(textValue(old, 'StudyTime'), '');
  assert.equal(textValue(old, 'StudyID'), '');
  const ho = sequenceItems(ds, 'SegmentSequence')[1]!;
  assert.equal(textValue(ho, 'SegmentDescription'), 'High opacity: consolidation + pleural effusion');
  const type = sequenceItems(ho, 'SegmentedPropertyTypeCodeSequence')[0]!;
  assert.deepEqual(
    [textValue(type, 'CodeValue'), textValue(type, 'CodingSchemeDesignator'), textValue(type, 'CodeMeaning')],
    ['HIGH-OPACITY', LOCAL_CODING_SCHEME, 'Consolidation and pleural effusion'],
  );
  assert.equal(textValue(sequenceItems(ho, 'SegmentedPropertyCategoryCodeSequence')[0]!, 'CodeValue'), '49755003');
  const scheme = sequenceItems(ds, 'CodingSchemeIdentificationSequence');
  assert.deepEqual(
    scheme.map((s) => textValue(s, 'CodingSchemeDesignator')),
    [LOCAL_CODING_SCHEME],
  );
  // Our decoder reads ours and other tools' consolidation / effusion codes as high opacity.
  const back = decodeDicomSeg(encodeDicomSeg(input({ source })), { geometry: G, sopInstanceUids: source.sopInstanceUids });
  assert.equal(back.segments[1]?.role, 'highOpacity');
});
