import type { BurdenResult, RegionBurden } from '../imaging/burden.ts';
import type { SeriesMetadata } from '../dicom/types.ts';
import { isValidUid } from './dicom-uid.ts';
import { documentPatientStudySeries, ident, studyTimeOf } from './dicom-document-header.ts';
import { formatDs, personName, writeDicomDataset, SEG_CODES, SEG_SOP_CLASS_UID, type CodedConcept } from './dicom-seg.ts';

/** SOP Class UID of Comprehensive SR Storage (the IOD of our TID 1500 Measurement Report). */
export const COMPREHENSIVE_SR_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.88.33';

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

/** What a measurement group's findings are: the lung itself, a lesion class, or all lesions. */
export type SrFinding = 'lung' | 'ggo' | 'highOpacity' | 'lesion';

/** A lung region of the burden record, as the SR names it. */
export interface SrRegion {
  /** Tracking identifier prefix and key of the burden record: `both`, `right`, `left_upper`, `zone_middle`, … */
  readonly key: string;
  readonly side: 'right' | 'left' | 'both';
  readonly zone: 'upper' | 'middle' | 'lower' | null;
  readonly figures: RegionBurden;
}

/** One measurement group of the report: a finding in a region with its volume (and burden). */
export interface SrMeasurementGroup {
  readonly trackingId: string;
  readonly region: SrRegion;
  readonly finding: SrFinding;
  readonly volumeMl: number;
  /** Lesion findings: percent of the region's lung volume; null for the lung itself. */
  readonly percentOfLung: number | null;
  /** SEG segment number this group measures, when one segment is exactly its ROI (TID 1411). */
  readonly segmentNumber: number | null;
}

/** Segment numbers of the companion DICOM SEG (as `buildDicomSegDataset` writes them). */
export interface SrSegReference {
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly ggoSegment: number;
  readonly highOpacitySegment: number;
  /** Absent when the SEG has no lung segments. */
  readonly rightLungSegment: number | null;
  readonly leftLungSegment: number | null;
}

/** Input of {@link buildMeasurementReport}. */
export interface MeasurementReportInput {
  /** The stored burden record (the typed result of `computeBurden`): whole lungs, `right`/`left`, `zones`, `zonesByLung`. */
  readonly burden: BurdenResult;
  /** The source CT series; `sopInstanceUids` are its instances (slice order, possibly repeated for multi-frame). */
  readonly source: SeriesMetadata;
  readonly seg: SrSegReference;
  /** The model whose output the labels started from (device observer, algorithm identification). */
  readonly device: { readonly uid: string; readonly name: string; readonly version: string; readonly manufacturer: string };
  /** Sign-off of the reported label version; null = unsigned (a preliminary, unverified report). */
  readonly signOff: { readonly reader: string; readonly signedAt: string; readonly organization: string } | null;
  /** Reader who last edited the labels, when not signed (person observer of a preliminary report). */
  readonly editor?: string | null;
  readonly newUid: () => string;
  /** Content date/time (ISO 8601). */
  readonly createdAt: string;
  readonly seriesNumber: number;
  readonly softwareVersion: string;
}

/** Error of SR encoding (bad burden record, missing DICOM source). */
export class DicomSrError extends Error {
  override readonly name = 'DicomSrError';
  constructor(
    readonly code: 'bad-input' | 'no-dicom-source',
    message: string,
  ) {
    super(message);
  }
}

type Ds = Record<string, unknown>;
const code = (c: CodedConcept): Ds => ({ CodeValue: c.value, CodingSchemeDesignator: c.scheme, CodeMeaning: c.meaning });

const ZONES = ['upper', 'middle', 'lower'] as const;

/**
 * The regions of a burden record in report order: both lungs, right lung, left lung, each lung's
 * upper/middle/lower third (`right_upper` …), and the thirds of both lungs (`zone_upper` …).
 */
export function srRegionsOf(record: BurdenResult): SrRegion[] {
  const out: SrRegion[] = [{ key: 'both', side: 'both', zone: null, figures: record }];
  for (const side of ['right', 'left'] as const) out.push({ key: side, side, zone: null, figures: record[side] });
  for (const side of ['right', 'left'] as const) for (const z of ZONES) out.push({ key: `${side}_${z}`, side, zone: z, figures: record.zonesByLung[side][z] });
  for (const z of ZONES) out.push({ key: `zone_${z}`, side: 'both', zone: z, figures: record.zones[z] });
  return out;
}

