import { checkOutputFolder } from '../services/exports/safe-write.ts';
import { resolve } from 'node:path';
import { CaseStore } from '../services/cases/case-store.ts';
import { asCaseId, type CaseId } from '../../shared/domain/ids.ts';
import { encodeNiftiCase } from '../../shared/export/nifti-export.ts';
import { deidentifierFor } from '../services/exports/deid-salt.ts';
import { exportDicomSeg, exportLesionVersion } from '../services/exports/dicom-seg-export.ts';
import { ExportError } from '../services/exports/export-error.ts';
import { ExportWriter } from '../services/exports/export-files.ts';
import { exportTrainingSet } from '../services/exports/training-export.ts';
import { modelOfVersion } from '../services/exports/label-provenance.ts';

export type ExportFormat = 'dicom-seg' | 'nifti' | 'nnunet' | 'lung-burden-v1';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['dicom-seg', 'nifti', 'nnunet', 'lung-burden-v1'];

export interface ExportCommandOptions {
  /** A case id of the store in `dataDir`, or a DICOM folder / NIfTI file (imported and analysed first). */
  readonly target: string;
  readonly format: ExportFormat;
  readonly out: string;
  /** Write into a non-empty `out` (files replaced one by one, never through a link). */
  readonly force?: boolean;
  readonly dataDir: string;
  readonly log: (msg: string) => void;
  /** De-identify (always on for the training formats `nnunet` and `lung-burden-v1`). */
  readonly deidentify?: boolean;
}

/**
 * `lung-burden export <case-id|path> --format dicom-seg|nifti|nnunet|lung-burden-v1 --out <dir> [--deidentify]`.
 * - `dicom-seg`: the case's signed (else latest) lesion version + lung mask as one DICOM SEG;
 * - `nifti`: `<name>_image.nii.gz`, `<name>_lesions.nii.gz`, `<name>_lung.nii.gz` + manifest.json;
 * - `nnunet`, `lung-burden-v1`: training sets from the SIGNED version only, always de-identified.
 * A path target is imported into the store and analysed with the active model first (its lesion
 * version is then the model's, unsigned: fine for dicom-seg/nifti, refused by the training formats).
 * Returns the process exit code (0).
 */
export async function runExportCommand(o: ExportCommandOptions): Promise<number> {
  if (!EXPORT_FORMATS.includes(o.format)) throw new ExportError('bad-request', `unknown export format "${o.format}" (use ${EXPORT_FORMATS.join(', ')})`);
  const training = o.format === 'nnunet' || o.format === 'lung-burden-v1';
  if (training && o.deidentify === false) throw new ExportError('bad-request', `${o.format} exports are for retraining and are always de-identified`);
  const out = resolve(o.out);
  // A non-empty --out is refused unless --force: an export never silently overwrites (issue 18).
  checkOutputFolder(out, o.force === true);
  let store: CaseStore;
  let close: () => void;
  let caseId: CaseId;
  if (/^\d+$/.test(o.target.trim())) {
    store = CaseStore.open(o.dataDir);
    close = () => store.close();
    caseId = asCaseId(Number(o.target));
    store.getCase(caseId);
  } else {
    // Imported lazily: the analysis pulls in the inference stack only when a path is given.
    const [{ createWorkstation }, { importAnyPath }, { analyzeCase }] = await Promise.all([
      import('../app/workstation.ts'),
      import('../services/analysis/import-any-path.ts'),
      import('../services/analysis/analyze-case.ts'),
    ]);
    const ws = await createWorkstation({ dataDir: o.dataDir, seedSample: false });
    store = ws.store;
    close = () => ws.close();
    const { series } = await importAnyPath(o.target);
    const best = [...series].sort((a, b) => b.volume.size[2] - a.volume.size[2])[0];
    if (!best) throw new ExportError('nothing-to-export', `no series in ${o.target}`);
    caseId = store.addSeries(best).caseId;
    if (!store.latestLabelVersion(caseId, 'lesion')) {
      const model = await ws.activeModel();
      if (!model) throw new ExportError('nothing-to-export', 'no lesion model is installed to analyse the input');
      o.log(`export: analysing case ${caseId} with ${model.metadata.name} ${model.metadata.version}`);
      await analyzeCase(store, caseId, { model });
    }
  }
  try {
    if (training) {
      const m = exportTrainingSet(store, { caseIds: [caseId], format: o.format as 'nnunet' | 'lung-burden-v1', outDir: out, deidentifier: deidentifierFor(store) });
      o.log(`export: ${m.cases.length} case(s) as ${o.format} → ${out} (manifest.json, deidentification.json)`);
      return 0;
    }
    const deid = o.deidentify ? deidentifierFor(store) : undefined;
    if (o.format === 'dicom-seg') {
      const { file, version } = exportDicomSeg(store, caseId, out, deid ? { deidentifier: deid } : {});
      const w = new ExportWriter(out);
      if (deid) w.write('deidentification.json', JSON.stringify(deid.report(), null, 2));
      o.log(`export: lesion version ${version.version}${version.signed ? ' (signed)' : ''} → ${resolve(out, file.path)}`);
      return 0;
    }
    // nifti
    const version = exportLesionVersion(store, caseId);
    const meta = store.seriesMetadata(caseId);
    const volume = store.loadVolume(caseId);
    const g = { size: volume.size, spacingMm: volume.spacingMm, originLps: volume.originLps, directionLps: volume.directionLps };
    const lungV = store.latestLabelVersion(caseId, 'lung');
    const files = encodeNiftiCase(volume, { ...g, data: store.loadLabels(version.id) }, lungV ? { ...g, data: store.loadLabels(lungV.id) } : null);
    const name = deid ? deid.casePseudonym(meta, String(caseId)) : `case${caseId}`;
    const w = new ExportWriter(out);
    w.write(`${name}_image.nii.gz`, files.image);
    w.write(`${name}_lesions.nii.gz`, files.lesions);
    if (files.lung) w.write(`${name}_lung.nii.gz`, files.lung);
    if (deid) {
      deid.record(name, [{ attribute: 'file names', action: 'replaced', count: w.files.length }]);
      w.write('deidentification.json', JSON.stringify(deid.report(), null, 2));
    }
    const manifest = {
      format: 'nifti',
      case: name,
      deidentified: Boolean(deid),
      lesionVersion: { version: version.version, signed: version.signed, author: version.author.name, sha256: version.sha256 },
      model: modelOfVersion(store, version),
      files: [...w.files],
    };
    w.write('manifest.json', JSON.stringify(manifest, null, 2));
    o.log(`export: ${name} NIfTI (lesion version ${version.version}) → ${out}`);
    return 0;
  } finally {
    close();
  }
}
