import { createHash, randomBytes } from 'node:crypto';
import type { CaseId } from '../../../shared/domain/ids.ts';
import { asLabelVersionId } from '../../../shared/domain/ids.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import { buildDicomSegDataset, DicomSegError, segAlgorithmOf, writeDicomDataset } from '../../../shared/export/dicom-seg.ts';
import { DicomSrError, encodeMeasurementReport } from '../../../shared/export/dicom-sr.ts';
import { encodeEncapsulatedPdf } from '../../../shared/export/encapsulated-pdf.ts';
import { uidFromBytes } from '../../../shared/export/dicom-uid.ts';
import { buildReportData } from '../../../shared/export/report-data.ts';
import { renderKeyImages } from '../../../shared/export/key-images.ts';
import type { CaseStore } from '../cases/case-store.ts';
import { burdenOfVersion } from '../analysis/analyze-case.ts';
import { APP_VERSION } from '../exports/app-version.ts';
import { ExportError } from '../exports/export-error.ts';
import { modelOfVersion, signedLesionVersion } from '../exports/label-provenance.ts';
import { signOffsOf, softwareVersion } from '../reports/report-service.ts';
import { renderReportPdf } from '../reports/render-report-pdf.ts';

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
  readonly burden: Readonly<Record<string, unknown>>;
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

/** The lesion version a result is made of: the signed one, or (on request) the latest. */
export function resultVersion(store: CaseStore, caseId: CaseId, choice: ResultVersionChoice): LabelVersionInfo {
  const signed = signedLesionVersion(store, caseId);
  if (!choice.preliminary) {
    if (!signed) throw new ExportError('bad-request', `case ${caseId} is not signed: sign it off first, or send a preliminary (unsigned) result explicitly`);
    return signed;
  }
  const latest = store.latestLabelVersion(caseId, 'lesion');
  if (!latest) throw new ExportError('nothing-to-export', `case ${caseId} has no lesion segmentation yet (run the analysis first)`);
  return latest;
}

/** The stored burden record of exactly this lesion version (computed and stored if missing). */
export function burdenRecordOf(store: CaseStore, caseId: CaseId, version: LabelVersionInfo): { lungVersionId: number; createdAt: string; burden: Record<string, unknown> } {
  const read = (): { lung_version_id: number; created_at: string; burden_json: string } | undefined =>
    store.db
      .prepare('SELECT lung_version_id, created_at, burden_json FROM burden_records WHERE case_id = ? AND lesion_version_id = ? ORDER BY id DESC LIMIT 1')
      .get(caseId, version.id) as { lung_version_id: number; created_at: string; burden_json: string } | undefined;
  let r = read();
  if (!r) {
    burdenOfVersion(store, caseId, version.id);
    r = read();
  }
  if (!r) throw new ExportError('nothing-to-export', `case ${caseId} has no burden for lesion version ${version.version}`);
  return { lungVersionId: r.lung_version_id, createdAt: r.created_at, burden: JSON.parse(r.burden_json) as Record<string, unknown> };
}

/**
 * Builds the result objects of a case: the DICOM SEG of the version (+ lung mask), the TID 1500
 * Measurement Report SR of its burden (referencing the source instances and the SEG's segments;
 * verified/complete only when the version is signed), and (`withPdf`) the PDF report of the same
 * burden record as Encapsulated PDF. All three join the source study.
 */
export async function buildCaseResults(store: CaseStore, caseId: CaseId, choice: ResultVersionChoice, o: { withPdf: boolean; now?: Date }): Promise<CaseResultObjects> {
  const version = resultVersion(store, caseId, choice);
  const detail = store.getCase(caseId);
  const meta = store.seriesMetadata(caseId);
  const record = burdenRecordOf(store, caseId, version);
  const lungVersion = store.labelVersion(asLabelVersionId(record.lungVersionId));
  const g = detail.geometry;
  const lesionLabels = store.loadLabels(version.id);
  const lungLabels = store.loadLabels(lungVersion.id);
  const createdAt = (o.now ?? new Date()).toISOString();
  const state = version.signed ? 'final' : 'preliminary';

  let segDs: Record<string, unknown>;
  try {
    segDs = buildDicomSegDataset({
      lesions: { ...g, data: lesionLabels },
      lesionAlgorithm: segAlgorithmOf(version.author),
      lung: { labels: { ...g, data: lungLabels }, algorithm: segAlgorithmOf(lungVersion.author) },
      source: meta,
      newUid,
      createdAt: version.createdAt,
      seriesNumber: 900 + version.version,
      seriesDescription: `Lung Burden lesions v${version.version}${version.signed ? ' signed' : ' preliminary'}`,
      contentCreator: version.author.kind === 'reader' ? version.author.name : '',
      softwareVersion: APP_VERSION,
    });
  } catch (e) {
    if (e instanceof DicomSegError && e.code === 'no-dicom-source') throw new ExportError('no-dicom-source', e.message);
    throw e;
  }
  const seg: DicomObject = { bytes: writeDicomDataset(segDs), sopInstanceUid: String(segDs['SOPInstanceUID']), seriesInstanceUid: String(segDs['SeriesInstanceUID']) };

  const signOff = version.signed ? (signOffsOf(store, caseId).find((s) => s.labelVersionId === version.id) ?? null) : null;
  const model = modelOfVersion(store, version);
  const deviceName = model?.name ?? (version.author.kind === 'reader' ? 'manual segmentation' : version.author.name);
  const deviceVersion = model?.version || 'unknown';
  let srBytes: Uint8Array;
  let srUids = { sop: '', series: '' };
  try {
    srBytes = encodeMeasurementReport(
      {
        burden: record.burden,
        source: meta,
        seg: { sopInstanceUid: seg.sopInstanceUid, seriesInstanceUid: seg.seriesInstanceUid, ggoSegment: 1, highOpacitySegment: 2, rightLungSegment: 3, leftLungSegment: 4 },
        device: { uid: modelDeviceUid(deviceName, deviceVersion), name: deviceName, version: deviceVersion, manufacturer: 'Lung Burden' },
        signOff: signOff ? { reader: signOff.reader, signedAt: signOff.signedAt, organization: 'Lung Burden core lab' } : null,
        editor: version.author.kind === 'reader' ? version.author.name : null,
        newUid,
        createdAt,
        seriesNumber: 950 + version.version,
        softwareVersion: APP_VERSION,
      },
      (ds) => {
        srUids = { sop: String(ds['SOPInstanceUID']), series: String(ds['SeriesInstanceUID']) };
        return ds;
      },
    );
  } catch (e) {
    if (e instanceof DicomSrError && e.code === 'no-dicom-source') throw new ExportError('no-dicom-source', e.message);
    throw e;
  }
  const sr: DicomObject = { bytes: srBytes, sopInstanceUid: srUids.sop, seriesInstanceUid: srUids.series };

  let pdf: DicomObject | null = null;
  if (o.withPdf) {
    const data = buildReportData({
      caseDetail: detail,
      series: meta,
      burdenRecord: { lesionVersionId: version.id, lungVersionId: lungVersion.id, createdAt: record.createdAt, burden: record.burden },
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
        documentTitle: `Lung Burden report v${version.version}${version.signed ? '' : ' (preliminary)'}`,
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
