import { createHash, randomBytes } from 'node:crypto';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { LabelVersionId } from '../../../shared/domain/ids.ts';
import type { SignatureInfo } from '../../../shared/domain/reader.ts';
import { computeBurden } from '../../../shared/imaging/burden.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import {
  buildDicomSegDataset,
  DicomSegError,
  segAlgorithmOf,
  writeDicomDataset,
  type DicomSegInput,
} from '../../../shared/export/dicom-seg.ts';
import { DicomSrError, encodeMeasurementReport, type MeasurementReportInput } from '../../../shared/export/dicom-sr.ts';
import { encodeEncapsulatedPdf } from '../../../shared/export/encapsulated-pdf.ts';
import { uidFromBytes } from '../../../shared/export/dicom-uid.ts';
import { buildReportData } from '../../../shared/export/report-data.ts';
import { renderKeyImages } from '../../../shared/export/key-images.ts';
import type { BurdenRecord, CaseStore } from '../cases/case-store.ts';
import { burdenOfVersion } from '../analysis/analyze-case.ts';
import { APP_VERSION } from '../exports/app-version.ts';
import { ExportError } from '../exports/export-error.ts';
import { modelOfVersion } from '../exports/label-provenance.ts';
import { signOffsOf, softwareVersion } from '../reports/report-service.ts';
import { renderReportPdf } from '../reports/render-report-pdf.ts';
import type { BurdenResult } from '../../../shared/imaging/burden-result.ts';
import { ensureReadResultRule } from '../read-studies/read-study-services.ts';

/** Which version of a case's reading the results describe. */
export interface ResultVersionChoice {
  /** Use the latest lesion version even when it is not signed (a preliminary result). */
  readonly preliminary: boolean;
}

/** The DICOM objects of one case's result, ready to store or write. */
export interface CaseResultObjects {
  readonly version: LabelVersionInfo;
  /** `final` for a signed version, else `preliminary`. */
  readonly state: 'final' | 'preliminary';
  readonly seg: DicomObject;
  readonly sr: DicomObject;
  readonly pdf: DicomObject | null;
  /** The burden record the SR and PDF report (of exactly this version). */
  readonly burden: BurdenResult;
}

export interface DicomObject {
  readonly bytes: Uint8Array;
  readonly sopInstanceUid: string;
  readonly seriesInstanceUid: string;
}

const newUid = (): string => uidFromBytes(randomBytes(16));

/** A stable UID of a model (name + version): the SR's Device Observer UID. */
export function modelDeviceUid(name: string, version: string): string {
  return uidFromBytes(createHash('sha256').update(`lung-burden-model\u0000${name}\u0000${version}`).digest());
}

/** What a result is made of: a lesion version, the lung version it is measured against, its signature. */
export interface ResultSelection {
  readonly version: LabelVersionInfo;
  readonly lungVersionId: LabelVersionId;
  /** The signature of exactly this lesion + lung pair; null for a preliminary (unsigned) result. */
  readonly signature: SignatureInfo | null;
}

/**
 * Picks the result to send: the case's result (`store.caseResult`: the newest adjudication, else the
 * newest read signature, with the lung version signed with it), or on request the latest lesion
 * version (preliminary unless it is itself signed) against the latest lung mask.
 */
export function selectResult(store: CaseStore, caseId: CaseId, choice: ResultVersionChoice): ResultSelection {
  ensureReadResultRule(store); // the double-read result rule also where the store was opened outside the workstation
  const result = store.caseResult(caseId);
  if (!choice.preliminary) {
    if (!result)
      throw new ExportError(
        'bad-request',
        `case ${caseId} is not signed: sign it off first, or send a preliminary (unsigned) result explicitly`,
      );
    return {
      version: store.labelVersion(result.signature.lesionVersionId),
      lungVersionId: result.signature.lungVersionId,
      signature: result.signature,
    };
  }
  const latest = store.latestLabelVersion(caseId, 'lesion');
  if (!latest) throw new ExportError('nothing-to-export', `case ${caseId} has no lesion segmentation yet (run the analysis first)`);
  const sig = store.signatureOf(latest.id);
  if (sig) return { version: latest, lungVersionId: sig.lungVersionId, signature: sig };
  let lung = store.latestLabelVersion(caseId, 'lung');
  if (!lung) {
    burdenOfVersion(store, caseId, latest.id); // makes the lung mask (classical algorithm) and records the burden
    lung = store.latestLabelVersion(caseId, 'lung');
  }
  if (!lung) throw new ExportError('nothing-to-export', `case ${caseId} has no lung mask`);
  return { version: latest, lungVersionId: lung.id, signature: null };
}

/** The stored burden record of exactly this lesion + lung pair (computed and stored if missing). */
export function burdenRecordOf(store: CaseStore, caseId: CaseId, sel: ResultSelection): BurdenRecord {
  const stored = store.burdenOf(caseId, sel.version.id, sel.lungVersionId);
  if (stored) return stored;
  const volume = store.loadVolume(caseId);
  const g = { size: volume.size, spacingMm: volume.spacingMm, originLps: volume.originLps, directionLps: volume.directionLps };
  store.recordBurden(
    caseId,
    sel.version.id,
    sel.lungVersionId,
    computeBurden(volume, { ...g, data: store.loadLabels(sel.lungVersionId) }, store.loadLabels(sel.version.id)),
  );
  const r = store.burdenOf(caseId, sel.version.id, sel.lungVersionId);
  if (!r) throw new ExportError('nothing-to-export', `case ${caseId} has no burden for lesion version ${sel.version.version}`);
  return r;
}

