// Case-store timings that the reader feels: versioned save of a lesion label map and loading a
// case volume, for a 512×512×300 case. Prints one JSON object. Ratios are against a plain write
// of the same bytes to the same disk in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore } from '../../electron/services/cases/case-store.ts';
import { seriesMetadata } from '../support/synthetic-volume.ts';
import type { Volume } from '../../shared/domain/volume.ts';

const size: [number, number, number] = [512, 512, 300];
const n = size[0] * size[1] * size[2];
const data = new Int16Array(n);
for (let p = 0; p < n; p++) data[p] = (((p * 2654435761) >>> 20) % 2000) - 1000;
const volume: Volume = { size, spacingMm: [0.7, 0.7, 1], originLps: [0, 0, 0], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1], data };
const dir = mkdtempSync(join(tmpdir(), 'lb-bench-store-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const store = CaseStore.open(dir);
  let t = performance.now();
  const { caseId } = store.addSeries({ metadata: seriesMetadata(), volume, sourcePath: '/bench', sourceKind: 'nifti', issues: [] });
  const importMs = performance.now() - t;
  const labels = new Uint8Array(n);
  // a realistic label map: a few lesion blobs (runs), mostly background
  for (let k = 100; k < 200; k++)
    for (let j = 200; j < 260; j++) labels.fill(k % 2 ? 1 : 2, k * 512 * 512 + j * 512 + 100, k * 512 * 512 + j * 512 + 180);
  const saveMs: number[] = [];
  let parent = null;
  for (let r = 0; r < 7; r++) {
    labels[r] = 1;
    t = performance.now();
    const v = store.saveLabelVersion(caseId, 'lesion', labels, { kind: 'reader', name: 'bench' }, { parentId: parent });
    saveMs.push(performance.now() - t);
    parent = v.id;
  }
  // the path the workstation uses: compression and hashing on the thread pool, in parallel
  const asyncSaveMs: number[] = [];
  for (let r = 0; r < 7; r++) {
    labels[r] = 2;
    t = performance.now();
    const v = await store.saveLabelVersionAsync(caseId, 'lesion', labels, { kind: 'reader', name: 'bench' }, { parentId: parent });
    asyncSaveMs.push(performance.now() - t);
    parent = v.id;
  }
  const loadMs: number[] = [];
  for (let r = 0; r < 5; r++) {
    t = performance.now();
    store.loadVolume(caseId);
    loadMs.push(performance.now() - t);
  }
  const rawWriteMs: number[] = [];
  for (let r = 0; r < 5; r++) {
    t = performance.now();
    writeFileSync(join(dir, 'raw.bin'), labels);
    rawWriteMs.push(performance.now() - t);
  }
  store.close();
  console.log(
    JSON.stringify({
      bench: 'case-store',
      volume: { size, voxels: n },
      importMs: +importMs.toFixed(1),
      versionedSaveMs: { median: +median(saveMs).toFixed(1), all: saveMs.map((x) => +x.toFixed(1)) },
      versionedSaveAsyncMs: { median: +median(asyncSaveMs).toFixed(1), all: asyncSaveMs.map((x) => +x.toFixed(1)) },
      asyncOverSync: +(median(asyncSaveMs) / median(saveMs)).toFixed(2),
      plainWriteOfLabelsMs: +median(rawWriteMs).toFixed(1),
      saveOverPlainWrite: +(median(saveMs) / median(rawWriteMs)).toFixed(2),
      loadVolumeMs: +median(loadMs).toFixed(1),
      goalVersionedSaveMs: 20,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
