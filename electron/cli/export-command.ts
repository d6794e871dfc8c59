import { checkOutputFolder } from '../services/exports/safe-write.ts';
import { resolve } from 'node:path';
import { CaseStore } from '../services/cases/case-store.ts';
import { asCaseId, type CaseId } from '../../shared/domain/ids.ts';
import { deidentifierFor } from '../services/exports/deid-salt.ts';
import { ExportError } from '../services/exports/export-error.ts';
import { CASE_EXPORT_FORMATS, exportCaseFiles, type CaseExportFormat } from '../services/exports/case-export.ts';
import { cliActor } from '../services/audit/audit-trail.ts';

export type ExportFormat = CaseExportFormat;
export const EXPORT_FORMATS: readonly ExportFormat[] = CASE_EXPORT_FORMATS;

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
 * - `dicom-seg`: the case's result (its signed lesion version + the lung version signed with it;
 *   else the latest, unsigned, said so in the log and the series description) as one DICOM SEG;
 * - `nifti`: `<name>_image.nii.gz`, `<name>_lesions.nii.gz`, `<name>_lung.nii.gz` + manifest.json;
 * - `nnunet`, `lung-burden-v1`: training sets from the SIGNED version only, always de-identified.
 * A path target is imported into the store and analysed with the active model first (its lesion
 * version is then the model's, unsigned: fine for dicom-seg/nifti, refused by the training formats).
 * Returns the process exit code (0).
 */
export async function runExportCommand(o: ExportCommandOptions): Promise<number> {
  if (!EXPORT_FORMATS.includes(o.format))
    throw new ExportError('bad-request', `unknown export format "${o.format}" (use ${EXPORT_FORMATS.join(', ')})`);
  const training = o.format === 'nnunet' || o.format === 'lung-burden-v1';
  if (training && o.deidentify === false)
    throw new ExportError('bad-request', `${o.format} exports are for retraining and are always de-identified`);
  const out = resolve(o.out);
  // A non-empty --out is refused unless --force: an export never silently overwrites (issue 18).
  checkOutputFolder(out, o.force === true);
  let store: CaseStore;
  let close: () => void | Promise<void>;
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
    const r = exportCaseFiles(store, caseId, o.format, out, training || o.deidentify ? deidentifierFor(store) : undefined, cliActor());
    o.log(`export: ${r.summary}${o.format === 'dicom-seg' ? ` (${resolve(out)})` : ` → ${out}`}`);
    return 0;
  } finally {
    await close();
  }
}
