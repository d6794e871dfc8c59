import dcmjs from 'dcmjs';
import type { LabelAuthor } from '../domain/case.ts';
import { LESION_COLOURS, type LabelMap } from '../domain/label-map.ts';
import type { Mat3, Vec3, VolumeGeometry } from '../domain/volume.ts';
import type { SeriesMetadata } from '../dicom/types.ts';
import { parseDicom } from '../dicom/parse-dicom.ts';
import { numberValue, numberValues, sequenceItems, textValue, type NaturalDataset } from '../dicom/dataset-values.ts';
import { DicomError } from '../dicom/dicom-error.ts';
import { isValidUid } from './dicom-uid.ts';

/** SOP Class UID of the (multi-frame) Segmentation Storage IOD. */
export const SEG_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.66.4';
/** SOP Class UID of Label Map Segmentation Storage (read only). */
export const LABELMAP_SEG_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.66.7';
const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
/** Our implementation class UID (a fixed UUID-derived UID of the Lung Burden workstation). */
export const IMPLEMENTATION_CLASS_UID = '2.25.190364427468958390398120744813311946413';
const IMPLEMENTATION_VERSION = 'LUNGBURDEN_1';

/** A coded concept (Code Value, Coding Scheme Designator, Code Meaning). */
export interface CodedConcept {
  readonly value: string;
  readonly scheme: string;
  readonly meaning: string;
}

/** Designator of our local coding scheme (PS3.3 8.2: private schemes start with "99"). */
export const LOCAL_CODING_SCHEME = '99LUNGBURDEN';

/**
 * Coded concepts used for our segments. Ground-glass opacity uses the DICOM-defined code
 * (DCM 112120, CID 6102/6104 "Abnormal Opacity Finding or Feature"); SCT 50196008, which was
 * suggested, is "Perialveolar fibrosis of lung" and is not used.
 *
 * High opacity is consolidation **and pleural effusion** (the class of the training data), and
 * no SNOMED CT or DCM concept means that union: SCT 95436008 "Lung consolidation" (used before)
 * says less than the segment holds, SCT 60046008 "Pleural effusion" is outside the lung. So its
 * Segmented Property Type is a code of our local scheme {@link LOCAL_CODING_SCHEME}
 * (`HIGH-OPACITY`, "Consolidation and pleural effusion"), declared in the Coding Scheme
 * Identification Sequence, under the standard category SCT 49755003 "Morphologically Abnormal
 * Structure", with the SegmentDescription "High opacity: consolidation + pleural effusion". The
 * decoder still reads SCT 95436008 and SCT 60046008 segments of other tools as high opacity.
 */
export const SEG_CODES = {
  morphologicallyAbnormalStructure: { value: '49755003', scheme: 'SCT', meaning: 'Morphologically Abnormal Structure' },
  anatomicalStructure: { value: '123037004', scheme: 'SCT', meaning: 'Anatomical Structure' },
  groundGlassOpacity: { value: '112120', scheme: 'DCM', meaning: 'Ground glass opacity' },
  lungConsolidation: { value: '95436008', scheme: 'SCT', meaning: 'Lung consolidation' },
  pleuralEffusion: { value: '60046008', scheme: 'SCT', meaning: 'Pleural effusion' },
  highOpacity: { value: 'HIGH-OPACITY', scheme: LOCAL_CODING_SCHEME, meaning: 'Consolidation and pleural effusion' },
  lung: { value: '39607008', scheme: 'SCT', meaning: 'Lung' },
  right: { value: '24028007', scheme: 'SCT', meaning: 'Right' },
  left: { value: '7771000', scheme: 'SCT', meaning: 'Left' },
  artificialIntelligence: { value: '123110', scheme: 'DCM', meaning: 'Artificial Intelligence' },
  morphologicalOperations: { value: '123104', scheme: 'DCM', meaning: 'Morphological Operations' },
  segmentation: { value: '113076', scheme: 'DCM', meaning: 'Segmentation' },
  sourceImageForProcessing: { value: '121322', scheme: 'DCM', meaning: 'Source image for image processing operation' },
} as const satisfies Record<string, CodedConcept>;

/** SNOMED CT "Ground glass lung opacity" (2021 concept), accepted on input as GGO too. */
const SCT_GROUND_GLASS = '1217294009';

/** Error of DICOM SEG encoding/decoding (bad input, unsupported object, geometry mismatch). */
export class DicomSegError extends Error {
  override readonly name = 'DicomSegError';
  constructor(
    readonly code: 'bad-input' | 'no-dicom-source' | 'not-seg' | 'unsupported' | 'geometry-mismatch' | 'malformed',
    message: string,
  ) {
    super(message);
  }
}

/** How a segment was produced (Segment Algorithm Type and, if not MANUAL, its identification). */
export type SegAlgorithm =
  | { readonly type: 'MANUAL' }
  | {
      readonly type: 'AUTOMATIC' | 'SEMIAUTOMATIC';
      readonly name: string;
      readonly version: string;
      /** Algorithm family: a neural network or a classical (morphological/threshold) method. */
      readonly family: 'ai' | 'classical';
    };

/** MANUAL for reader versions; AUTOMATIC for model (AI) and algorithm (classical) versions. */
export function segAlgorithmOf(author: LabelAuthor): SegAlgorithm {
  if (author.kind === 'reader') return { type: 'MANUAL' };
  const name = (author.modelName ?? author.name).trim() || author.name;
  const version = author.modelVersion ?? /\bv?(\d+(?:\.\d+)*)\s*$/.exec(author.name)?.[1] ?? 'unknown';
  return { type: 'AUTOMATIC', name, version, family: author.kind === 'model' ? 'ai' : 'classical' };
}

