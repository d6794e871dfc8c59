import type { SeriesMetadata } from '../dicom/types.ts';
import { isValidUid } from './dicom-uid.ts';
import { documentPatientStudySeries, ident, studyTimeOf } from './dicom-document-header.ts';
import { writeDicomDataset } from './dicom-seg.ts';

/** SOP Class UID of Encapsulated PDF Storage. */
export const ENCAPSULATED_PDF_SOP_CLASS_UID = '1.2.840.10008.5.1.4.1.1.104.1';

/** Input of {@link buildEncapsulatedPdf}. */
export interface EncapsulatedPdfInput {
  /** The PDF file's bytes (must start with `%PDF-`). */
  readonly pdf: Uint8Array;
  /** The source CT series: its patient/study (the PDF joins that study) and instances (Source Instance Sequence). */
  readonly source: SeriesMetadata;
  readonly documentTitle: string;
  readonly newUid: () => string;
  /** Content date/time (ISO 8601). */
  readonly createdAt: string;
  readonly seriesNumber: number;
  readonly softwareVersion: string;
}

type Ds = Record<string, unknown>;

/**
 * Builds an Encapsulated PDF dataset (PS3.3 A.45.1, dcmjs naturalized form) that puts a PDF
 * report into the source study: Modality DOC, Conversion Type WSD (workstation), Burned In
 * Annotation YES (the report prints patient identifiers), the PDF as Encapsulated Document
 * (padded to even length with one NUL, its true length in Encapsulated Document Length).
 */
export function buildEncapsulatedPdf(input: EncapsulatedPdfInput): Ds {
  const { pdf, source } = input;
  if (pdf.length < 5 || String.fromCharCode(...pdf.subarray(0, 5)) !== '%PDF-')
    throw new Error('encapsulated PDF: the bytes are not a PDF file');
  if (!isValidUid(source.studyInstanceUid)) throw new Error('encapsulated PDF: the source study has no valid Study Instance UID');
  const d = new Date(input.createdAt);
  if (Number.isNaN(d.getTime())) throw new Error(`encapsulated PDF: "${input.createdAt}" is not an ISO 8601 date`);
  const iso = d.toISOString();
  const date = iso.slice(0, 10).replaceAll('-', '');
  const time = iso.slice(11, 19).replaceAll(':', '');
  const padded = new Uint8Array(pdf.length + (pdf.length % 2));
  padded.set(pdf);
  const instances = [...new Set(source.sopInstanceUids)].filter(isValidUid);
  const ds: Ds = {
    SpecificCharacterSet: 'ISO_IR 192',
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    SOPClassUID: ENCAPSULATED_PDF_SOP_CLASS_UID,
    SOPInstanceUID: input.newUid(),
    StudyDate: source.studyDate,
    ContentDate: date,
    SeriesDate: date,
    StudyTime: studyTimeOf(source.studyTime ?? ''),
    ContentTime: time,
    SeriesTime: time,
    AcquisitionDateTime: `${date}${time}`,
    AccessionNumber: ident(source.accessionNumber, 16),
    Modality: 'DOC',
    ConversionType: 'WSD',
    Manufacturer: 'Lung Burden',
    ReferringPhysicianName: [{ Alphabetic: ident(source.referringPhysicianName ?? '', 64) }],
    StudyDescription: ident(source.studyDescription, 64),
    SeriesDescription: ident('Lung Burden report', 64),
    ...documentPatientStudySeries(source, {
      softwareVersion: input.softwareVersion,
      newUid: input.newUid,
      seriesNumber: input.seriesNumber,
    }),
    BurnedInAnnotation: 'YES',
    DocumentTitle: ident(input.documentTitle, 64),
    ConceptNameCodeSequence: [],
    MIMETypeOfEncapsulatedDocument: 'application/pdf',
    EncapsulatedDocument: padded.buffer,
    EncapsulatedDocumentLength: pdf.length,
    _vrMap: { EncapsulatedDocument: 'OB' },
  };
  if (instances.length && isValidUid(source.sopClassUid)) {
    ds['SourceInstanceSequence'] = instances.map((uid) => ({ ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: uid }));
  }
  return ds;
}

/** {@link buildEncapsulatedPdf} as a DICOM Part-10 file. */
export function encodeEncapsulatedPdf(input: EncapsulatedPdfInput, transform?: (ds: Ds) => Ds): Uint8Array {
  const ds = buildEncapsulatedPdf(input);
  return writeDicomDataset(transform ? transform(ds) : ds);
}
