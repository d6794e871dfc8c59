import { randomBytes } from 'node:crypto';
import type { CaseStore } from '../cases/case-store.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import { DicomSegError, encodeDicomSeg, segAlgorithmOf } from '../../../shared/export/dicom-seg.ts';
import { uidFromBytes } from '../../../shared/export/dicom-uid.ts';
import { instanceUidMapCsv } from '../../../shared/export/instance-uid-map.ts';
import type { Deidentifier } from '../../../shared/export/deidentify.ts';
import { APP_VERSION } from './app-version.ts';
import { ExportError } from './export-error.ts';
import { ExportWriter, type ExportedFile } from './export-files.ts';
import { lesionVersionAlgorithms } from './seg-algorithms.ts';
import { lungVersionFor, signedLesionVersion } from './label-provenance.ts';

export interface DicomSegExportOptions {
  /** Lesion version to export (default: the signed version, else the latest). */
  readonly versionId?: LabelVersionId;
  /** Include the latest lung mask as segments 3 (right) and 4 (left). Default true. */
  readonly includeLung?: boolean;
  /** De-identify the SEG (source references remapped consistently with the same salt). */
  readonly deidentifier?: Deidentifier;
  /** File name inside `outDir` (default `seg-case<id>-v<version>.dcm`, or a pseudonym when de-identified). */
  readonly fileName?: string;
}

/** Picks the lesion version an export uses: the given one, else the case's result, else the latest (unsigned). */
export function exportLesionVersion(store: CaseStore, caseId: CaseId, versionId?: LabelVersionId): LabelVersionInfo {
  if (versionId !== undefined) {
    const v = store.labelVersion(versionId);
    if (v.caseId !== caseId || v.kind !== 'lesion')
      throw new ExportError('bad-request', `version ${versionId} is not a lesion version of case ${caseId}`);
    return v;
  }
  const v = signedLesionVersion(store, caseId) ?? store.latestLabelVersion(caseId, 'lesion');
  if (!v) throw new ExportError('nothing-to-export', `case ${caseId} has no lesion segmentation yet (run the analysis first)`);
  return v;
}

/** Writes one case's lesion version (+ lung) as a DICOM SEG file into `outDir`. */
export function exportDicomSeg(
  store: CaseStore,
  caseId: CaseId,
  outDir: string,
  o: DicomSegExportOptions = {},
): { file: ExportedFile; version: LabelVersionInfo } {
  const detail = store.getCase(caseId);
  const meta = store.seriesMetadata(caseId);
  const version = exportLesionVersion(store, caseId, o.versionId);
  const lungVersion = (o.includeLung ?? true) ? lungVersionFor(store, caseId, version) : null;
  const signature = store.signatureOf(version.id);
  const g = detail.geometry;
  const lesions = { ...g, data: store.loadLabels(version.id) };
  const name =
    o.fileName ??
    (o.deidentifier ? `${o.deidentifier.casePseudonym(meta, String(caseId))}-seg.dcm` : `seg-case${caseId}-v${version.version}.dcm`);
  let bytes: Uint8Array;
  try {
    bytes = encodeDicomSeg(
      {
        lesions,
        lesionAlgorithm: segAlgorithmOf(version.author),
        lesionAlgorithms: lesionVersionAlgorithms(store, version, lesions.data),
        ...(lungVersion
          ? { lung: { labels: { ...g, data: store.loadLabels(lungVersion.id) }, algorithm: segAlgorithmOf(lungVersion.author) } }
          : {}),
        source: meta,
        newUid: () => uidFromBytes(randomBytes(16)),
        createdAt: version.createdAt,
        seriesNumber: 900 + version.version,
        seriesDescription: `Lung Burden lesions v${version.version}${signature ? ` signed ${signature.readerName}` : ' UNSIGNED'}`,
        // ContentCreatorName: the signer of the result; else the reader who edited the version.
        contentCreator: signature ? signature.readerName : version.author.kind === 'reader' ? version.author.name : '',
        softwareVersion: APP_VERSION,
      },
      o.deidentifier ? (ds) => o.deidentifier!.dataset(ds, name) : undefined,
    );
  } catch (e) {
    if (e instanceof DicomSegError && e.code === 'no-dicom-source') throw new ExportError('no-dicom-source', e.message);
    throw e;
  }
  const writer = new ExportWriter(outDir);
  const file = writer.write(name, bytes);
  // Slices stored with derived UIDs (empty or non-unique in the source files): the SEG references
  // the stored UIDs; the per-slice original → stored mapping goes beside it (not when de-identified).
  const uidMap = o.deidentifier ? null : instanceUidMapCsv(meta);
  if (uidMap !== null) writer.write(name.replace(/\.dcm$/i, '') + '-uid-map.csv', uidMap);
  return { file, version };
}