/**
 * Segment Algorithm Type of each lesion class of a label version, from who made it and what the
 * reader changed (PS3.3 C.8.20.4: AUTOMATIC = "calculated segmentation", SEMIAUTOMATIC =
 * "calculated segmentation with user assistance", MANUAL = "user-entered segmentation"):
 * - a model or algorithm version: AUTOMATIC for both classes;
 * - a reader version descended from a model/algorithm version (`ancestor`): per class,
 *   AUTOMATIC when the reader left that class exactly as the ancestor had it (`classChanged`
 *   false), else SEMIAUTOMATIC with the ancestor's algorithm identification;
 * - a reader version with no such ancestor (drawn from empty): MANUAL.
 */
export function lesionSegAlgorithms(
  author: LabelAuthor,
  ancestor: LabelAuthor | null,
  classChanged: (label: 1 | 2) => boolean,
): { readonly ggo: SegAlgorithm; readonly highOpacity: SegAlgorithm } {
  if (author.kind !== 'reader') {
    const a = segAlgorithmOf(author);
    return { ggo: a, highOpacity: a };
  }
  if (ancestor === null || ancestor.kind === 'reader') return { ggo: { type: 'MANUAL' }, highOpacity: { type: 'MANUAL' } };
  const base = segAlgorithmOf(ancestor);
  if (base.type === 'MANUAL') return { ggo: base, highOpacity: base };
  const of = (label: 1 | 2): SegAlgorithm => (classChanged(label) ? { ...base, type: 'SEMIAUTOMATIC' } : base);
  return { ggo: of(1), highOpacity: of(2) };
}

/** Input of {@link encodeDicomSeg}. */
export interface DicomSegInput {
  /** Lesion label map (0 background, 1 GGO, 2 high opacity) on the source series' grid. */
  readonly lesions: LabelMap;
  /** Algorithm of both lesion segments, unless `lesionAlgorithms` gives one per class. */
  readonly lesionAlgorithm: SegAlgorithm;
  /** Per-class algorithms (see {@link lesionSegAlgorithms}); override `lesionAlgorithm`. */
  readonly lesionAlgorithms?: { readonly ggo: SegAlgorithm; readonly highOpacity: SegAlgorithm };
  /** Optional lung mask (0 outside, 1 right, 2 left) on the same grid. */
  readonly lung?: { readonly labels: LabelMap; readonly algorithm: SegAlgorithm };
  /** The source CT series; `sopInstanceUids[k]` must be the instance of slice k. */
  readonly source: SeriesMetadata;
  /** Returns a fresh UID each call (series, instance and dimension organization UIDs). */
  readonly newUid: () => string;
  /** Content date/time (ISO 8601; written as UTC DA/TM), e.g. the label version's `createdAt`. */
  readonly createdAt: string;
  readonly seriesNumber?: number;
  readonly seriesDescription?: string;
  /** Reader who created the content (Content Creator's Name), for manual versions. */
  readonly contentCreator?: string;
  readonly contentDescription?: string;
  readonly softwareVersion: string;
}

type Ds = Record<string, unknown>;

/**
 * Derivation Description of a frame whose source slice had an empty or non-unique SOP Instance UID
 * in its files: the reference is the derived UID stored on import; the export lists the mapping.
 */
export const REMAPPED_REFERENCE_NOTE =
  'Source slice had an empty or non-unique SOP Instance UID; referenced by the stable UID derived on import (original-to-derived mapping exported beside this file)';

const code = (c: CodedConcept): Ds => ({ CodeValue: c.value, CodingSchemeDesignator: c.scheme, CodeMeaning: c.meaning });

/** A decimal string of at most 16 characters (DS VR). */
export function formatDs(x: number): string {
  if (!Number.isFinite(x)) throw new DicomSegError('bad-input', `cannot write ${x} as a DICOM decimal string`);
  if (Object.is(x, -0) || Math.abs(x) < 1e-12) return '0';
  for (let p = 16; p >= 1; p--) {
    let s = Number(x.toPrecision(p)).toString();
    if (s.includes('e'))
      s = x
        .toExponential(Math.max(0, p - 1))
        .replace('e+', 'E+')
        .replace('e-', 'E-');
    if (s.length <= 16) return s;
  }
  throw new DicomSegError('bad-input', `cannot write ${x} in 16 characters`);
}

/** sRGB (0–255) → DICOM scaled CIELab (PS3.3 C.10.7.1.1, D65), as Recommended Display CIELab Value. */
export function rgbToDicomLab(rgb: readonly [number, number, number]): [number, number, number] {
  const lin = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const x = (0.4124564 * lin[0] + 0.3575761 * lin[1] + 0.1804375 * lin[2]) / 0.95047;
  const y = 0.2126729 * lin[0] + 0.7151522 * lin[1] + 0.072175 * lin[2];
  const z = (0.0193339 * lin[0] + 0.119192 * lin[1] + 0.9503041 * lin[2]) / 1.08883;
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const l = 116 * f(y) - 16;
  const a = 500 * (f(x) - f(y));
  const b = 200 * (f(y) - f(z));
  const clamp = (v: number): number => Math.max(0, Math.min(65535, Math.round(v)));
  return [clamp((l * 65535) / 100), clamp(((a + 128) * 65535) / 255), clamp(((b + 128) * 65535) / 255)];
}

interface SegmentSpec {
  readonly number: number;
  readonly label: string;
  readonly description: string;
  readonly category: CodedConcept;
  readonly type: CodedConcept;
  readonly modifier?: CodedConcept;
  readonly rgb: readonly [number, number, number];
  readonly algorithm: SegAlgorithm;
  /** Label map and value that make up this segment. */
  readonly map: LabelMap;
  readonly value: number;
}