/**
 * Builds the result objects of a case: the DICOM SEG of the version (+ lung mask), the TID 1500
 * Measurement Report SR of its burden (referencing the source instances and the SEG's segments;
 * verified/complete only when the version is signed), and (`withPdf`) the PDF report of the same
 * burden record as Encapsulated PDF. All three join the source study.
 */
export async function buildCaseResults(
  store: CaseStore,
  caseId: CaseId,
  choice: ResultVersionChoice,
  o: { withPdf: boolean; now?: Date },
): Promise<CaseResultObjects> {
  const sel = selectResult(store, caseId, choice);
  const version = sel.version;
  const detail = store.getCase(caseId);
  const meta = store.seriesMetadata(caseId);
  const record = burdenRecordOf(store, caseId, sel);
  const lungVersion = store.labelVersion(sel.lungVersionId);
  const g = detail.geometry;
  const lesionLabels = store.loadLabels(version.id);
  const lungLabels = store.loadLabels(lungVersion.id);
  const createdAt = (o.now ?? new Date()).toISOString();
  const state = sel.signature ? 'final' : 'preliminary';

  const seg = resultSeg({
    lesions: { ...g, data: lesionLabels },
    lesionAlgorithm: segAlgorithmOf(version.author),
    lung: { labels: { ...g, data: lungLabels }, algorithm: segAlgorithmOf(lungVersion.author) },
    source: meta,
    newUid,
    createdAt: version.createdAt,
    seriesNumber: 900 + version.version,
    seriesDescription: `Lung Burden lesions v${version.version}${sel.signature ? ' signed' : ' preliminary'}`,
    contentCreator: version.author.kind === 'reader' ? version.author.name : '',
    softwareVersion: APP_VERSION,
  });

  const model = modelOfVersion(store, version);
  const deviceName = model?.name ?? (version.author.kind === 'reader' ? 'manual segmentation' : version.author.name);
  const deviceVersion = model?.version || 'unknown';
  const sr = resultSr({
    burden: record.burden,
    source: meta,
    seg: {
      sopInstanceUid: seg.sopInstanceUid,
      seriesInstanceUid: seg.seriesInstanceUid,
      ggoSegment: 1,
      highOpacitySegment: 2,
      rightLungSegment: 3,
      leftLungSegment: 4,
    },
    device: { uid: modelDeviceUid(deviceName, deviceVersion), name: deviceName, version: deviceVersion, manufacturer: 'Lung Burden' },
    signOff: sel.signature
      ? { reader: sel.signature.readerName, signedAt: sel.signature.signedAt, organization: 'Lung Burden core lab' }
      : null,
    editor: version.author.kind === 'reader' ? version.author.name : null,
    newUid,
    createdAt,
    seriesNumber: 950 + version.version,
    softwareVersion: APP_VERSION,
  });

  let pdf: DicomObject | null = null;
  if (o.withPdf) {
    const data = buildReportData({
      caseDetail: detail,
      series: meta,
      burdenRecord: record,
      signOffs: signOffsOf(store, caseId),
      generatedAt: createdAt,
      software: softwareVersion(),
    });
    const rendered = await renderReportPdf(data, renderKeyImages(store.loadVolume(caseId), lungLabels, lesionLabels));
    let uids = { sop: '', series: '' };
    const bytes = encodeEncapsulatedPdf(
      {
        pdf: rendered.pdf,
        source: meta,
        documentTitle: `Lung Burden report v${version.version}${sel.signature ? '' : ' (preliminary)'}`,
        newUid,
        createdAt,
        seriesNumber: 960 + version.version,
        softwareVersion: APP_VERSION,
      },
      (ds) => {
        uids = { sop: String(ds['SOPInstanceUID']), series: String(ds['SeriesInstanceUID']) };
        return ds;
      },
    );
    pdf = { bytes, sopInstanceUid: uids.sop, seriesInstanceUid: uids.series };
  }
  return { version, state, seg, sr, pdf, burden: record.burden };
}

/** The DICOM SEG of a result; a case without DICOM source instances is an ExportError. */
function resultSeg(input: DicomSegInput): DicomObject {
  let segDs: Record<string, unknown>;
  try {
    segDs = buildDicomSegDataset(input);
  } catch (e) {
    if (e instanceof DicomSegError && e.code === 'no-dicom-source') throw new ExportError('no-dicom-source', e.message);
    throw e;
  }
  return {
    bytes: writeDicomDataset(segDs),
    sopInstanceUid: String(segDs['SOPInstanceUID']),
    seriesInstanceUid: String(segDs['SeriesInstanceUID']),
  };
}

/** The DICOM SR (TID 1500) of a result; a case without DICOM source instances is an ExportError. */
function resultSr(input: MeasurementReportInput): DicomObject {
  let srUids = { sop: '', series: '' };
  try {
    const bytes = encodeMeasurementReport(input, (ds) => {
      srUids = { sop: String(ds['SOPInstanceUID']), series: String(ds['SeriesInstanceUID']) };
      return ds;
    });
    return { bytes, sopInstanceUid: srUids.sop, seriesInstanceUid: srUids.series };
  } catch (e) {
    if (e instanceof DicomSrError && e.code === 'no-dicom-source') throw new ExportError('no-dicom-source', e.message);
    throw e;
  }
}
