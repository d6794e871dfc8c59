import type { SeriesMetadata } from '../../shared/dicom/types.ts';
import type { Volume } from '../../shared/domain/volume.ts';

/** A small deterministic HU volume for tests (values depend on i, j, k and `seed`). */
export function syntheticVolume(size: [number, number, number] = [16, 12, 8], seed = 0): Volume {
  const n = size[0] * size[1] * size[2];
  const data = new Int16Array(n);
  for (let x = 0; x < n; x++) data[x] = ((x * 7 + seed * 13) % 2000) - 1000;
  return { size, spacingMm: [0.8, 0.8, 2.5], originLps: [-100, -120, -300], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1], data };
}

/** Series metadata with every field filled, overridable. */
export function seriesMetadata(over: Partial<SeriesMetadata> = {}): SeriesMetadata {
  return {
    patientId: 'P001',
    patientName: 'Doe^Jane',
    patientBirthDate: '19600101',
    patientSex: 'F',
    studyInstanceUid: '1.2.3.4',
    studyDate: '20210101',
    studyDescription: 'CT CHEST',
    accessionNumber: 'A1',
    seriesInstanceUid: '1.2.3.4.5',
    seriesNumber: '2',
    seriesDescription: 'LUNG 1.25',
    modality: 'CT',
    manufacturer: 'TEST',
    convolutionKernel: 'LUNG',
    sliceThicknessMm: 1.25,
    frameOfReferenceUid: '1.2.3.9',
    sopInstanceUids: [],
    sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    ...over,
  };
}
