// DICOM import throughput: MB/s and slices/s of importDicomFiles on an uncompressed series
// (LIDC-IDRI-0001, else set B) and a JPEG 2000 lossless series (set A original), each also as a
// ratio to a plain readFile of the same bytes in the same run. Prints one JSON object.
//   node_modules/.bin/node --import tsx test/bench/dicom-import.bench.ts
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importDicomFiles, listFilesRecursive } from '../../electron/services/imports/import-dicom-folder.ts';
import { createNodeDecoderRegistry } from '../../electron/services/imports/codecs.ts';
import { sharedDataDir } from '../support/shared-data.ts';
import { extractArchive } from '../electron/imports/dicom-test-data.ts';

const RUNS = 3;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

async function measure(name: string, paths: string[]) {
  const registry = createNodeDecoderRegistry();
  let bytes = 0;
  const readMs: number[] = [];
  const importMs: number[] = [];
  let slices = 0;
  // Warm-up: page cache, JIT, WASM compilation.
  await importDicomFiles(paths, { registry });
  for (let r = 0; r < RUNS; r++) {
    let t0 = performance.now();
    bytes = 0;
    for (const p of paths) bytes += (await readFile(p)).byteLength;
    readMs.push(performance.now() - t0);
    t0 = performance.now();
    const res = await importDicomFiles(paths, { registry });
    importMs.push(performance.now() - t0);
    slices = res.series.reduce((s, x) => s + x.volume.size[2], 0);
  }
  const mb = bytes / 1e6;
  const tRead = median(readMs) / 1000;
  const tImport = median(importMs) / 1000;
  return {
    series: name,
    files: paths.length,
    megabytes: Number(mb.toFixed(2)),
    slices,
    readFileMs: Number((tRead * 1000).toFixed(1)),
    importMs: Number((tImport * 1000).toFixed(1)),
    readFileMBps: Number((mb / tRead).toFixed(1)),
    importMBps: Number((mb / tImport).toFixed(1)),
    importSlicesPerS: Number((slices / tImport).toFixed(1)),
    importTimeOverReadFile: Number((tImport / tRead).toFixed(2)),
  };
}

const data = sharedDataDir();
if (!data) {
  console.log(JSON.stringify({ skipped: '../shared/data absent' }));
} else {
  const dicom = async (dir: string): Promise<string[]> => (await listFilesRecursive(dir)).filter((p) => /\.dcm$|\/CT\.[0-9.]+$/.test(p));
  let uncompressed: { name: string; paths: string[] };
  try {
    const root = extractArchive(join(data, 'chest-ct', 'lidc-idri-0001', 'LIDC-IDRI-0001_series_3000566.tar.xz'));
    uncompressed = { name: 'LIDC-IDRI-0001 (explicit LE, 512×512×133)', paths: await dicom(root) };
  } catch {
    uncompressed = {
      name: 'set B (explicit LE, 120×126×164)',
      paths: await dicom(join(data, 'dicom-import', 'B_derived_chest_series_from_totalseg_crop', 'series_explicit_le')),
    };
  }
  const j2k = {
    name: 'set A original (JPEG 2000 lossless, 512×512×20)',
    paths: await dicom(join(data, 'dicom-import', 'A_real_series_totalseg_siemens_j2k', 'original_j2k_lossless')),
  };
  const u = await measure(uncompressed.name, uncompressed.paths);
  const j = await measure(j2k.name, j2k.paths);
  console.log(
    JSON.stringify(
      {
        bench: 'dicom-import',
        runs: RUNS,
        statistic: 'median',
        uncompressed: u,
        jpeg2000: j,
        goalUncompressedMBps: 150,
        meetsGoal: u.importMBps >= 150,
      },
      null,
      1,
    ),
  );
}