function segmentItem(s: SegmentSpec): Ds {
  const type: Ds = { ...code(s.type) };
  if (s.modifier) type['SegmentedPropertyTypeModifierCodeSequence'] = [code(s.modifier)];
  const item: Ds = {
    SegmentNumber: s.number,
    SegmentLabel: s.label,
    SegmentDescription: s.description,
    SegmentAlgorithmType: s.algorithm.type,
    SegmentedPropertyCategoryCodeSequence: [code(s.category)],
    SegmentedPropertyTypeCodeSequence: [type],
    AnatomicRegionSequence: [code(SEG_CODES.lung)],
    RecommendedDisplayCIELabValue: rgbToDicomLab(s.rgb),
  };
  if (s.algorithm.type !== 'MANUAL') {
    item['SegmentAlgorithmName'] = s.algorithm.name.slice(0, 64);
    item['SegmentationAlgorithmIdentificationSequence'] = [
      {
        AlgorithmFamilyCodeSequence: [
          code(s.algorithm.family === 'ai' ? SEG_CODES.artificialIntelligence : SEG_CODES.morphologicalOperations),
        ],
        AlgorithmName: s.algorithm.name.slice(0, 64),
        AlgorithmVersion: s.algorithm.version.slice(0, 64),
      },
    ];
  }
  return item;
}

function sameGeometry(a: VolumeGeometry, b: VolumeGeometry): boolean {
  const close = (x: readonly number[], y: readonly number[]): boolean => x.every((v, n) => Math.abs(v - (y[n] as number)) < 1e-4);
  return (
    close(a.size, b.size) && close(a.spacingMm, b.spacingMm) && close(a.originLps, b.originLps) && close(a.directionLps, b.directionLps)
  );
}

function dicomDateTime(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new DicomSegError('bad-input', `createdAt "${iso}" is not an ISO 8601 date`);
  const s = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  return { date: s.slice(0, 10).replaceAll('-', ''), time: s.slice(11, 19).replaceAll(':', '') };
}

/** A source Study Time kept when it is a valid TM (HH[MM[SS[.FFFFFF]]], colons of old files dropped), else empty. */
function dicomTime(tm: string): string {
  const t = tm.trim().replaceAll(':', '');
  return /^\d{2}(\d{2}(\d{2}(\.\d{1,6})?)?)?$/.test(t) ? t : '';
}

const ident = (s: string, max: number): string => s.replace(/[\\\u0000-\u001f]/g, ' ').slice(0, max);

