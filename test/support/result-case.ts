import type { CaseId } from '../../shared/domain/ids.ts';
import type { CaseStore } from '../../electron/services/cases/case-store.ts';
import { burdenOfVersion } from '../../electron/services/analysis/analyze-case.ts';
import { seriesMetadata, syntheticVolume } from './synthetic-volume.ts';
import { signAs } from './test-readers.ts';

/**
 * A small synthetic DICOM-sourced case with a lung mask (right half label 1, left half 2), a
 * model lesion version (v1) and a reader edit (v2), both with burden records; `sign` signs v2.
 */
export function makeResultCase(store: CaseStore, o: { sign: boolean; seed?: number }): { caseId: CaseId; v1: number; v2: number } {
  const seed = o.seed ?? 7;
  const size: [number, number, number] = [16, 12, 9];
  const volume = syntheticVolume(size, seed);
  const nK = size[2];
  const meta = seriesMetadata({
    patientId: 'LB-TEST-1',
    patientName: 'Test^Patient',
    studyInstanceUid: `1.2.826.0.1.3680043.10.999.${seed}.1`,
    seriesInstanceUid: `1.2.826.0.1.3680043.10.999.${seed}.2`,
    frameOfReferenceUid: `1.2.826.0.1.3680043.10.999.${seed}.3`,
    sopInstanceUids: Array.from({ length: nK }, (_, k) => `1.2.826.0.1.3680043.10.999.${seed}.2.${k + 1}`),
  });
  const caseId = store.addSeries({ metadata: meta, volume, sourcePath: '/synthetic', sourceKind: 'dicom', issues: [] }).caseId;
  const n = size[0] * size[1] * nK;
  const lung = new Uint8Array(n);
  const lesion = new Uint8Array(n);
  for (let k = 0; k < nK; k++)
    for (let j = 2; j < 10; j++)
      for (let i = 1; i < 15; i++) {
        const p = k * 192 + j * 16 + i;
        lung[p] = i < 8 ? 1 : 2;
        if (j < 5 && k > 3) lesion[p] = 1;
        if (j === 9 && i > 10) lesion[p] = 2;
      }
  store.saveLabelVersion(caseId, 'lung', lung, { kind: 'algorithm', name: 'classical-lung-mask 1' });
  const v1 = store.saveLabelVersion(caseId, 'lesion', lesion, {
    kind: 'model',
    name: 'lung-burden-convlstm-fast 1.2.0',
    modelName: 'lung-burden-convlstm-fast',
    modelVersion: '1.2.0',
  });
  burdenOfVersion(store, caseId, v1.id);
  const edited = lesion.slice();
  for (let p = 0; p < n; p += 37) if (lung[p]) edited[p] = 2;
  const v2 = store.saveLabelVersion(caseId, 'lesion', edited, { kind: 'reader', name: 'Jane Reader' }, { parentId: v1.id });
  burdenOfVersion(store, caseId, v2.id);
  if (o.sign) signAs(store, caseId, v2.id, 'Jane Reader');
  return { caseId, v1: v1.id, v2: v2.id };
}
