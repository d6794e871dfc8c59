import type { CodedConcept } from './dicom-seg.ts';

/** Private coding scheme of the few concepts no public terminology has (declared in the SR). */
export const LUNG_BURDEN_SCHEME = '99LUNGBURDEN';

/**
 * Codes of the Measurement Report. DCM = DICOM PS3.16, SCT = SNOMED CT, UCUM = units, LN = LOINC.
 * "Percent of lung volume" (the burden) has no public code: it is a private code of
 * {@link LUNG_BURDEN_SCHEME}, declared in the Coding Scheme Identification Sequence.
 */
export const SR_CODES = {
  imagingMeasurementReport: { value: '126000', scheme: 'DCM', meaning: 'Imaging Measurement Report' },
  language: { value: '121049', scheme: 'DCM', meaning: 'Language of Content Item and Descendants' },
  englishUs: { value: 'en-US', scheme: 'RFC5646', meaning: 'English (United States)' },
  observerType: { value: '121005', scheme: 'DCM', meaning: 'Observer Type' },
  person: { value: '121006', scheme: 'DCM', meaning: 'Person' },
  device: { value: '121007', scheme: 'DCM', meaning: 'Device' },
  personObserverName: { value: '121008', scheme: 'DCM', meaning: 'Person Observer Name' },
  deviceObserverUid: { value: '121012', scheme: 'DCM', meaning: 'Device Observer UID' },
  deviceObserverName: { value: '121013', scheme: 'DCM', meaning: 'Device Observer Name' },
  deviceObserverManufacturer: { value: '121014', scheme: 'DCM', meaning: 'Device Observer Manufacturer' },
  deviceObserverModelName: { value: '121015', scheme: 'DCM', meaning: 'Device Observer Model Name' },
  procedureReported: { value: '121058', scheme: 'DCM', meaning: 'Procedure reported' },
  ctChest: { value: '24627-2', scheme: 'LN', meaning: 'CT Chest' },
  imageLibrary: { value: '111028', scheme: 'DCM', meaning: 'Image Library' },
  imageLibraryGroup: { value: '126200', scheme: 'DCM', meaning: 'Image Library Group' },
  imagingMeasurements: { value: '126010', scheme: 'DCM', meaning: 'Imaging Measurements' },
  measurementGroup: { value: '125007', scheme: 'DCM', meaning: 'Measurement Group' },
  trackingIdentifier: { value: '112039', scheme: 'DCM', meaning: 'Tracking Identifier' },
  trackingUid: { value: '112040', scheme: 'DCM', meaning: 'Tracking Unique Identifier' },
  finding: { value: '121071', scheme: 'DCM', meaning: 'Finding' },
  findingSite: { value: '363698007', scheme: 'SCT', meaning: 'Finding Site' },
  laterality: { value: '272741003', scheme: 'SCT', meaning: 'Laterality' },
  rightAndLeft: { value: '51440002', scheme: 'SCT', meaning: 'Right and left' },
  topographicalModifier: { value: '106233006', scheme: 'SCT', meaning: 'Topographical modifier' },
  upper: { value: '261183002', scheme: 'SCT', meaning: 'Upper' },
  middle: { value: '255562008', scheme: 'SCT', meaning: 'Mid' },
  lower: { value: '261122009', scheme: 'SCT', meaning: 'Lower' },
  referencedSegment: { value: '121191', scheme: 'DCM', meaning: 'Referenced Segment' },
  sourceSeriesForSegmentation: { value: '121232', scheme: 'DCM', meaning: 'Source series for segmentation' },
  pneumonia: { value: '233604007', scheme: 'SCT', meaning: 'Pneumonia' },
  volume: { value: '118565006', scheme: 'SCT', meaning: 'Volume' },
  percentOfLungVolume: { value: 'LB0001', scheme: LUNG_BURDEN_SCHEME, meaning: 'Percent of lung volume' },
  algorithmName: { value: '111001', scheme: 'DCM', meaning: 'Algorithm Name' },
  algorithmVersion: { value: '111003', scheme: 'DCM', meaning: 'Algorithm Version' },
  milliliter: { value: 'ml', scheme: 'UCUM', meaning: 'milliliter' },
  percent: { value: '%', scheme: 'UCUM', meaning: 'Percent' },
} as const satisfies Record<string, CodedConcept>;
