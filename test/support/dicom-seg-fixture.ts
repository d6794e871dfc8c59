import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { segAlgorithmOf, type DicomSegInput } from '../../shared/export/dicom-seg.ts';
import type { LabelMap } from '../../shared/domain/label-map.ts';
import type { VolumeGeometry } from '../../shared/domain/volume.ts';
import { seriesMetadata } from './synthetic-volume.ts';

// The small synthetic case the DICOM SEG tests encode (test/shared/export/dicom-seg*.test.ts).

/** Whether `dciodvfy` (Debian dicom3tools) is installed. */
export const HAS_DCIODVFY = spawnSync('dciodvfy', ['-h'], { encoding: 'utf8' }).error === undefined;

/** 13 × 11 × 6 voxels, non-square pixels, thick slices, LPS-aligned. */
export const SEG_GEOMETRY: VolumeGeometry = {
  size: [13, 11, 6],
  spacingMm: [0.7, 0.8, 2.5],
  originLps: [-100.25, -120, -300],
  directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1],
};
export const SEG_VOXELS = 13 * 11 * 6;
const G = SEG_GEOMETRY;
const N = SEG_VOXELS;

/** A model author of lesion labels. */
export const SEG_AI_AUTHOR = { kind: 'model', name: 'convlstm 1.2.0', modelName: 'convlstm', modelVersion: '1.2.0' } as const;

/** Lesions (GGO and high opacity in a pattern, slice 2 empty) and right/left lungs on {@link SEG_GEOMETRY}. */
export function segTestMaps(): { lesions: LabelMap; lung: LabelMap } {
  const lesions = new Uint8Array(N);
  const lung = new Uint8Array(N);
  for (let x = 0; x < N; x++) {
    lesions[x] = x % 7 === 0 ? 1 : x % 11 === 0 ? 2 : 0;
    lung[x] = x % 3 === 0 ? 1 : x % 3 === 1 ? 2 : 0;
  }
  lesions.fill(0, 13 * 11 * 2, 13 * 11 * 3); // an empty slice: no frame for it
  return { lesions: { ...G, data: lesions }, lung: { ...G, data: lung } };
}

let uidCounter = 0;
/** A SEG input of {@link segTestMaps} drawn by a reader on a 6-slice source series, with `over` applied. */
export function segTestInput(over: Partial<DicomSegInput> = {}): DicomSegInput {
  const { lesions, lung } = segTestMaps();
  return {
    lesions,
    lesionAlgorithm: segAlgorithmOf({ kind: 'reader', name: 'Jane Reader' }),
    lung: { labels: lung, algorithm: segAlgorithmOf({ kind: 'algorithm', name: 'lung-burden classical lung mask v1' }) },
    source: seriesMetadata({ sopInstanceUids: Array.from({ length: 6 }, (_, k) => `1.2.3.4.5.${k + 1}`), patientName: 'Müller^Jürgen' }),
    newUid: () => `2.25.${++uidCounter}`,
    createdAt: '2024-03-05T10:11:12.000Z',
    softwareVersion: '0.1.0',
    contentCreator: 'Jane Reader',
    ...over,
  };
}

/** The error lines `dciodvfy` prints for a DICOM object, and its whole output. */
export function dciodvfyErrors(bytes: Uint8Array): { errors: string[]; all: string } {
  const dir = mkdtempSync(join(tmpdir(), 'seg-'));
  try {
    const f = join(dir, 'seg.dcm');
    writeFileSync(f, bytes);
    const r = spawnSync('dciodvfy', [f], { encoding: 'utf8' });
    const all = `${r.stdout}${r.stderr}`;
    return { errors: all.split('\n').filter((l) => /^\s*Error/.test(l)), all };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