/** The measurement groups of a report: per region, the lung, GGO, high opacity and all lesions. */
export function srMeasurementGroups(regions: readonly SrRegion[], seg: SrSegReference): SrMeasurementGroup[] {
  const groups: SrMeasurementGroup[] = [];
  for (const r of regions) {
    const f = r.figures;
    const lungSegment = r.side === 'right' ? seg.rightLungSegment : r.side === 'left' ? seg.leftLungSegment : null;
    groups.push(
      { trackingId: `${r.key}/lung`, region: r, finding: 'lung', volumeMl: f.lungVolumeMl, percentOfLung: null, segmentNumber: lungSegment },
      { trackingId: `${r.key}/ggo`, region: r, finding: 'ggo', volumeMl: f.ggoVolumeMl, percentOfLung: f.ggoBurdenPercent, segmentNumber: seg.ggoSegment },
      { trackingId: `${r.key}/high-opacity`, region: r, finding: 'highOpacity', volumeMl: f.highOpacityVolumeMl, percentOfLung: f.highOpacityBurdenPercent, segmentNumber: seg.highOpacitySegment },
      { trackingId: `${r.key}/lesion`, region: r, finding: 'lesion', volumeMl: f.lesionVolumeMl, percentOfLung: f.burdenPercent, segmentNumber: null },
    );
  }
  return groups;
}

const FINDING_CODE: Record<SrFinding, CodedConcept> = {
  lung: SEG_CODES.lung,
  ggo: SEG_CODES.groundGlassOpacity,
  highOpacity: SEG_CODES.lungConsolidation,
  lesion: SR_CODES.pneumonia,
};

interface Item {
  readonly rel: 'CONTAINS' | 'HAS CONCEPT MOD' | 'HAS OBS CONTEXT' | 'HAS PROPERTIES';
  readonly ds: Ds;
}

const item = (rel: Item['rel'], valueType: string, name: CodedConcept, value: Ds, children: readonly Item[] = []): Item => ({
  rel,
  ds: {
    RelationshipType: rel,
    ValueType: valueType,
    ConceptNameCodeSequence: [code(name)],
    ...value,
    ...(children.length ? { ContentSequence: children.map((c) => c.ds) } : {}),
  },
});
const codeItem = (rel: Item['rel'], name: CodedConcept, value: CodedConcept, children: readonly Item[] = []): Item =>
  item(rel, 'CODE', name, { ConceptCodeSequence: [code(value)] }, children);
const textItem = (rel: Item['rel'], name: CodedConcept, text: string): Item => item(rel, 'TEXT', name, { TextValue: text.replace(/[\u0000-\u0008\u000b-\u001f]/g, ' ').slice(0, 1024) });
const uidItem = (rel: Item['rel'], name: CodedConcept, uid: string): Item => item(rel, 'UIDREF', name, { UID: uid });
const containerItem = (rel: Item['rel'], name: CodedConcept, children: readonly Item[], template?: string): Item =>
  item(rel, 'CONTAINER', name, {
    ContinuityOfContent: 'SEPARATE',
    ...(template ? { ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: template }] } : {}),
  }, children);
const numItem = (name: CodedConcept, value: number, unit: CodedConcept, children: readonly Item[]): Item =>
  item('CONTAINS', 'NUM', name, { MeasuredValueSequence: [{ NumericValue: formatDs(value), MeasurementUnitsCodeSequence: [code(unit)] }] }, children);

function dicomDateTime(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new DicomSrError('bad-input', `"${iso}" is not an ISO 8601 date`);
  const s = d.toISOString();
  return { date: s.slice(0, 10).replaceAll('-', ''), time: s.slice(11, 19).replaceAll(':', '') };
}


function findingSite(r: SrRegion): Item {
  const mods: Item[] = [codeItem('HAS CONCEPT MOD', SR_CODES.laterality, r.side === 'right' ? SEG_CODES.right : r.side === 'left' ? SEG_CODES.left : SR_CODES.rightAndLeft)];
  if (r.zone) mods.push(codeItem('HAS CONCEPT MOD', SR_CODES.topographicalModifier, r.zone === 'upper' ? SR_CODES.upper : r.zone === 'middle' ? SR_CODES.middle : SR_CODES.lower));
  return codeItem('HAS CONCEPT MOD', SR_CODES.findingSite, SEG_CODES.lung, mods);
}

