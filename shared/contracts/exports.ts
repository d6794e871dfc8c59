import { z } from 'zod';
import { method } from './contract.ts';
import type { CaseId } from '../domain/ids.ts';

/** A case id argument (as `CaseIdSchema` of workstation.ts, which cannot be imported here without a cycle). */
export const ExportCaseIdSchema = z
  .number()
  .int()
  .positive()
  .max(2 ** 31)
  .transform((n) => n as CaseId);

/**
 * What the UI can export for one case: the CLI's `export` formats and the report. Reports and
 * DICOM SEG / NIfTI may come from an unsigned version (as in the CLI, and they say so); the
 * training formats only from a signed one and always de-identified.
 */
export const UI_EXPORT_FORMATS = ['dicom-seg', 'nifti', 'nnunet', 'lung-burden-v1', 'report-pdf', 'report-csv'] as const;
export type UiExportFormat = (typeof UI_EXPORT_FORMATS)[number];

export const ExportRequestSchema = z
  .object({
    format: z.enum(UI_EXPORT_FORMATS),
    /** De-identify (DICOM SEG / NIfTI) or show the patient by pseudonym (reports). Training formats always are. */
    deidentify: z.boolean(),
  })
  .strict();
export type ExportRequest = z.infer<typeof ExportRequestSchema>;

/** Single-use id of an export waiting to be downloaded (browser mode). */
export const DownloadIdSchema = z.string().regex(/^[a-f0-9]{32}$/);

/** A file of an export: path relative to the export, size (bytes) and sha256 (hex). */
export interface ExportFileView {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** The lesion version an export contains. */
export interface ExportVersionView {
  readonly labelVersionId: number;
  readonly version: number;
  readonly signed: boolean;
  readonly author: string;
  readonly authorKind: 'model' | 'reader' | 'algorithm';
}

interface ExportedCommon {
  readonly caseId: number;
  readonly format: UiExportFormat;
  readonly files: readonly ExportFileView[];
  /** Null only for a report of a case without lesion labels. */
  readonly version: ExportVersionView | null;
  /** One sentence for the user: what was exported from which version. */
  readonly summary: string;
}

/**
 * Outcome of an export: `written` where the main side could ask for a destination (Electron's
 * save / folder dialog), `download` in browser mode (fetch the bytes with `exports.download`:
 * the single file, or a zip of several), `cancelled` when the user closed the dialog.
 */
export type ExportOutcome =
  | { readonly kind: 'cancelled' }
  | (ExportedCommon & { readonly kind: 'written'; readonly destination: string })
  | (ExportedCommon & {
      readonly kind: 'download';
      readonly downloadId: string;
      readonly fileName: string;
      readonly mediaType: string;
      readonly bytes: number;
    });

/** Exports from the review screen and the worklist (main side: `electron/app/api/exports-api.ts`). */
export const exportsContract = {
  exports: {
    run: method(z.tuple([ExportCaseIdSchema, ExportRequestSchema])).returns<ExportOutcome>(),
    /** The bytes of a `download` outcome (single use; expires after 10 minutes). */
    download: method(z.tuple([DownloadIdSchema])).returns<Uint8Array>(),
  },
} as const;
