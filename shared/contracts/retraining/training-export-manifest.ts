import { z } from 'zod';
import { Sha256HexSchema } from './sha256-hex.ts';

/**
 * `manifest.json` of a training export (`lung-burden export --format nnunet|lung-burden-v1`),
 * written by `electron/services/exports/training-export.ts` and read by
 * `python -m lungburden.retrain`. Its JSON Schema is `schemas/training-export-manifest.schema.json`.
 * Every file of the export except the manifest is listed in `files` with its sha256, which the
 * trainer checks before reading a voxel.
 */
export const TRAINING_FORMATS = ['nnunet', 'lung-burden-v1'] as const;

/** A file of the export: path relative to the export folder, sha256 (hex) and size in bytes. */
export const ExportedFileSchema = z
  .object({
    path: z.string().min(1),
    sha256: Sha256HexSchema,
    bytes: z.number().int().nonnegative(),
  })
  .strict();

/** One exported case: its pseudonym, the signed lesion version behind it, signature and model. */
export const ManifestCaseSchema = z
  .object({
    /** The case's pseudonym (also its folder / file stem in the export). */
    case: z.string().min(1),
    sourceCaseId: z.number().int().positive(),
    lesionVersion: z
      .object({
        id: z.number().int(),
        version: z.number().int(),
        reader: z.string(),
        signed: z.boolean(),
        createdAt: z.string(),
        sha256: Sha256HexSchema,
      })
      .strict(),
    lungVersion: z
      .object({ id: z.number().int(), version: z.number().int(), author: z.string(), sha256: Sha256HexSchema })
      .strict()
      .nullable(),
    /** The electronic signature of the case's result: who (name, role), when, meaning, bound sha256s. */
    signature: z
      .object({
        readerName: z.string(),
        role: z.string(),
        signedAt: z.string(),
        meaning: z.string(),
        kind: z.string(),
        lesionSha256: z.string(),
        lungVersionId: z.number().int(),
        lungSha256: z.string(),
      })
      .strict()
      .nullable(),
    /** The model behind the lesion version (its nearest model-authored ancestor), null when none. */
    model: z.object({ name: z.string(), version: z.string(), labelVersion: z.number().int() }).strict().nullable(),
    /** Paths (relative to the export) of this case's files. */
    files: z.array(z.string().min(1)),
  })
  .strict();

export const TrainingExportManifestSchema = z
  .object({
    format: z.enum(TRAINING_FORMATS),
    formatVersion: z.literal(1),
    createdAt: z.string(),
    software: z.object({ name: z.literal('lung-burden'), version: z.string() }).strict(),
    deidentified: z.literal(true),
    /** Lesion label values: background 0, GGO 1, high_opacity 2. */
    labels: z.record(z.string(), z.number().int().nonnegative()),
    cases: z.array(ManifestCaseSchema),
    skipped: z.array(z.object({ sourceCaseId: z.number().int(), reason: z.string() }).strict()),
    /** Every file written except manifest.json itself. */
    files: z.array(ExportedFileSchema),
  })
  .strict();

export type TrainingFormat = (typeof TRAINING_FORMATS)[number];
export type ExportedFile = z.infer<typeof ExportedFileSchema>;
export type ManifestCase = z.infer<typeof ManifestCaseSchema>;
export type TrainingExportManifest = z.infer<typeof TrainingExportManifestSchema>;