/** A free-text person identity as a DICOM PN: "Jane Doe" → "Doe^Jane"; names with "^" are kept. */
export function personName(name: string): string {
  const t = name
    .replace(/[\\\u0000-\u001f=]/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
  if (t.includes('^') || !t.includes(' ')) return t.slice(0, 64);
  const parts = t.split(' ');
  const family = parts.pop() as string;
  return `${family}^${parts.join(' ')}`.slice(0, 64);
}

/**
 * Builds the DICOM Segmentation dataset (dcmjs naturalized form, without file meta) of a lesion
 * label map (+ optional lung mask): BINARY, one segment per class (1 GGO, 2 high opacity; then
 * 3 right lung, 4 left lung), frames ordered by segment then slice k, only non-empty frames (one
 * empty frame when every segment is empty). Each frame references its source instance
 * (Derivation Image Sequence) and carries its Plane Position; the Common Instance Reference
 * lists the whole source series. Rows = nJ, Columns = nI (the volume's i runs along columns).
 *
 * @throws DicomSegError `no-dicom-source` when the source series has no per-slice SOP Instance
 *   UIDs (NIfTI imports, permuted series), `bad-input` for label maps off the source grid.
 */
export function buildDicomSegDataset(input: DicomSegInput): Ds {
  const { lesions, source } = input;
  const [nI, nJ, nK] = lesions.size;
  if (lesions.data.length !== nI * nJ * nK) throw new DicomSegError('bad-input', 'lesion label map length does not match its size');
  if (input.lung) {
    if (!sameGeometry(lesions, input.lung.labels) || input.lung.labels.data.length !== lesions.data.length) {
      throw new DicomSegError('bad-input', 'lung mask and lesion label map are on different grids');
    }
  }
  if (source.sopInstanceUids.length !== nK || !source.sopInstanceUids.every(isValidUid)) {
    throw new DicomSegError(
      'no-dicom-source',
      source.sopInstanceUids.length === 0
        ? 'the case has no DICOM source instances (NIfTI import or reoriented series): a DICOM SEG cannot reference it; export NIfTI instead'
        : `the source series lists ${source.sopInstanceUids.length} instances for ${nK} slices`,
    );
  }
  if (!isValidUid(source.seriesInstanceUid) || !isValidUid(source.studyInstanceUid) || !isValidUid(source.sopClassUid)) {
    throw new DicomSegError('no-dicom-source', 'the source series lacks a valid study/series/SOP class UID');
  }
  const frameNumbers = source.frameNumbers;
  const multiFrameSource = frameNumbers !== undefined && (new Set(source.sopInstanceUids).size < nK || frameNumbers.some((f) => f !== 1));

  const segments: SegmentSpec[] = [
    {
      number: 1,
      label: 'GGO',
      description: 'Ground-glass opacity',
      category: SEG_CODES.morphologicallyAbnormalStructure,
      type: SEG_CODES.groundGlassOpacity,
      rgb: LESION_COLOURS.ggo,
      algorithm: input.lesionAlgorithms?.ggo ?? input.lesionAlgorithm,
      map: lesions,
      value: 1,
    },
    {
      number: 2,
      label: 'High opacity',
      description: 'High opacity: consolidation + pleural effusion',
      category: SEG_CODES.morphologicallyAbnormalStructure,
      type: SEG_CODES.highOpacity,
      rgb: LESION_COLOURS.highOpacity,
      algorithm: input.lesionAlgorithms?.highOpacity ?? input.lesionAlgorithm,
      map: lesions,
      value: 2,
    },
  ];
  if (input.lung) {
    const l = input.lung;
    segments.push(
      {
        number: 3,
        label: 'Right lung',
        description: 'Right lung',
        category: SEG_CODES.anatomicalStructure,
        type: SEG_CODES.lung,
        modifier: SEG_CODES.right,
        rgb: [128, 174, 128],
        algorithm: l.algorithm,
        map: l.labels,
        value: 1,
      },
      {
        number: 4,
        label: 'Left lung',
        description: 'Left lung',
        category: SEG_CODES.anatomicalStructure,
        type: SEG_CODES.lung,
        modifier: SEG_CODES.left,
        rgb: [241, 214, 145],
        algorithm: l.algorithm,
        map: l.labels,
        value: 2,
      },
    );
  }

  // Which (segment, slice) frames are non-empty.
  const plane = nI * nJ;
  const frames: { seg: SegmentSpec; k: number }[] = [];
  for (const seg of segments) {
    const d = seg.map.data;
    for (let k = 0; k < nK; k++) {
      const off = k * plane;
      for (let p = 0; p < plane; p++) {
        if (d[off + p] === seg.value) {
          frames.push({ seg, k });
          break;
        }
      }
    }
  }
  const emptyFrame = frames.length === 0;
  if (emptyFrame) frames.push({ seg: segments[0] as SegmentSpec, k: 0 });

  // Bit-packed pixel data, frames back to back (PS3.5 §8.1.1: no padding between frames).
  const totalBits = frames.length * plane;
  const pixelBytes = new Uint8Array(Math.ceil(totalBits / 8) + (Math.ceil(totalBits / 8) % 2));
  if (!emptyFrame) {
    frames.forEach(({ seg, k }, f) => {
      const d = seg.map.data;
      const off = k * plane;
      const bit0 = f * plane;
      for (let p = 0; p < plane; p++) {
        if (d[off + p] === seg.value) {
          const b = bit0 + p;
          pixelBytes[b >> 3]! |= 1 << (b & 7);
        }
      }
    });
  }

  const dir = lesions.directionLps;
  const sp = lesions.spacingMm;
  const o = lesions.originLps;
  const position = (k: number): string[] => [0, 1, 2].map((r) => formatDs(o[r as 0 | 1 | 2] + k * sp[2] * (dir[6 + r] as number)));
  const { date, time } = dicomDateTime(input.createdAt);
  const dimensionOrganizationUid = input.newUid();
  const segSeriesUid = input.newUid();
  const segInstanceUid = input.newUid();
  const overlap = input.lung !== undefined;

  const perFrame = frames.map(({ seg, k }) => {
    const sourceItem: Ds = {
      ReferencedSOPClassUID: source.sopClassUid,
      ReferencedSOPInstanceUID: source.sopInstanceUids[k],
      PurposeOfReferenceCodeSequence: [code(SEG_CODES.sourceImageForProcessing)],
      SpatialLocationsPreserved: 'YES',
    };
    if (multiFrameSource) sourceItem['ReferencedFrameNumber'] = frameNumbers[k] ?? 1;
    const derivation: Ds = { SourceImageSequence: [sourceItem], DerivationCodeSequence: [code(SEG_CODES.segmentation)] };
    // Slices whose UID was empty or shared in the source files are referenced by the stable UID
    // derived on import (`stable-instance-uids.ts`); say so where the reference is made.
    const original = source.originalSopInstanceUids?.[k];
    if (original !== undefined && original !== source.sopInstanceUids[k]) {
      derivation['DerivationDescription'] = REMAPPED_REFERENCE_NOTE;
    }
    return {
      DerivationImageSequence: [derivation],
      FrameContentSequence: [{ DimensionIndexValues: [seg.number, k + 1] }],
      PlanePositionSequence: [{ ImagePositionPatient: position(k) }],
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: seg.number }],
    };
  });

  const uniqueInstances = [...new Set(source.sopInstanceUids)];
  const ds: Ds = {
    SpecificCharacterSet: 'ISO_IR 192',
    ImageType: ['DERIVED', 'PRIMARY'],
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    SOPClassUID: SEG_SOP_CLASS_UID,
    SOPInstanceUID: segInstanceUid,
    StudyDate: source.studyDate,
    SeriesDate: date,
    ContentDate: date,
    StudyTime: dicomTime(source.studyTime ?? ''),
    SeriesTime: time,
    ContentTime: time,
    AccessionNumber: ident(source.accessionNumber, 16),
    Modality: 'SEG',
    Manufacturer: 'Lung Burden',
    ReferringPhysicianName: [{ Alphabetic: ident(source.referringPhysicianName ?? '', 64) }],
    StudyDescription: ident(source.studyDescription, 64),
    SeriesDescription: ident(input.seriesDescription ?? 'Lung Burden lesion segmentation', 64),
    ManufacturerModelName: 'Lung Burden workstation',
    ReferencedSeriesSequence: [
      {
        SeriesInstanceUID: source.seriesInstanceUid,
        ReferencedInstanceSequence: uniqueInstances.map((uid) => ({
          ReferencedSOPClassUID: source.sopClassUid,
          ReferencedSOPInstanceUID: uid,
        })),
      },
    ],
    PatientName: [{ Alphabetic: source.patientName }],
    PatientID: ident(source.patientId, 64),
    PatientBirthDate: source.patientBirthDate,
    PatientSex: ['M', 'F', 'O'].includes(source.patientSex) ? source.patientSex : '',
    DeviceSerialNumber: 'software',
    SoftwareVersions: ident(input.softwareVersion, 64),
    StudyInstanceUID: source.studyInstanceUid,
    SeriesInstanceUID: segSeriesUid,
    StudyID: ident(source.studyId ?? '', 16),
    SeriesNumber: input.seriesNumber ?? 900,
    InstanceNumber: 1,
    FrameOfReferenceUID: isValidUid(source.frameOfReferenceUid) ? source.frameOfReferenceUid : input.newUid(),
    PositionReferenceIndicator: '',
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUid }],
    DimensionIndexSequence: [
      {
        DimensionOrganizationUID: dimensionOrganizationUid,
        DimensionIndexPointer: 0x0062000b,
        FunctionalGroupPointer: 0x0062000a,
        DimensionDescriptionLabel: 'Segment Number',
      },
      {
        DimensionOrganizationUID: dimensionOrganizationUid,
        DimensionIndexPointer: 0x00200032,
        FunctionalGroupPointer: 0x00209113,
        DimensionDescriptionLabel: 'Image Position Patient',
      },
    ],
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    NumberOfFrames: frames.length,
    Rows: nJ,
    Columns: nI,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    SegmentationType: 'BINARY',
    SegmentsOverlap: overlap ? 'UNDEFINED' : 'NO',
    ContentLabel: 'LESIONS',
    ContentDescription: ident(input.contentDescription ?? 'COVID-19 pneumonia lesions (GGO, high opacity)', 64),
    ContentCreatorName: [{ Alphabetic: personName(input.contentCreator ?? '') }],
    CodingSchemeIdentificationSequence: [
      {
        CodingSchemeDesignator: LOCAL_CODING_SCHEME,
        CodingSchemeName: 'Lung Burden local codes',
        CodingSchemeResponsibleOrganization: 'Lung Burden project',
      },
    ],
    SegmentSequence: segments.map(segmentItem),
    SharedFunctionalGroupsSequence: [
      {
        PlaneOrientationSequence: [{ ImageOrientationPatient: [0, 1, 2, 3, 4, 5].map((n) => formatDs(dir[n] as number)) }],
        PixelMeasuresSequence: [
          {
            PixelSpacing: [formatDs(sp[1]), formatDs(sp[0])],
            SliceThickness: formatDs(source.sliceThicknessMm && source.sliceThicknessMm > 0 ? source.sliceThicknessMm : sp[2]),
            SpacingBetweenSlices: formatDs(sp[2]),
          },
        ],
      },
    ],
    PerFrameFunctionalGroupsSequence: perFrame,
    PixelData: pixelBytes.buffer,
    _vrMap: { PixelData: 'OB' },
  };
  return ds;
}

