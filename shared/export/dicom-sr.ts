import type { BurdenResult } from '../imaging/burden.ts';
import type { SeriesMetadata } from '../dicom/types.ts';
import { isValidUid } from './dicom-uid.ts';
import { documentPatientStudySeries, ident, studyTimeOf } from './dicom-document-header.ts';
import { personName, writeDicomDataset, SEG_CODES, SEG_SOP_CLASS_UID, type CodedConcept } from './dicom-seg.ts';
import { code, codeItem, containerItem, item, numItem, textItem, uidItem, type Item } from './sr-content-items.ts';
import { LUNG_BURDEN_SCHEME, SR_CODES } from './sr-codes.ts';
import { srMeasurementGroups, srRegionsOf, type SrFinding, type SrRegion, type SrSegReference } from './sr-measurement-groups.ts';

/** SOP Class UID of Comprehensive SR Storage (the IOD of our TID 1500 Measurement Report). */
export const COMPREHENSIVE_SR_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.88.33';

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

const FINDING_CODE: Record<SrFinding, CodedConcept> = {
  lung: SEG_CODES.lung,
  ggo: SEG_CODES.groundGlassOpacity,
  highOpacity: SEG_CODES.lungConsolidation,
  lesion: SR_CODES.pneumonia,
};

function dicomDateTime(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new DicomSrError('bad-input', `"${iso}" is not an ISO 8601 date`);
  const s = d.toISOString();
  return { date: s.slice(0, 10).replaceAll('-', ''), time: s.slice(11, 19).replaceAll(':', '') };
}

function findingSite(r: SrRegion): Item {
  const mods: Item[] = [
    codeItem(
      'HAS CONCEPT MOD',
      SR_CODES.laterality,
      r.side === 'right' ? SEG_CODES.right : r.side === 'left' ? SEG_CODES.left : SR_CODES.rightAndLeft,
    ),
  ];
  if (r.zone)
    mods.push(
      codeItem(
        'HAS CONCEPT MOD',
        SR_CODES.topographicalModifier,
        r.zone === 'upper' ? SR_CODES.upper : r.zone === 'middle' ? SR_CODES.middle : SR_CODES.lower,
      ),
    );
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
  if (!isValidUid(seg.sopInstanceUid) || !isValidUid(seg.seriesInstanceUid))
    throw new DicomSrError('bad-input', 'the SEG reference lacks valid UIDs');
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
      instances.map((uid) =>
        item(
          'CONTAINS',
          'IMAGE',
          { value: '260753009', scheme: 'SCT', meaning: 'Source' },
          { ReferencedSOPSequence: [{ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: uid }] },
        ),
      ),
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
          ReferencedSOPSequence: [
            {
              ReferencedSOPClassUID: SEG_SOP_CLASS_UID,
              ReferencedSOPInstanceUID: seg.sopInstanceUid,
              ReferencedSegmentNumber: g.segmentNumber,
            },
          ],
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
        {
          SeriesInstanceUID: source.seriesInstanceUid,
          ReferencedSOPSequence: instances.map((uid) => ({ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: uid })),
        },
        {
          SeriesInstanceUID: seg.seriesInstanceUid,
          ReferencedSOPSequence: [{ ReferencedSOPClassUID: SEG_SOP_CLASS_UID, ReferencedSOPInstanceUID: seg.sopInstanceUid }],
        },
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
      {
        CodingSchemeDesignator: LUNG_BURDEN_SCHEME,
        CodingSchemeName: 'Lung Burden private concepts',
        CodingSchemeResponsibleOrganization: 'Lung Burden',
      },
    ],
    StudyDescription: ident(source.studyDescription, 64),
    SeriesDescription: ident(`Lung Burden measurements${signed ? '' : ' (preliminary)'}`, 64),
    ...documentPatientStudySeries(source, {
      softwareVersion: input.softwareVersion,
      newUid: input.newUid,
      seriesNumber: input.seriesNumber,
    }),
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