/**
 * Builds a DICOM Comprehensive SR dataset (dcmjs naturalized form) holding a TID 1500 "Imaging
 * Measurement Report" of a case's burden: per region (both lungs, each lung, each lung's
 * craniocaudal thirds, the thirds of both lungs) one measurement group per finding (lung, GGO,
 * high opacity, all lesions) with its volume in mL (SCT 118565006, UCUM `ml`) and, for lesion
 * findings, its percent of the region's lung volume (UCUM `%`). Groups whose ROI is exactly one
 * segment of the companion SEG are TID 1411 (Volumetric ROI: Referenced Segment + Source series);
 * the others (a lesion total, a zone of the whole lung) are TID 1501.
 *
 * Observer context: the reader who signed (person) and the model (device: name, version).
 * Signed → VerificationFlag VERIFIED, CompletionFlag COMPLETE, PreliminaryFlag FINAL, with the
 * Verifying Observer; unsigned → UNVERIFIED, PARTIAL, PRELIMINARY.
 *
 * @throws DicomSrError `no-dicom-source` when the case has no DICOM source instances (NIfTI).
 */
export function buildMeasurementReport(input: MeasurementReportInput): Ds {
  const { source, seg } = input;
  if (!isValidUid(source.studyInstanceUid) || !isValidUid(source.seriesInstanceUid) || !isValidUid(source.sopClassUid)) {
    throw new DicomSrError('no-dicom-source', 'the case has no DICOM source series (NIfTI import): a DICOM SR cannot reference it');
  }
  const instances = [...new Set(source.sopInstanceUids)];
  if (instances.length === 0 || !instances.every(isValidUid)) {
    throw new DicomSrError('no-dicom-source', 'the case lists no valid source SOP Instance UIDs');
  }
  if (!isValidUid(seg.sopInstanceUid) || !isValidUid(seg.seriesInstanceUid)) throw new DicomSrError('bad-input', 'the SEG reference lacks valid UIDs');
  if (!isValidUid(input.device.uid)) throw new DicomSrError('bad-input', 'the device observer UID is not a valid UID');
  const regions = srRegionsOf(input.burden);
  const groups = srMeasurementGroups(regions, seg);
  const { date, time } = dicomDateTime(input.createdAt);
  const signed = input.signOff !== null;

  const algorithm = (): Item[] => [
    textItem('HAS CONCEPT MOD', SR_CODES.algorithmName, input.device.name),
    textItem('HAS CONCEPT MOD', SR_CODES.algorithmVersion, input.device.version),
  ];
  const observer: Item[] = [];
  const person = input.signOff?.reader ?? input.editor ?? null;
  if (person) {
    observer.push(codeItem('HAS OBS CONTEXT', SR_CODES.observerType, SR_CODES.person));
    observer.push(item('HAS OBS CONTEXT', 'PNAME', SR_CODES.personObserverName, { PersonName: [{ Alphabetic: personName(person) }] }));
  }
  observer.push(
    codeItem('HAS OBS CONTEXT', SR_CODES.observerType, SR_CODES.device),
    uidItem('HAS OBS CONTEXT', SR_CODES.deviceObserverUid, input.device.uid),
    textItem('HAS OBS CONTEXT', SR_CODES.deviceObserverName, input.device.name),
    textItem('HAS OBS CONTEXT', SR_CODES.deviceObserverManufacturer, input.device.manufacturer),
    textItem('HAS OBS CONTEXT', SR_CODES.deviceObserverModelName, `${input.device.name} ${input.device.version}`),
  );

  const library = containerItem('CONTAINS', SR_CODES.imageLibrary, [
    containerItem(
      'CONTAINS',
      SR_CODES.imageLibraryGroup,
      instances.map((uid) => item('CONTAINS', 'IMAGE', { value: '260753009', scheme: 'SCT', meaning: 'Source' }, { ReferencedSOPSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: uid }] })),
    ),
  ]);

  const groupItems = groups.map((g) => {
    const children: Item[] = [
      textItem('HAS OBS CONTEXT', SR_CODES.trackingIdentifier, g.trackingId),
      uidItem('HAS OBS CONTEXT', SR_CODES.trackingUid, input.newUid()),
      codeItem('CONTAINS', SR_CODES.finding, FINDING_CODE[g.finding]),
      findingSite(g.region),
    ];
    if (g.segmentNumber !== null) {
      children.push(
        item('CONTAINS', 'IMAGE', SR_CODES.referencedSegment, {
          ReferencedSOPSequence: [{ ReferencedSOPClassUID: SEG_SOP_CLASS_UID, ReferencedSOPInstanceUID: seg.sopInstanceUid, ReferencedSegmentNumber: g.segmentNumber }],
        }),
        uidItem('CONTAINS', SR_CODES.sourceSeriesForSegmentation, source.seriesInstanceUid),
      );
    }
    children.push(numItem(SR_CODES.volume, g.volumeMl, SR_CODES.milliliter, algorithm()));
    if (g.percentOfLung !== null) children.push(numItem(SR_CODES.percentOfLungVolume, g.percentOfLung, SR_CODES.percent, algorithm()));
    return containerItem('CONTAINS', SR_CODES.measurementGroup, children, g.segmentNumber !== null ? '1411' : '1501');
  });

  const root: Item[] = [
    codeItem('HAS CONCEPT MOD', SR_CODES.language, SR_CODES.englishUs),
    ...observer,
    codeItem('HAS CONCEPT MOD', SR_CODES.procedureReported, SR_CODES.ctChest),
    library,
    containerItem('CONTAINS', SR_CODES.imagingMeasurements, groupItems),
  ];

  const evidence = [
    {
      StudyInstanceUID: source.studyInstanceUid,
      ReferencedSeriesSequence: [
        { SeriesInstanceUID: source.seriesInstanceUid, ReferencedSOPSequence: instances.map((uid) => ({ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: uid })) },
        { SeriesInstanceUID: seg.seriesInstanceUid, ReferencedSOPSequence: [{ ReferencedSOPClassUID: SEG_SOP_CLASS_UID, ReferencedSOPInstanceUID: seg.sopInstanceUid }] },
      ],
    },
  ];

  const ds: Ds = {
    SpecificCharacterSet: 'ISO_IR 192',
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    SOPClassUID: COMPREHENSIVE_SR_SOP_CLASS_UID,
    SOPInstanceUID: input.newUid(),
    StudyDate: source.studyDate,
    ContentDate: date,
    SeriesDate: date,
    StudyTime: studyTimeOf(source.studyTime ?? ''),
    ContentTime: time,
    SeriesTime: time,
    AccessionNumber: ident(source.accessionNumber, 16),
    Modality: 'SR',
    Manufacturer: 'Lung Burden',
    ReferringPhysicianName: [{ Alphabetic: ident(source.referringPhysicianName ?? '', 64) }],
    CodingSchemeIdentificationSequence: [
      { CodingSchemeDesignator: LUNG_BURDEN_SCHEME, CodingSchemeName: 'Lung Burden private concepts', CodingSchemeResponsibleOrganization: 'Lung Burden' },
    ],
    StudyDescription: ident(source.studyDescription, 64),
    SeriesDescription: ident(`Lung Burden measurements${signed ? '' : ' (preliminary)'}`, 64),
    ...documentPatientStudySeries(source, { softwareVersion: input.softwareVersion, newUid: input.newUid, seriesNumber: input.seriesNumber }),
    ReferencedPerformedProcedureStepSequence: [],
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [code(SR_CODES.imagingMeasurementReport)],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    CompletionFlag: signed ? 'COMPLETE' : 'PARTIAL',
    VerificationFlag: signed ? 'VERIFIED' : 'UNVERIFIED',
    PreliminaryFlag: signed ? 'FINAL' : 'PRELIMINARY',
    CurrentRequestedProcedureEvidenceSequence: evidence,
    PerformedProcedureCodeSequence: [],
    ContentSequence: root.map((r) => r.ds),
  };
  if (input.signOff) {
    const v = dicomDateTime(input.signOff.signedAt);
    ds['VerifyingObserverSequence'] = [
      {
        VerifyingObserverName: [{ Alphabetic: personName(input.signOff.reader) }],
        VerifyingObserverIdentificationCodeSequence: [],
        VerifyingOrganization: ident(input.signOff.organization, 64),
        VerificationDateTime: `${v.date}${v.time}`,
      },
    ];
  }
  return ds;
}

/** {@link buildMeasurementReport} as a DICOM Part-10 file (explicit VR little endian). */
export function encodeMeasurementReport(input: MeasurementReportInput, transform?: (ds: Ds) => Ds): Uint8Array {
  const ds = buildMeasurementReport(input);
  return writeDicomDataset(transform ? transform(ds) : ds);
}
