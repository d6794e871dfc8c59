import type { PacsSeries, PacsStudy } from '../../../shared/contracts/pacs.ts';
import { PacsError } from './pacs-error.ts';

/** One dataset of the DICOM JSON model (PS3.18 F.2): tag → { vr, Value }. */
export type DicomJsonDataset = Readonly<Record<string, { readonly vr?: string; readonly Value?: readonly unknown[] } | undefined>>;

/** First value of a tag as text ('' when absent); PN values give their Alphabetic group. */
export function jsonText(ds: DicomJsonDataset, tag: string): string {
  const v = ds[tag]?.Value?.[0];
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') {
    const a = (v as { Alphabetic?: unknown }).Alphabetic;
    return typeof a === 'string' ? a : '';
  }
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** Every value of a tag as text. */
export function jsonTexts(ds: DicomJsonDataset, tag: string): string[] {
  return (ds[tag]?.Value ?? []).filter((v) => v !== null && typeof v !== 'object').map(String);
}

function jsonNumber(ds: DicomJsonDataset, tag: string): number | null {
  const t = jsonText(ds, tag);
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : null;
}

/** Parses a QIDO-RS response body (a JSON array of datasets; empty body = no match). */
export function parseDicomJsonArray(text: string): DicomJsonDataset[] {
  if (text.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PacsError('bad-response', 'the PACS answered with something that is not DICOM JSON');
  }
  if (!Array.isArray(parsed) || !parsed.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
    throw new PacsError('bad-response', 'the PACS answered with JSON that is not a DICOM JSON array');
  }
  return parsed as DicomJsonDataset[];
}

export const TAG = {
  studyDate: '00080020',
  accessionNumber: '00080050',
  modalitiesInStudy: '00080061',
  modality: '00080060',
  studyDescription: '00081030',
  seriesDescription: '0008103E',
  patientName: '00100010',
  patientId: '00100020',
  studyInstanceUid: '0020000D',
  seriesInstanceUid: '0020000E',
  seriesNumber: '00200011',
  sopInstanceUid: '00080018',
  sopClassUid: '00080016',
  instanceNumber: '00200013',
  studySeriesCount: '00201206',
  studyInstanceCount: '00201208',
  seriesInstanceCount: '00201209',
  failedSopSequence: '00081198',
  referencedSopSequence: '00081199',
  referencedSopInstanceUid: '00081155',
  failureReason: '00081197',
} as const;

export function studyOf(ds: DicomJsonDataset): PacsStudy {
  return {
    studyInstanceUid: jsonText(ds, TAG.studyInstanceUid),
    patientId: jsonText(ds, TAG.patientId),
    patientName: jsonText(ds, TAG.patientName),
    studyDate: jsonText(ds, TAG.studyDate),
    studyDescription: jsonText(ds, TAG.studyDescription),
    accessionNumber: jsonText(ds, TAG.accessionNumber),
    modalities: jsonTexts(ds, TAG.modalitiesInStudy),
    seriesCount: jsonNumber(ds, TAG.studySeriesCount),
    instanceCount: jsonNumber(ds, TAG.studyInstanceCount),
  };
}

export function seriesOf(ds: DicomJsonDataset, studyInstanceUid: string): PacsSeries {
  return {
    studyInstanceUid: jsonText(ds, TAG.studyInstanceUid) || studyInstanceUid,
    seriesInstanceUid: jsonText(ds, TAG.seriesInstanceUid),
    modality: jsonText(ds, TAG.modality),
    seriesNumber: jsonText(ds, TAG.seriesNumber),
    seriesDescription: jsonText(ds, TAG.seriesDescription),
    instanceCount: jsonNumber(ds, TAG.seriesInstanceCount),
  };
}
