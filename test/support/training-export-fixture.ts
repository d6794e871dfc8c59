import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaseStore } from '../../electron/services/cases/case-store.ts';
import { deidentifierFor } from '../../electron/services/exports/deid-salt.ts';
import { exportTrainingSet, type TrainingFormat, type TrainingManifest } from '../../electron/services/exports/training-export.ts';
import type { Volume } from '../../shared/domain/volume.ts';
import { chestPhantom } from '../e2e/support/chest-phantom.ts';
import { seriesMetadata } from './synthetic-volume.ts';
import { signAs } from './test-readers.ts';

/** HU values `chestPhantom` gives its ground-glass blobs and its consolidation (exact, no noise). */
const GGO_HU = new Set([-500, -520, -480]);
const CONSOLIDATION_HU = 20;

/**
 * Exact labels of {@link chestPhantom}: lesions 1 (its GGO blobs) / 2 (its consolidation), lung 1
 * right (i below the middle: i → patient left) / 2 left for lung parenchyma and the lesions in it.
 */
export function phantomLabels(v: Volume): { lesions: Uint8Array; lung: Uint8Array } {
  const [nI] = v.size;
  const lesions = new Uint8Array(v.data.length);
  const lung = new Uint8Array(v.data.length);
  for (let x = 0; x < v.data.length; x++) {
    const hu = v.data[x] ?? 0;
    const lesion = GGO_HU.has(hu) ? 1 : hu === CONSOLIDATION_HU ? 2 : 0;
    lesions[x] = lesion;
    if (lesion > 0 || (hu >= -850 && hu < -800)) lung[x] = x % nI < nI / 2 ? 1 : 2;
  }
  return { lesions, lung };
}

/**
 * A real training export made by the app's exporter (`exportTrainingSet`), for tests on both sides
 * of the retraining contract (pytest builds its fixture with it): one synthetic chest CT
 * ({@link chestPhantom}, `size` voxels), a model lesion version, a reader's corrected version
 * (the model's plus the consolidation) signed by a test reader, and the phantom's exact lung mask.
 * The case store lives in a temporary folder that is removed afterwards.
 */
export function makeTrainingExport(
  outDir: string,
  format: TrainingFormat = 'lung-burden-v1',
  size: [number, number, number] = [96, 80, 9],
): TrainingManifest {
  const storeDir = mkdtempSync(join(tmpdir(), 'lb-training-export-store-'));
  const store = CaseStore.open(storeDir);
  try {
    const volume = chestPhantom(size, [2, 2, 2.5]);
    const { lesions, lung } = phantomLabels(volume);
    const metadata = seriesMetadata({ sopInstanceUids: Array.from({ length: size[2] }, (_, k) => `1.2.826.0.1.777.2.${k + 1}`) });
    const caseId = store.addSeries({ metadata, volume, sourcePath: '/synthetic/chest-phantom', sourceKind: 'dicom', issues: [] }).caseId;
    store.saveLabelVersion(caseId, 'lung', lung, { kind: 'algorithm', name: 'phantom lung mask' });
    const model = store.saveLabelVersion(
      caseId,
      'lesion',
      lesions.map((l) => (l === 1 ? 1 : 0)),
      { kind: 'model', name: 'convlstm 1.0.0', modelName: 'convlstm', modelVersion: '1.0.0' },
    );
    const read = store.saveLabelVersion(caseId, 'lesion', lesions, { kind: 'reader', name: 'Ann Readerson' }, { parentId: model.id });
    signAs(store, caseId, read.id, 'Ann Readerson');
    return exportTrainingSet(store, { caseIds: [caseId], format, outDir, deidentifier: deidentifierFor(store) });
  } finally {
    store.close();
    rmSync(storeDir, { recursive: true, force: true });
  }
}
