// DICOM quirks of real scans from other sites (issue 13), on series derived from the real data by
// test/fixtures/dicom-quirks/make-quirk-series.ts into a temporary folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importDicomFolder } from '../../../electron/services/imports/import-dicom-folder.ts';
import { importAnyPath } from '../../../electron/services/analysis/import-any-path.ts';
import { CaseStore } from '../../../electron/services/cases/case-store.ts';
import { qcSummaries } from '../../../electron/services/qc/qc-store.ts';
import { exportDicomSeg } from '../../../electron/services/exports/dicom-seg-export.ts';
import { pixelHash } from '../../../shared/dicom/pixel-hash.ts';
import { isValidUid } from '../../../shared/export/dicom-uid.ts';
import { buildDicomSegDataset, REMAPPED_REFERENCE_NOTE } from '../../../shared/export/dicom-seg.ts';
import { instanceUidMapCsv } from '../../../shared/export/instance-uid-map.ts';
import { lungMask } from '../../../shared/imaging/lung-mask.ts';
import { computeBurden } from '../../../shared/imaging/burden.ts';
import { scanQc, scanQcInput } from '../../../shared/qc/scan-qc.ts';
import type { ImportedSeries } from '../../../shared/dicom/types.ts';
import { SHARED_DATA_MISSING } from '../../support/shared-data.ts';
import { dataPath, extractArchive } from './dicom-test-data.ts';
import { copySeries, dicomFiles, uuidText, writeQuirkSeries } from '../../fixtures/dicom-quirks/make-quirk-series.ts';

const CHEST = dataPath('chest-ct');

/** LIDC-IDRI-0001 (explicit LE), every second slice (by position): 67 slices, 5 mm apart, the whole chest. */
async function lidcEverySecond(): Promise<string[]> {
  return (await lidcSlices()).filter((_, k) => k % 2 === 0);
}
/** All 133 LIDC-IDRI-0001 files in slice order. */
async function lidcSlices(): Promise<string[]> {
  const root = join(
    extractArchive(join(CHEST!, 'lidc-idri-0001', 'LIDC-IDRI-0001_series_3000566.tar.xz')),
    'LIDC-IDRI-0001_series_3000566',
  );
  return only((await importDicomFolder(root)).series).files.map((f) => join(root, f));
}
const RICORD = (): string[] => dicomFiles(join(CHEST!, 'ricord1a-000082-covid', 'series_2_ROUTINE_CHEST_NON-CON_1.25mm_EVERY_2ND_FILE'));

const only = <T>(series: readonly T[]): T => {
  assert.equal(series.length, 1, `one series expected, got ${series.length}`);
  return series[0]!;
};

/** A lesion map on the series' grid with one voxel per slice (so every slice is referenced). */
function lesionEverySlice(s: ImportedSeries): {
  size: typeof s.volume.size;
  spacingMm: typeof s.volume.spacingMm;
  originLps: typeof s.volume.originLps;
  directionLps: typeof s.volume.directionLps;
  data: Uint8Array;
} {
  const [nI, nJ, nK] = s.volume.size;
  const data = new Uint8Array(nI * nJ * nK);
  for (let k = 0; k < nK; k++) data[k * nI * nJ + (nJ >> 1) * nI + (nI >> 1)] = 1;
  return { size: s.volume.size, spacingMm: s.volume.spacingMm, originLps: s.volume.originLps, directionLps: s.volume.directionLps, data };
}