/** Serialises a naturalized dataset as a DICOM Part-10 file (explicit VR little endian). */
export function writeDicomDataset(ds: Ds): Uint8Array {
  const sopClass = typeof ds['SOPClassUID'] === 'string' ? ds['SOPClassUID'] : '';
  const sopInstance = typeof ds['SOPInstanceUID'] === 'string' ? ds['SOPInstanceUID'] : '';
  const meta = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sopInstance,
    TransferSyntaxUID: EXPLICIT_VR_LE,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION,
    _vrMap: { FileMetaInformationVersion: 'OB' },
  });
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(ds);
  return new Uint8Array(dict.write());
}

/**
 * Encodes a lesion label map (+ optional lung mask) as a DICOM Segmentation Part-10 file
 * (see {@link buildDicomSegDataset}). `transform` may rewrite the dataset before it is written
 * (e.g. de-identification).
 */
export function encodeDicomSeg(input: DicomSegInput, transform?: (ds: Ds) => Ds): Uint8Array {
  const ds = buildDicomSegDataset(input);
  return writeDicomDataset(transform ? transform(ds) : ds);
}

// ───────────────────────────── decoding ─────────────────────────────

/** What a segment of a decoded SEG stands for in this application, when recognised. */
export type SegmentRole = 'ggo' | 'highOpacity' | 'lungRight' | 'lungLeft' | null;

export interface DecodedSegment {
  readonly number: number;
  readonly label: string;
  readonly algorithmType: string;
  readonly algorithmName: string;
  readonly category: CodedConcept | null;
  readonly type: CodedConcept | null;
  readonly typeModifier: CodedConcept | null;
  readonly role: SegmentRole;
  /** Voxels of this segment on the target grid. */
  readonly voxels: number;
}

export interface DecodedDicomSeg {
  readonly segmentationType: 'BINARY' | 'FRACTIONAL' | 'LABELMAP';
  readonly segments: readonly DecodedSegment[];
  /** Voxel = segment number (0 none); where segments overlap the highest number wins. */
  readonly segmentLabels: LabelMap;
  /** Voxels claimed by more than one segment. */
  readonly overlapVoxels: number;
  /** Our lesion map (1 GGO, 2 high opacity) when the SEG has recognised lesion segments. */
  readonly lesions: LabelMap | null;
  /** Our lung mask (1 right, 2 left) when the SEG has recognised lung segments. */
  readonly lung: LabelMap | null;
  /** How frames were placed: by the referenced SOP instances or by their plane positions. */
  readonly mapping: 'references' | 'positions';
  readonly referencedSeriesInstanceUid: string;
  readonly frameOfReferenceUid: string;
}

/** The grid to decode onto: the referenced series' geometry and, optionally, its instances. */
export interface SegTarget {
  readonly geometry: VolumeGeometry;
  /** SOP Instance UID of slice k (as `SeriesMetadata.sopInstanceUids`). */
  readonly sopInstanceUids?: readonly string[];
  /** Frame number of slice k within its instance (Enhanced CT); absent = all 1. */
  readonly frameNumbers?: readonly number[];
}

function readCode(ds: NaturalDataset | undefined): CodedConcept | null {
  if (!ds) return null;
  const value = textValue(ds, 'CodeValue') || textValue(ds, 'LongCodeValue') || textValue(ds, 'URNCodeValue');
  if (!value) return null;
  return { value, scheme: textValue(ds, 'CodingSchemeDesignator'), meaning: textValue(ds, 'CodeMeaning') };
}

