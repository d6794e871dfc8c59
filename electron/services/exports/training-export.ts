import type { CaseStore } from '../cases/case-store.ts';
import type { CaseId } from '../../../shared/domain/ids.ts';
import type { Deidentifier, DeidChange } from '../../../shared/export/deidentify.ts';
import { EXPORT_NIFTI_DESCRIPTION, encodeNiftiCase } from '../../../shared/export/nifti-export.ts';
import { APP_VERSION } from './app-version.ts';
import { SYSTEM_ACTOR, type AuditActor } from '../audit/audit-trail.ts';
import { ExportError } from './export-error.ts';
import { ExportWriter, type ExportedFile } from './export-files.ts';
import {
  TrainingExportManifestSchema,
  type ManifestCase,
  type TrainingExportManifest,
  type TrainingFormat,
} from '../../../shared/contracts/retraining/training-export-manifest.ts';
import { lungVersionFor, modelOfVersion, signatureManifest, signedLesionVersion } from './label-provenance.ts';

/**
 * Training set layouts:
 * - `nnunet`: nnU-Net v2 raw dataset — `imagesTr/<case>_0000.nii.gz`, `labelsTr/<case>.nii.gz`,
 *   `dataset.json` (channel 0 = CT, labels background 0 / GGO 1 / high_opacity 2);
 * - `lung-burden-v1`: the project's own layout — `cases/<case>/image.nii.gz` (HU, int16),
 *   `lesions.nii.gz` (0/1/2), `lung.nii.gz` (0 outside, 1 right, 2 left) and `case.json`.
 * Both: `manifest.json` (case, lesion version, reader, model behind it, sha256 of every file) and
 * `deidentification.json`. Voxel axes: i → left, j → posterior, k → superior (the stored LPS
 * grid); the NIfTI affine maps them to RAS millimetres.
 */
export type { TrainingFormat };

export interface TrainingExportOptions {
  readonly caseIds: readonly CaseId[];
  readonly format: TrainingFormat;
  readonly outDir: string;
  /** Every training export is de-identified: case names are pseudonyms. */
  readonly deidentifier: Deidentifier;
  /** nnU-Net dataset name (default `LungBurden`). */
  readonly datasetName?: string;
  readonly onProgress?: (done: number, total: number, caseName: string) => void;
  /** Who exported (audit trail; default the system). */
  readonly by?: AuditActor;
}

/** `manifest.json`: its shape is the retraining contract (`shared/contracts/retraining/training-export-manifest.ts`). */
export type TrainingManifest = TrainingExportManifest;
export type { ManifestCase };

const LABELS = { background: 0, GGO: 1, high_opacity: 2 } as const;

/**
 * Exports the SIGNED lesion version of each selected case (cases without a signed version are
 * skipped and listed) as a de-identified training set. Throws `nothing-to-export` when no case
 * qualifies.
 */
