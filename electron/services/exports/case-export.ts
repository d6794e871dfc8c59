import type { CaseStore } from '../cases/case-store.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asLabelVersionId, type CaseId } from '../../../shared/domain/ids.ts';
import type { LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { Deidentifier } from '../../../shared/export/deidentify.ts';
import { encodeNiftiCase } from '../../../shared/export/nifti-export.ts';
import { exportDicomSeg, exportLesionVersion } from './dicom-seg-export.ts';
import { ExportWriter, type ExportedFile } from './export-files.ts';
import { exportTrainingSet } from './training-export.ts';
import { lungVersionFor, modelOfVersion, signatureManifest } from './label-provenance.ts';
import type { AuditActor } from '../audit/audit-trail.ts';
import { ExportError } from './export-error.ts';

/** The record of a file already written under `outDir` (path relative to it). */
function fileEntry(outDir: string, rel: string): ExportedFile {
  const bytes = readFileSync(join(outDir, rel));
  return { path: rel, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** Formats of a one-case export written by `lung-burden export` and the UI's Export. */
export type CaseExportFormat = 'dicom-seg' | 'nifti' | 'nnunet' | 'lung-burden-v1';
export const CASE_EXPORT_FORMATS: readonly CaseExportFormat[] = ['dicom-seg', 'nifti', 'nnunet', 'lung-burden-v1'];

/** The lesion version an export contains, as told to the user. */
export interface ExportedVersion {
  readonly labelVersionId: number;
  readonly version: number;
  readonly signed: boolean;
  readonly author: string;
  readonly authorKind: LabelVersionInfo['author']['kind'];
}

export interface CaseExportResult {
  readonly format: CaseExportFormat;
  /** Files written, relative to the export folder. */
  readonly files: readonly ExportedFile[];
  readonly version: ExportedVersion;
  /** One line for the log / the user: what was exported, from which version, where. */
  readonly summary: string;
}

export const exportedVersion = (v: LabelVersionInfo): ExportedVersion => ({
  labelVersionId: v.id,
  version: v.version,
  signed: v.signed,
  author: v.author.name,
  authorKind: v.author.kind,
});

/**
 * Writes one case in `format` into `outDir` (the code path of `lung-burden export <case-id>` and
 * of the UI's Export); each export is recorded in the audit trail as done by `by`:
 * - `dicom-seg`: the case's export version (signed, else latest; unsigned allowed as in the
 *   CLI) + lung mask as one DICOM SEG (+ `deidentification.json` when de-identified);
 * - `nifti`: `<name>_image/_lesions/_lung.nii.gz` + `manifest.json` (same version rule);
 * - `nnunet`, `lung-burden-v1`: training sets from the SIGNED version only, always
 *   de-identified (`deidentifier` required; `ExportError not-signed/nothing-to-export` otherwise).
 */
export function exportCaseFiles(
  store: CaseStore,
  caseId: CaseId,
  format: CaseExportFormat,
  outDir: string,
  deid: Deidentifier | undefined,
  by: AuditActor,
): CaseExportResult {
  if (format === 'nnunet' || format === 'lung-burden-v1') {
    if (!deid) throw new Error(`${format} exports are always de-identified: a deidentifier is required`);
    const m = exportTrainingSet(store, { caseIds: [caseId], format, outDir, deidentifier: deid, by });
    const c = m.cases[0];
    if (!c) throw new ExportError('nothing-to-export', `case ${caseId} has no signed lesion version`);
    const v = store.labelVersion(asLabelVersionId(c.lesionVersion.id));
    const files = [...m.files, fileEntry(outDir, 'manifest.json')];
    return {
      format,
      files,
      version: exportedVersion(v),
      summary: `${m.cases.length} case(s) as ${format} (lesion version ${v.version}, signed) → ${outDir} (manifest.json, deidentification.json)`,
    };
  }
  if (format === 'dicom-seg') {
    const { file, version } = exportDicomSeg(store, caseId, outDir, deid ? { deidentifier: deid } : {});
    const files: ExportedFile[] = [file];
    if (deid) files.push(new ExportWriter(outDir).write('deidentification.json', JSON.stringify(deid.report(), null, 2)));
    const sig = store.signatureOf(version.id);
    store.audit.append({
      actor: by,
      action: 'export',
      caseId,
      entity: `label_version:${version.id}`,
      sha256: version.sha256,
      details: { format: 'dicom-seg', file: file.path, lesionVersion: version.version, signed: sig !== null, deidentified: Boolean(deid) },
    });
    return {
      format,
      files,
      version: exportedVersion(version),
      summary: `lesion version ${version.version}${sig ? ` (the result, signed by ${sig.readerName} ${sig.signedAt})` : ' (UNSIGNED: the case has no signed result)'} → ${file.path}`,
    };
  }
  const version = exportLesionVersion(store, caseId);
  const meta = store.seriesMetadata(caseId);
  const volume = store.loadVolume(caseId);
  const g = { size: volume.size, spacingMm: volume.spacingMm, originLps: volume.originLps, directionLps: volume.directionLps };
  const lungV = lungVersionFor(store, caseId, version);
  const encoded = encodeNiftiCase(
    volume,
    { ...g, data: store.loadLabels(version.id) },
    lungV ? { ...g, data: store.loadLabels(lungV.id) } : null,
  );
  const name = deid ? deid.casePseudonym(meta, String(caseId)) : `case${caseId}`;
  const w = new ExportWriter(outDir);
  w.write(`${name}_image.nii.gz`, encoded.image);
  w.write(`${name}_lesions.nii.gz`, encoded.lesions);
  if (encoded.lung) w.write(`${name}_lung.nii.gz`, encoded.lung);
  if (deid) {
    deid.record(name, [{ attribute: 'file names', action: 'replaced', count: w.files.length }]);
    w.write('deidentification.json', JSON.stringify(deid.report(), null, 2));
  }
  const manifest = {
    format: 'nifti',
    case: name,
    deidentified: Boolean(deid),
    lesionVersion: { version: version.version, signed: version.signed, author: version.author.name, sha256: version.sha256 },
    result: store.caseResult(caseId) ? 'signed result' : 'unsigned draft (no signature)',
    signature: signatureManifest(store, version),
    lungVersion: lungV ? { version: lungV.version, author: lungV.author.name, sha256: lungV.sha256 } : null,
    model: modelOfVersion(store, version),
    files: [...w.files],
  };
  w.write('manifest.json', JSON.stringify(manifest, null, 2));
  store.audit.append({
    actor: by,
    action: 'export',
    caseId,
    entity: `label_version:${version.id}`,
    sha256: version.sha256,
    details: { format: 'nifti', lesionVersion: version.version, signed: version.signed, deidentified: Boolean(deid) },
  });
  return {
    format,
    files: [...w.files],
    version: exportedVersion(version),
    summary: `${name} NIfTI (lesion version ${version.version}${version.signed ? ', signed' : ', NOT signed'})`,
  };
}