function roleOf(type: CodedConcept | null, modifier: CodedConcept | null): SegmentRole {
  if (!type) return null;
  const is = (c: CodedConcept, v: string, schemes: readonly string[]): boolean => c.value === v && schemes.includes(c.scheme);
  if (is(type, SEG_CODES.groundGlassOpacity.value, ['DCM']) || is(type, SCT_GROUND_GLASS, ['SCT'])) return 'ggo';
  if (
    is(type, SEG_CODES.highOpacity.value, [LOCAL_CODING_SCHEME]) ||
    is(type, SEG_CODES.lungConsolidation.value, ['SCT']) ||
    is(type, SEG_CODES.pleuralEffusion.value, ['SCT'])
  )
    return 'highOpacity';
  if (is(type, SEG_CODES.lung.value, ['SCT', 'SRT']) || (type.value === 'T-28000' && type.scheme === 'SRT')) {
    if (modifier && (modifier.value === SEG_CODES.right.value || modifier.value === 'G-A100')) return 'lungRight';
    if (modifier && (modifier.value === SEG_CODES.left.value || modifier.value === 'G-A101')) return 'lungLeft';
  }
  return null;
}

/** Row and column direction cosines and pixel spacing of a frame (per-frame group, else shared). */
function frameGroup(shared: NaturalDataset | undefined, perFrame: NaturalDataset | undefined, seq: string): NaturalDataset | undefined {
  return (perFrame && sequenceItems(perFrame, seq)[0]) ?? (shared && sequenceItems(shared, seq)[0]);
}

/**
 * The grid a SEG's own frames span (for SEGs whose referenced images are not available): frame
 * orientation and pixel spacing, slices along the normal at the smallest distinct spacing
 * between frame positions (or Spacing Between Slices), from the lowest to the highest position.
 */
export function segOwnGeometry(bytes: Uint8Array): VolumeGeometry {
  const { dataset } = parseSeg(bytes);
  const shared = sequenceItems(dataset, 'SharedFunctionalGroupsSequence')[0];
  const perFrame = sequenceItems(dataset, 'PerFrameFunctionalGroupsSequence');
  const rows = numberValue(dataset, 'Rows');
  const cols = numberValue(dataset, 'Columns');
  if (!rows || !cols || perFrame.length === 0) throw new DicomSegError('malformed', 'SEG has no frames or no Rows/Columns');
  const orient = frameGroup(shared, perFrame[0], 'PlaneOrientationSequence');
  const measures = frameGroup(shared, perFrame[0], 'PixelMeasuresSequence');
  const iop = orient && numberValues(orient, 'ImageOrientationPatient', 6);
  const ps = measures && numberValues(measures, 'PixelSpacing', 2);
  if (!iop || !ps) throw new DicomSegError('malformed', 'SEG lacks Image Orientation or Pixel Spacing');
  const r: Vec3 = [iop[0]!, iop[1]!, iop[2]!];
  const c: Vec3 = [iop[3]!, iop[4]!, iop[5]!];
  const nrm: Vec3 = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]];
  const positions = perFrame.map((f) => {
    const pp = frameGroup(shared, f, 'PlanePositionSequence');
    const p = pp && numberValues(pp, 'ImagePositionPatient', 3);
    if (!p) throw new DicomSegError('malformed', 'a SEG frame lacks Image Position (Patient)');
    return p as unknown as Vec3;
  });
  const d = positions.map((p) => p[0] * nrm[0] + p[1] * nrm[1] + p[2] * nrm[2]);
  const sorted = [...new Set(d.map((x) => Math.round(x * 1000) / 1000))].sort((a, b) => a - b);
  let step = numberValue(measures, 'SpacingBetweenSlices') ?? 0;
  if (!(step > 0)) {
    step = Infinity;
    for (let n = 1; n < sorted.length; n++) step = Math.min(step, (sorted[n] as number) - (sorted[n - 1] as number));
    if (!Number.isFinite(step)) step = numberValue(measures, 'SliceThickness') || 1;
  }
  const lo = d.indexOf(Math.min(...d));
  const first = positions[lo] as Vec3;
  const nK = Math.round(((sorted[sorted.length - 1] as number) - (sorted[0] as number)) / step) + 1;
  return {
    size: [cols, rows, nK],
    spacingMm: [ps[1]!, ps[0]!, step],
    originLps: first,
    directionLps: [...r, ...c, ...nrm] as unknown as Mat3,
  };
}

function parseSeg(bytes: Uint8Array): ReturnType<typeof parseDicom> {
  let parsed;
  try {
    parsed = parseDicom(bytes);
  } catch (e) {
    if (e instanceof DicomError) throw new DicomSegError('malformed', `not a readable DICOM file: ${e.message}`);
    throw e;
  }
  if (parsed.sopClassUid !== SEG_SOP_CLASS_UID && parsed.sopClassUid !== LABELMAP_SEG_SOP_CLASS_UID) {
    throw new DicomSegError('not-seg', `not a DICOM Segmentation (SOP class ${parsed.sopClassUid || 'missing'})`);
  }
  return parsed;
}

/**
 * Decodes a DICOM Segmentation (ours or another tool's: BINARY, FRACTIONAL — voxels at or above
 * half the maximum fractional value — and LABELMAP, native transfer syntaxes) onto the grid of
 * the referenced series. Each frame is placed on slice k through its referenced SOP instance
 * (+ frame number) when the target lists its instances and every frame resolves, otherwise
 * through its Image Position (Patient) projected on the target grid. Frames must lie on the
 * target's rows and columns (same orientation, size, in-plane origin); nothing is resampled.
 *
 * @throws DicomSegError `not-seg`, `unsupported` (compressed pixel data, >255 segments),
 *   `malformed`, `geometry-mismatch` (frames off the target grid).
 */
