import { z } from 'zod';
import { method } from './contract.ts';
import type { JobInfo } from './workstation.ts';

/** Most files one folder upload may hold. */
export const MAX_UPLOAD_FILES = 100_000;
/** Most bytes one folder upload may hold (8 GiB: a large multi-series study). */
export const MAX_UPLOAD_BYTES = 8 * 1024 ** 3;
/** Largest single uploaded file (the bridge's binary limit: 512 MiB). */
export const MAX_UPLOAD_FILE_BYTES = 512 * 512 * 2000;

export const UploadIdSchema = z.string().regex(/^[a-f0-9]{32}$/);

/**
 * A file's path inside the uploaded folder, as the browser reports it (`webkitRelativePath` or
 * the dropped entry's path): relative, `/`-separated, no `..`, `.` or empty segments, no NUL or
 * control characters or backslashes, at most 1024 characters and 32 levels.
 */
export const UploadPathSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine((s) => !/[\u0000-\u001f\\\\]/.test(s), 'path contains control characters or backslashes')
  .refine((s) => !s.startsWith('/') && !/^[A-Za-z]:/.test(s), 'path must be relative')
  .refine(
    (s) => s.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && seg.length <= 255),
    'path has empty, . or .. segments',
  )
  .refine((s) => s.split('/').length <= 32, 'path is too deep');

export const UploadBytesSchema = z
  .instanceof(Uint8Array)
  .refine((b) => b.length <= MAX_UPLOAD_FILE_BYTES, `file larger than ${MAX_UPLOAD_FILE_BYTES} bytes`);

export const UploadPlanSchema = z
  .object({
    files: z.number().int().min(1).max(MAX_UPLOAD_FILES),
    bytes: z.number().int().min(0).max(MAX_UPLOAD_BYTES),
  })
  .strict();

/** Outcome of "Import folder…" where the main side can show a folder dialog (Electron). */
export type ChooseFolderOutcome =
  | { readonly kind: 'started'; readonly job: JobInfo }
  | { readonly kind: 'cancelled' }
  /** No native dialog here (browser mode): upload the folder with `beginUpload` instead. */
  | { readonly kind: 'unsupported' };

/** Progress of a folder upload. */
export interface UploadProgress {
  readonly files: number;
  readonly bytes: number;
}

/**
 * Import by folder (main side: `electron/app/api/imports-api.ts`): a native folder dialog in
 * Electron, or in browser mode an upload of the folder's files (binary, one call per file, into a
 * per-upload staging folder; bounded in count and size) after which the usual import job runs on
 * that folder and the staging folder is removed.
 */
export const importsContract = {
  imports: {
    chooseFolder: method(z.tuple([])).returns<ChooseFolderOutcome>(),
    beginUpload: method(z.tuple([UploadPlanSchema])).returns<{ readonly uploadId: string }>(),
    uploadFile: method(z.tuple([UploadIdSchema, UploadPathSchema, UploadBytesSchema])).returns<UploadProgress>(),
    finishUpload: method(z.tuple([UploadIdSchema])).returns<JobInfo>(),
    abortUpload: method(z.tuple([UploadIdSchema])).returns<null>(),
  },
} as const;