test('one SOP Instance UID on every file, names shuffled: all 67 slices kept in position order, stable derived UIDs, SEG references them', async (t) => {
  if (!CHEST) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const files = await lidcEverySecond();
  assert.equal(files.length, 67);
  const dir = mkdtempSync(join(tmpdir(), 'lb-quirks-'));
  try {
    copySeries(files, join(dir, 'ref'), '');
    const ref = only((await importDicomFolder(join(dir, 'ref'))).series);
    writeQuirkSeries(files, join(dir, 'q'), { sopInstanceUid: 'same', sameUid: '1.2.3', shuffleSeed: 7 });
    // A true duplicate too: one file again under another name (same UID, position and pixels).
    writeFileSync(join(dir, 'q', 'zz-copy.dcm'), readFileSync(join(dir, 'q', 'img0000.dcm')));
    const r = await importDicomFolder(join(dir, 'q'));
    const s = only(r.series);
    assert.equal(s.volume.size[2], 67, 'every slice kept (before: 1 slice)');
    assert.deepEqual([...s.volume.originLps], [...ref.volume.originLps]);
    assert.equal(s.volume.spacingMm[2], ref.volume.spacingMm[2]);
    assert.equal(
      pixelHash(s.volume.data),
      pixelHash(ref.volume.data),
      'same voxels as the unmodified series (sorted by position, not name)',
    );
    assert.notDeepEqual([...s.files], [...s.files].sort(), 'file names were not in slice order');
    assert.deepEqual(
      r.issues.filter((i) => i.code === 'duplicate-instance').map((i) => i.file),
      ['zz-copy.dcm'],
    );
    assert.ok(
      s.issues.some((i) => i.code === 'non-unique-sop-uid'),
      JSON.stringify(s.issues),
    );
    const uids = s.metadata.sopInstanceUids;
    assert.equal(new Set(uids).size, 67);
    assert.ok(uids.every((u) => isValidUid(u) && u.startsWith('2.25.')));
    assert.deepEqual(s.metadata.originalSopInstanceUids, Array(67).fill('1.2.3'));
    assert.equal(s.metadata.acquisition?.nonUniqueUidSlices, 67);
    assert.equal(s.metadata.acquisition.duplicateFiles, 1);
    // Stable: importing the same files again derives the same UIDs.
    assert.deepEqual(only((await importDicomFolder(join(dir, 'q'))).series).metadata.sopInstanceUids, uids);

    // The SEG references the stored UIDs, says so per frame, and the mapping goes beside it.
    const seg = buildDicomSegDataset({
      lesions: lesionEverySlice(s),
      lesionAlgorithm: { type: 'MANUAL' },
      source: s.metadata,
      newUid: () => '2.25.1',
      createdAt: '2026-12-02T00:00:00Z',
      softwareVersion: 'test',
    });
    const perFrame = seg['PerFrameFunctionalGroupsSequence'] as {
      DerivationImageSequence: { SourceImageSequence: { ReferencedSOPInstanceUID: string }[]; DerivationDescription?: string }[];
    }[];
    assert.equal(perFrame.length, 67);
    assert.deepEqual(
      perFrame.map((f) => f.DerivationImageSequence[0]!.SourceImageSequence[0]!.ReferencedSOPInstanceUID),
      [...uids],
    );
    assert.ok(perFrame.every((f) => f.DerivationImageSequence[0]!.DerivationDescription === REMAPPED_REFERENCE_NOTE));
    const csv = instanceUidMapCsv(s.metadata)!.trim().split('\n');
    assert.equal(csv.length, 68);
    assert.match(csv[1]!, /^0,1,1\.2\.3,2\.25\.\d+,1$/);

    // The lung mask on it is a whole chest's, and the gate raises no blocking flag.
    const lung = lungMask(s.volume);
    const burden = computeBurden(s.volume, lung, null);
    assert.ok(burden.lungVolumeMl > 3000 && burden.lungVolumeMl < 5000, `lung ${burden.lungVolumeMl} mL (reference 3.72 L)`);
    const flags = scanQc(scanQcInput({ metadata: s.metadata, sourceKind: 'dicom', issues: s.issues }, s.volume, { lung, burden }));
    assert.deepEqual(
      flags.filter((f) => f.severity === 'blocking'),
      [],
    );
    assert.ok(flags.some((f) => f.code === 'uid-remapped'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('empty SOP UIDs, UUID-style Study/Series UIDs, no FrameOfReferenceUID: imported, valid derived UIDs, info flags; missing intercept is loud', async (t) => {
  if (!CHEST) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const files = await lidcEverySecond();
  const dir = mkdtempSync(join(tmpdir(), 'lb-quirks-'));
  try {
    writeQuirkSeries(files, join(dir, 'q'), { sopInstanceUid: 'empty', uuidStudySeries: true, dropFrameOfReference: true, shuffleSeed: 3 });
    const s = only((await importAnyPath(join(dir, 'q'))).series);
    assert.equal(s.volume.size[2], 67);
    assert.ok(isValidUid(s.metadata.seriesInstanceUid) && isValidUid(s.metadata.studyInstanceUid));
    // dcmjs reads a UUID written in a UI element with its non-digit characters stripped (a valid
    // but different UID); the stored UIDs are valid either way and the import keeps every slice.
    for (const [stored, written] of [
      [s.metadata.seriesInstanceUid, uuidText(2)],
      [s.metadata.studyInstanceUid, uuidText(1)],
    ] as const) {
      assert.ok(stored === written.replace(/[^0-9.]/g, '') || stored.startsWith('2.25.'), `${stored} from ${written}`);
    }
    assert.equal(s.metadata.frameOfReferenceUid, '');
    assert.equal(new Set(s.metadata.sopInstanceUids).size, 67);
    assert.equal(s.metadata.acquisition?.emptyUidSlices, 67);
    const codes = scanQc(scanQcInput({ metadata: s.metadata, sourceKind: 'dicom', issues: s.issues }, s.volume)).map(
      (f) => `${f.severity}:${f.code}`,
    );
    assert.ok(codes.includes('info:uid-remapped') && codes.includes('info:no-frame-of-reference'), codes.join(' '));
    assert.ok(!codes.some((c) => c.startsWith('blocking:')), codes.join(' '));

    // RescaleIntercept removed: stored values (HU + 1024) are read as HU: a blocking HU-scale flag.
    writeQuirkSeries(files.slice(20, 45), join(dir, 'ni'), { dropRescaleIntercept: true });
    const ni = only((await importAnyPath(join(dir, 'ni'))).series);
    assert.equal(ni.metadata.acquisition?.interceptMissingSlices, 25);
    const niFlags = scanQc(scanQcInput({ metadata: ni.metadata, sourceKind: 'dicom', issues: ni.issues }, ni.volume));
    assert.equal(niFlags.find((f) => f.code === 'hu-scale')?.severity, 'blocking', JSON.stringify(niFlags));
    assert.equal(niFlags.find((f) => f.code === 'rescale-intercept-missing')?.severity, 'blocking');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mixed folder (two series, one shared Series UID, junk and a truncated file): one case per series, every dropped file flagged on the worklist', async (t) => {
  if (!CHEST) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const lidc = await lidcEverySecond();
  const ricord = RICORD();
  const dir = mkdtempSync(join(tmpdir(), 'lb-quirks-'));
  const store = CaseStore.open(join(dir, 'store'));
  try {
    const mixed = join(dir, 'mixed');
    const ricordSeriesUid = '1.2.826.0.1.3680043.10.474.419639.403650391453800318566197197100';
    // LIDC rewritten to carry RICORD's Series UID (an exporter reusing UIDs), names shuffled.
    writeQuirkSeries(lidc, mixed, { seriesInstanceUid: ricordSeriesUid, shuffleSeed: 11, prefix: 'a-' });
    copySeries(ricord, mixed, 'b-');
    writeFileSync(join(mixed, 'c-notes.txt'), 'not a DICOM file');
    // A cut copy of a slice that is not in the folder otherwise: a slice lost, not a duplicate.
    writeFileSync(join(mixed, 'c-truncated.dcm'), readFileSync((await lidcSlices())[1]!).subarray(0, 20_000));
    const r = await importAnyPath(mixed);
    assert.equal(r.series.length, 2, JSON.stringify(r.issues));
    const sizes = r.series.map((s) => s.volume.size[2]).sort((a, b) => a - b);
    assert.deepEqual(sizes, [67, 128]);
    const ids = r.series.map((s) => store.addSeries(s).caseId);
    assert.equal(new Set(ids).size, 2, 'one case per series');
    const summaries = qcSummaries(store.db);
    for (const id of ids) {
      const q = summaries.find((x) => x.caseId === id);
      const skipped = q?.flags.find((f) => f.code === 'files-skipped');
      assert.ok(skipped, `case ${id}: worklist QC flag for the dropped files: ${JSON.stringify(q)}`);
      assert.equal(skipped.severity, 'warning', 'an unreadable file may be a missing slice');
      assert.match(skipped.message, /c-notes\.txt/);
      assert.match(skipped.message, /c-truncated\.dcm/);
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SEG export of a case stored with derived UIDs writes the original → stored UID map beside the SEG', async (t) => {
  if (!CHEST) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const files = (await lidcSlices()).slice(40, 64);
  const dir = mkdtempSync(join(tmpdir(), 'lb-quirks-'));
  const store = CaseStore.open(join(dir, 'store'));
  try {
    writeQuirkSeries(files, join(dir, 'q'), { sopInstanceUid: 'same' });
    const s = only((await importAnyPath(join(dir, 'q'))).series);
    const { caseId } = store.addSeries(s);
    const n = s.volume.size[0] * s.volume.size[1] * s.volume.size[2];
    const labels = new Uint8Array(n);
    labels[n >> 1] = 1;
    store.saveLabelVersion(caseId, 'lesion', labels, { kind: 'reader', name: 'Dr Map' });
    const { file } = exportDicomSeg(store, caseId, join(dir, 'out'), { includeLung: false });
    const map = readFileSync(join(dir, 'out', file.path.replace(/\.dcm$/, '-uid-map.csv')), 'utf8')
      .trim()
      .split('\n');
    assert.equal(map.length, 25);
    assert.equal(map[0], 'slice_index,frame_number,original_sop_instance_uid,stored_sop_instance_uid,derived');
    assert.deepEqual(
      map.slice(1).map((l) => l.split(',')[3]),
      [...store.seriesMetadata(caseId).sopInstanceUids],
    );
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