export function exportTrainingSet(store: CaseStore, o: TrainingExportOptions): TrainingManifest {
  const w = new ExportWriter(o.outDir);
  const cases: ManifestCase[] = [];
  const skipped: { sourceCaseId: number; reason: string }[] = [];
  const deid = o.deidentifier;
  let done = 0;
  for (const caseId of o.caseIds) {
    let v;
    try {
      v = signedLesionVersion(store, caseId);
    } catch (e) {
      skipped.push({ sourceCaseId: caseId, reason: e instanceof Error ? e.message : String(e) });
      continue;
    }
    if (!v) {
      skipped.push({ sourceCaseId: caseId, reason: 'no signed lesion version' });
      continue;
    }
    const meta = store.seriesMetadata(caseId);
    const name = deid.casePseudonym(meta, String(caseId));
    const volume = store.loadVolume(caseId);
    const g = { size: volume.size, spacingMm: volume.spacingMm, originLps: volume.originLps, directionLps: volume.directionLps };
    const lungV = lungVersionFor(store, caseId, v);
    const nifti = encodeNiftiCase(
      volume,
      { ...g, data: store.loadLabels(v.id) },
      lungV ? { ...g, data: store.loadLabels(lungV.id) } : null,
    );
    const written: ExportedFile[] = [];
    if (o.format === 'nnunet') {
      written.push(w.write(`imagesTr/${name}_0000.nii.gz`, nifti.image), w.write(`labelsTr/${name}.nii.gz`, nifti.lesions));
    } else {
      written.push(w.write(`cases/${name}/image.nii.gz`, nifti.image), w.write(`cases/${name}/lesions.nii.gz`, nifti.lesions));
      if (nifti.lung) written.push(w.write(`cases/${name}/lung.nii.gz`, nifti.lung));
      const caseJson = {
        case: name,
        sizeIjk: volume.size,
        spacingMm: volume.spacingMm,
        axes: 'i → patient left, j → posterior, k → superior (LPS grid); NIfTI affine in RAS mm',
        labels: { lesions: LABELS, lung: { outside: 0, right: 1, left: 2 } },
        modality: meta.modality,
        convolutionKernel: meta.convolutionKernel,
        sliceThicknessMm: meta.sliceThicknessMm,
        lesionVersion: { version: v.version, signed: v.signed, reader: v.author.name },
        signature: signatureManifest(store, v),
        model: modelOfVersion(store, v),
      };
      written.push(w.write(`cases/${name}/case.json`, JSON.stringify(caseJson, null, 2)));
    }
    const changes: DeidChange[] = [
      { attribute: 'file names', action: 'replaced', count: written.length },
      { attribute: 'NIfTI descrip', action: 'replaced', count: written.filter((f) => f.path.endsWith('.nii.gz')).length },
    ];
    const burned = deid.burnedInWarning(meta.sopClassUid);
    deid.record(name, changes, burned ? [burned] : []);
    cases.push({
      case: name,
      sourceCaseId: caseId,
      lesionVersion: { id: v.id, version: v.version, reader: v.author.name, signed: v.signed, createdAt: v.createdAt, sha256: v.sha256 },
      lungVersion: lungV ? { id: lungV.id, version: lungV.version, author: lungV.author.name, sha256: lungV.sha256 } : null,
      signature: signatureManifest(store, v),
      model: modelOfVersion(store, v),
      files: written.map((f) => f.path),
    });
    o.onProgress?.(++done, o.caseIds.length, name);
  }
  if (cases.length === 0) {
    throw new ExportError('nothing-to-export', `none of the ${o.caseIds.length} selected case(s) has a signed lesion segmentation`);
  }
  if (o.format === 'nnunet') {
    w.write(
      'dataset.json',
      JSON.stringify(
        {
          name: o.datasetName ?? 'LungBurden',
          description: `COVID-19 pneumonia lesions (GGO, high opacity) signed by core-lab readers; ${EXPORT_NIFTI_DESCRIPTION}`,
          channel_names: { '0': 'CT' },
          labels: LABELS,
          numTraining: cases.length,
          file_ending: '.nii.gz',
        },
        null,
        2,
      ),
    );
  }
  w.write('deidentification.json', JSON.stringify(deid.report(), null, 2));
  const manifest: TrainingManifest = {
    format: o.format,
    formatVersion: 1,
    createdAt: new Date().toISOString(),
    software: { name: 'lung-burden', version: APP_VERSION },
    deidentified: true,
    labels: LABELS,
    cases,
    skipped,
    files: [...w.files],
  };
  // the contract with the trainer: a manifest that breaks it is a bug here, never written
  w.write('manifest.json', JSON.stringify(TrainingExportManifestSchema.parse(manifest), null, 2));
  for (const c of cases) {
    store.audit.append({
      actor: o.by ?? SYSTEM_ACTOR,
      action: 'export',
      caseId: c.sourceCaseId,
      entity: `label_version:${c.lesionVersion.id}`,
      sha256: c.lesionVersion.sha256,
      details: {
        format: o.format,
        case: c.case,
        lesionVersion: c.lesionVersion.version,
        lungVersion: c.lungVersion?.version ?? null,
        deidentified: true,
      },
    });
  }
  return manifest;
}
