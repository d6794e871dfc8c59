import { type NaturalDataset, numberValue, textValue, textValues } from './dataset-values.ts';
import type { SeriesMetadata } from './types.ts';
import { readClinicalTrialAttributes } from './clinical-trial-attributes.ts';

/** Series metadata read from one instance, less the per-slice lists filled when the series is built. */
export type InstanceSeriesMetadata = Omit<SeriesMetadata, 'sopInstanceUids' | 'frameNumbers' | 'acquisition'> & {
  /** Tags of this instance for the scan QC gate (the series-level facts are filled when the series is built). */
  readonly tags?: InstanceQcTags;
};

/** Per-instance tags the scan QC gate reads (see `AcquisitionFacts`). */
export interface InstanceQcTags {
  readonly bodyPartExamined: string;
  readonly gantryDetectorTiltDeg: number | null;
  readonly contrastBolusAgent: string;
}

/**
 * Reads the identifying and descriptive attributes of the series an instance belongs to
 * (strings as stored, trimmed; empty when absent). `sopClassUid`/`transferSyntaxUid` come from
 * the caller because the dataset may lack them (they fall back to the file meta).
 */
export function readSeriesMetadata(ds: NaturalDataset, sopClassUid: string, transferSyntaxUid: string): InstanceSeriesMetadata {
  return {
    patientId: textValue(ds, 'PatientID'),
    patientName: textValue(ds, 'PatientName'),
    patientBirthDate: textValue(ds, 'PatientBirthDate'),
    patientSex: textValue(ds, 'PatientSex'),
    studyInstanceUid: textValue(ds, 'StudyInstanceUID'),
    studyDate: textValue(ds, 'StudyDate'),
    studyDescription: textValue(ds, 'StudyDescription'),
    accessionNumber: textValue(ds, 'AccessionNumber'),
    studyTime: textValue(ds, 'StudyTime'),
    studyId: textValue(ds, 'StudyID'),
    referringPhysicianName: textValue(ds, 'ReferringPhysicianName'),
    seriesInstanceUid: textValue(ds, 'SeriesInstanceUID'),
    seriesNumber: textValue(ds, 'SeriesNumber'),
    seriesDescription: textValue(ds, 'SeriesDescription'),
    modality: textValue(ds, 'Modality') || 'CT',
    manufacturer: textValue(ds, 'Manufacturer'),
    convolutionKernel: textValues(ds, 'ConvolutionKernel').join('\\'),
    sliceThicknessMm: numberValue(ds, 'SliceThickness'),
    frameOfReferenceUid: textValue(ds, 'FrameOfReferenceUID'),
    sopClassUid,
    transferSyntaxUid,
    ...optionalClinicalTrial(ds),
    tags: {
      bodyPartExamined: textValue(ds, 'BodyPartExamined').toUpperCase(),
      gantryDetectorTiltDeg: numberValue(ds, 'GantryDetectorTilt'),
      contrastBolusAgent: textValue(ds, 'ContrastBolusAgent'),
    },
  };
}

const optionalClinicalTrial = (ds: NaturalDataset): Pick<SeriesMetadata, 'clinicalTrial'> => {
  const t = readClinicalTrialAttributes(ds);
  return t ? { clinicalTrial: t } : {};
};