export function decodeDicomSeg(bytes: Uint8Array, target: SegTarget): DecodedDicomSeg {
  const parsed = parseSeg(bytes);
  const ds = parsed.dataset;
  const g = target.geometry;
  const [nI, nJ, nK] = g.size;
  const plane = nI * nJ;
  const rows = numberValue(ds, 'Rows');
  const cols = numberValue(ds, 'Columns');
  if (rows !== nJ || cols !== nI) {
    throw new DicomSegError('geometry-mismatch', `SEG frames are ${cols}×${rows}, the target slices ${nI}×${nJ}`);
  }
  const typeText = textValue(ds, 'SegmentationType').toUpperCase();
  const segType: DecodedDicomSeg['segmentationType'] =
    typeText === 'FRACTIONAL'
      ? 'FRACTIONAL'
      : typeText === 'LABELMAP' || parsed.sopClassUid === LABELMAP_SEG_SOP_CLASS_UID
        ? 'LABELMAP'
        : 'BINARY';
  const bits = numberValue(ds, 'BitsAllocated') ?? (segType === 'BINARY' ? 1 : 8);
  const nFrames = numberValue(ds, 'NumberOfFrames') ?? 1;
  if (!parsed.pixelData) throw new DicomSegError('malformed', 'SEG has no pixel data');
  if (parsed.pixelData.encapsulated) {
    throw new DicomSegError(
      'unsupported',
      `compressed SEG pixel data (transfer syntax ${parsed.transferSyntaxUid}) is not supported; re-save it uncompressed`,
    );
  }
  const px = parsed.pixelData.bytes;
  const needBytes = Math.ceil((nFrames * plane * bits) / 8);
  if (px.length < needBytes)
    throw new DicomSegError('malformed', `SEG pixel data has ${px.length} bytes, ${nFrames} frames need ${needBytes}`);
  if (bits !== 1 && bits !== 8 && bits !== 16) throw new DicomSegError('unsupported', `SEG with ${bits} bits allocated`);
  const bigEndian = parsed.transferSyntaxUid === '1.2.840.10008.1.2.2';
  const maxFractional = numberValue(ds, 'MaximumFractionalValue') ?? 255;

  // Segments.
  const segItems = sequenceItems(ds, 'SegmentSequence');
  const segInfo = new Map<
    number,
    {
      label: string;
      algorithmType: string;
      algorithmName: string;
      category: CodedConcept | null;
      type: CodedConcept | null;
      modifier: CodedConcept | null;
    }
  >();
  for (const s of segItems) {
    const n = numberValue(s, 'SegmentNumber');
    if (n === null || n < 0) continue;
    const typeItem = sequenceItems(s, 'SegmentedPropertyTypeCodeSequence')[0];
    const modifier = readCode(
      (typeItem && sequenceItems(typeItem, 'SegmentedPropertyTypeModifierCodeSequence')[0]) ??
        sequenceItems(s, 'SegmentedPropertyTypeModifierCodeSequence')[0],
    );
    segInfo.set(n, {
      label: textValue(s, 'SegmentLabel'),
      algorithmType: textValue(s, 'SegmentAlgorithmType'),
      algorithmName: textValue(s, 'SegmentAlgorithmName'),
      category: readCode(sequenceItems(s, 'SegmentedPropertyCategoryCodeSequence')[0]),
      type: readCode(typeItem),
      modifier,
    });
  }
  if ([...segInfo.keys()].some((n) => n > 255)) throw new DicomSegError('unsupported', 'more than 255 segments');

  // Frame placement.
  const shared = sequenceItems(ds, 'SharedFunctionalGroupsSequence')[0];
  const perFrame = sequenceItems(ds, 'PerFrameFunctionalGroupsSequence');
  if (perFrame.length !== nFrames)
    throw new DicomSegError('malformed', `SEG has ${nFrames} frames but ${perFrame.length} per-frame groups`);
  const bySop = new Map<string, number>();
  target.sopInstanceUids?.forEach((uid, k) => bySop.set(`${uid}#${target.frameNumbers?.[k] ?? 1}`, k));
  const byRef = (f: NaturalDataset | undefined): number | null => {
    if (!f || bySop.size === 0) return null;
    for (const d of sequenceItems(f, 'DerivationImageSequence')) {
      for (const src of sequenceItems(d, 'SourceImageSequence')) {
        const uid = textValue(src, 'ReferencedSOPInstanceUID');
        const frame = numberValue(src, 'ReferencedFrameNumber') ?? 1;
        const k = bySop.get(`${uid}#${frame}`);
        if (k !== undefined) return k;
      }
    }
    return null;
  };
  const dir = g.directionLps;
  const axis = (c: number): Vec3 => [dir[3 * c] as number, dir[3 * c + 1] as number, dir[3 * c + 2] as number];
  const [ai, aj, ak] = [axis(0), axis(1), axis(2)];
  const dot = (a: readonly number[], b: Vec3): number => (a[0] as number) * b[0] + (a[1] as number) * b[1] + (a[2] as number) * b[2];
  const byPosition = (f: NaturalDataset | undefined, n: number): number => {
    const orient = frameGroup(shared, f, 'PlaneOrientationSequence');
    const iop = orient && numberValues(orient, 'ImageOrientationPatient', 6);
    if (iop && (Math.abs(dot(iop.slice(0, 3), ai) - 1) > 1e-3 || Math.abs(dot(iop.slice(3, 6), aj) - 1) > 1e-3)) {
      throw new DicomSegError('geometry-mismatch', `SEG frame ${n + 1} is not oriented like the target slices`);
    }
    const pp = frameGroup(shared, f, 'PlanePositionSequence');
    const p = pp && numberValues(pp, 'ImagePositionPatient', 3);
    if (!p) throw new DicomSegError('malformed', `SEG frame ${n + 1} has no Image Position (Patient)`);
    const d = [p[0]! - g.originLps[0], p[1]! - g.originLps[1], p[2]! - g.originLps[2]];
    const fi = dot(d, ai) / g.spacingMm[0];
    const fj = dot(d, aj) / g.spacingMm[1];
    const fk = dot(d, ak) / g.spacingMm[2];
    const k = Math.round(fk);
    if (Math.abs(fi) > 0.01 || Math.abs(fj) > 0.01 || Math.abs(fk - k) > 0.05 || k < 0 || k >= nK) {
      throw new DicomSegError(
        'geometry-mismatch',
        `SEG frame ${n + 1} at (${p.map((x) => x.toFixed(2)).join(', ')}) is not a slice of the target grid`,
      );
    }
    return k;
  };
  const refSlices = perFrame.map(byRef);
  const useRefs = bySop.size > 0 && refSlices.every((k) => k !== null);
  const slices = useRefs ? refSlices : perFrame.map((f, n) => byPosition(f, n));
  const frameSegment = perFrame.map((f) => {
    const id = frameGroup(shared, f, 'SegmentIdentificationSequence');
    return id ? (numberValue(id, 'ReferencedSegmentNumber') ?? 0) : 0;
  });

  // Pixels.
  const labels = new Uint8Array(nI * nJ * nK);
  const counts = new Map<number, number>();
  let overlapVoxels = 0;
  const put = (idx: number, s: number): void => {
    const prev = labels[idx] as number;
    if (prev !== 0 && prev !== s) overlapVoxels++;
    if (s > prev) labels[idx] = s;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  };
  const view = new DataView(px.buffer, px.byteOffset, px.byteLength);
  for (let f = 0; f < nFrames; f++) {
    const k = slices[f] as number;
    const seg = frameSegment[f] as number;
    const base = k * plane;
    const first = f * plane;
    if (segType === 'LABELMAP') {
      for (let p = 0; p < plane; p++) {
        const v = bits === 8 ? (px[first + p] as number) : view.getUint16(2 * (first + p), !bigEndian);
        if (v > 255) throw new DicomSegError('unsupported', `label map value ${v} above 255`);
        if (v !== 0) put(base + p, v);
      }
    } else if (bits === 1) {
      if (seg <= 0) throw new DicomSegError('malformed', `SEG frame ${f + 1} has no Referenced Segment Number`);
      for (let p = 0; p < plane; p++) {
        const b = first + p;
        if (((px[b >> 3] as number) >> (b & 7)) & 1) put(base + p, seg);
      }
    } else {
      if (seg <= 0) throw new DicomSegError('malformed', `SEG frame ${f + 1} has no Referenced Segment Number`);
      const threshold = segType === 'FRACTIONAL' ? maxFractional / 2 : 1;
      for (let p = 0; p < plane; p++) {
        const v = bits === 8 ? (px[first + p] as number) : view.getUint16(2 * (first + p), !bigEndian);
        if (v >= threshold && v > 0) put(base + p, seg);
      }
    }
  }

  const segments: DecodedSegment[] = [...segInfo.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([number, s]) => ({
      number,
      label: s.label,
      algorithmType: s.algorithmType,
      algorithmName: s.algorithmName,
      category: s.category,
      type: s.type,
      typeModifier: s.modifier,
      role: roleOf(s.type, s.modifier),
      voxels: counts.get(number) ?? 0,
    }));

  // Our classes, recomputed from the frames so that overlapping segments do not hide each other.
  const geometry = { size: g.size, spacingMm: g.spacingMm, originLps: g.originLps, directionLps: g.directionLps };
  const roleValue = new Map<number, { map: 'lesions' | 'lung'; value: number }>();
  for (const s of segments) {
    if (s.role === 'ggo') roleValue.set(s.number, { map: 'lesions', value: 1 });
    if (s.role === 'highOpacity') roleValue.set(s.number, { map: 'lesions', value: 2 });
    if (s.role === 'lungRight') roleValue.set(s.number, { map: 'lung', value: 1 });
    if (s.role === 'lungLeft') roleValue.set(s.number, { map: 'lung', value: 2 });
  }
  let lesions: Uint8Array | null = null;
  let lung: Uint8Array | null = null;
  if (roleValue.size > 0 && segType !== 'LABELMAP') {
    for (let f = 0; f < nFrames; f++) {
      const rv = roleValue.get(frameSegment[f] as number);
      if (!rv) continue;
      const out = rv.map === 'lesions' ? (lesions ??= new Uint8Array(labels.length)) : (lung ??= new Uint8Array(labels.length));
      const base = (slices[f] as number) * plane;
      const first = f * plane;
      for (let p = 0; p < plane; p++) {
        let on: boolean;
        if (bits === 1) {
          const b = first + p;
          on = (((px[b >> 3] as number) >> (b & 7)) & 1) === 1;
        } else {
          const v = bits === 8 ? (px[first + p] as number) : view.getUint16(2 * (first + p), !bigEndian);
          on = v > 0 && v >= (segType === 'FRACTIONAL' ? maxFractional / 2 : 1);
        }
        if (on && rv.value > (out[base + p] as number)) out[base + p] = rv.value;
      }
    }
    if (!lesions && segments.some((s) => s.role === 'ggo' || s.role === 'highOpacity')) lesions = new Uint8Array(labels.length);
    if (!lung && segments.some((s) => s.role === 'lungRight' || s.role === 'lungLeft')) lung = new Uint8Array(labels.length);
  } else if (roleValue.size > 0) {
    for (const [seg, rv] of roleValue) {
      const out = rv.map === 'lesions' ? (lesions ??= new Uint8Array(labels.length)) : (lung ??= new Uint8Array(labels.length));
      for (let x = 0; x < labels.length; x++) if (labels[x] === seg) out[x] = rv.value;
    }
  }

  const refSeries = sequenceItems(ds, 'ReferencedSeriesSequence')[0];
  return {
    segmentationType: segType,
    segments,
    segmentLabels: { ...geometry, data: labels },
    overlapVoxels,
    lesions: lesions ? { ...geometry, data: lesions } : null,
    lung: lung ? { ...geometry, data: lung } : null,
    mapping: useRefs ? 'references' : 'positions',
    referencedSeriesInstanceUid: refSeries ? textValue(refSeries, 'SeriesInstanceUID') : '',
    frameOfReferenceUid: textValue(ds, 'FrameOfReferenceUID'),
  };
}
