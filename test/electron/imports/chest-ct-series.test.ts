import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importDicomFiles, importDicomFolder, listFilesRecursive } from '../../../electron/services/imports/import-dicom-folder.ts';
import type { ImportedSeries } from '../../../shared/dicom/types.ts';
import { SHARED_DATA_MISSING } from '../../support/shared-data.ts';
import { assertMatchesReference, dataPath, extractArchive, huStats, reference } from './dicom-test-data.ts';

const CHEST = dataPath('chest-ct');

interface SeriesStats {
  series: string;
  ndecoded: number;
  rows: number;
  cols: number;
  pixspacing: [number, number];
  dz_median: number;
  iop: number[];
  hu_min: number;
  hu_max: number;
  ts: string;
}

/** Checks a series against the data set's own series_stats.json (measured by the data curator). */
function assertMatchesSeriesStats(s: ImportedSeries, statsFile: string, nSlices: number): void {
  const stats = (JSON.parse(readFileSync(statsFile, 'utf8')) as SeriesStats[])[0]!;
  const v = s.volume;
  assert.equal(s.metadata.seriesInstanceUid, stats.series);
  assert.equal(v.size[2], nSlices);
  assert.deepEqual([v.size[0], v.size[1]], [stats.cols, stats.rows]);
  assert.ok(Math.abs(v.spacingMm[0] - stats.pixspacing[1]) < 1e-4 && Math.abs(v.spacingMm[1] - stats.pixspacing[0]) < 1e-4);
  assert.deepEqual([...v.directionLps.slice(0, 6)], stats.iop);
  assert.equal(s.metadata.transferSyntaxUid, stats.ts);
  const h = huStats(v);
  assert.equal(h.max, stats.hu_max, 'max HU as measured by the data curator');
  // Padding (≤ −2000 HU) becomes air; real minima above that must agree.
  assert.equal(h.min, stats.hu_min <= -2000 ? -1024 : stats.hu_min);
}

test('RICORD-1A COVID case: 128 JPEG lossless slices', async (t) => {
  if (!CHEST) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const dir = join(CHEST, 'ricord1a-000082-covid');
  const r = await importDicomFolder(join(dir, 'series_2_ROUTINE_CHEST_NON-CON_1.25mm_EVERY_2ND_FILE'));
  assert.equal(r.series.length, 1, JSON.stringify(r.issues));
  const s = r.series[0]!;
  assertMatchesReference(s.volume, reference.series['chest/ricord1a']!, 'ricord1a');
  assert.equal(s.volume.spacingMm[2], 2.5); // every 2nd file of the 1.25 mm series
  assert.deepEqual(s.issues, []);
  // series_stats.json describes the full 255-slice series; check what does not depend on the subset.
  const stats = (JSON.parse(readFileSync(join(dir, 'series_stats.json'), 'utf8')) as SeriesStats[])[0]!;
  assert.equal(s.metadata.seriesInstanceUid, stats.series);
  assert.equal(s.metadata.transferSyntaxUid, '1.2.840.10008.1.2.4.70');
  assert.equal(s.metadata.patientId, 'MIDRC-RICORD-1A-419639-000082');
});

test('LIDC-IDRI-0001 (tar.xz): 133 slices match the reference and series_stats.json; the XML annotation is reported', async (t) => {
  if (!CHEST) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const dir = join(CHEST, 'lidc-idri-0001');
  const root = extractArchive(join(dir, 'LIDC-IDRI-0001_series_3000566.tar.xz'));
  const r = await importDicomFolder(root);
  assert.equal(r.series.length, 1);
  const s = r.series[0]!;
  assertMatchesReference(s.volume, reference.series['chest/lidc-idri-0001']!, 'LIDC');
  assertMatchesSeriesStats(s, join(dir, 'series_stats.json'), 133);
  assert.ok(r.issues.some((i) => i.code === 'not-dicom' && i.file?.endsWith('.xml')));
});

test('RIDER 1225316081 (tar.xz): 117 slices match the reference and series_stats.json', async (t) => {
  if (!CHEST) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const dir = join(CHEST, 'rider-1225316081');
  const root = extractArchive(join(dir, 'RIDER-1225316081_LUNG_1.25mm_EVERY_2ND_FILE_2.5mm.tar.xz'));
  const r = await importDicomFolder(root);
  assert.equal(r.series.length, 1, JSON.stringify(r.issues));
  assertMatchesReference(r.series[0]!.volume, reference.series['chest/rider']!, 'RIDER');
  assertMatchesSeriesStats(r.series[0]!, join(dir, 'series_stats.json'), 117);
});

test('4D-Lung phase (tar.xz) with its RTSTRUCT in the same import: CT imported, RTSTRUCT skipped by name', async (t) => {
  if (!CHEST) {
    t.skip(SHARED_DATA_MISSING);
    return;
  }
  const dir = join(CHEST, '4d-lung-113-hm10395');
  const ct = extractArchive(join(dir, '113_HM10395_gated40pct_CT.tar.xz'));
  const rt = extractArchive(join(dir, '113_HM10395_gated40pct_RTSTRUCT.tar.xz'));
  const paths = [...(await listFilesRecursive(ct)), ...(await listFilesRecursive(rt))].filter((p) => !p.endsWith('.complete'));
  const r = await importDicomFiles(paths);
  assert.equal(r.series.length, 1);
  assertMatchesReference(r.series[0]!.volume, reference.series['chest/4d-lung']!, '4D-Lung');
  assertMatchesSeriesStats(r.series[0]!, join(dir, 'series_stats.json'), 99);
  const rtIssue = r.issues.find((i) => i.code === 'not-ct');
  assert.ok(rtIssue, JSON.stringify(r.issues));
  assert.match(rtIssue.message, /RT Structure Set \(RTSTRUCT\).*modality RTSTRUCT/);
});
