import { z } from 'zod';
import { type CaseDetail, type CaseSummary, type LabelVersionInfo } from '../domain/case.ts';
import type { CaseId, LabelVersionId } from '../domain/ids.ts';
import { method } from './contract.ts';
import { qcContract } from './qc.ts';
import { exportsContract } from './exports.ts';
import { importsContract } from './imports.ts';
import { pacsContract } from './pacs.ts';
import { auditContract } from './audit.ts';
import { PasswordSchema, readersContract } from './readers.ts';
import { adjudicationContract } from './adjudication.ts';
import { lungAutosaveContract } from './lung-autosave.ts';
import type { BurdenResult } from '../imaging/burden-result.ts';
import { trialContract } from './trial.ts';
import { readStudiesContract } from './read-studies.ts';
import { labelPatchesContract } from './label-patches.ts';

/** Schemas of the identifiers and values that cross the boundary. */
export const CaseIdSchema = z
  .number()
  .int()
  .positive()
  .max(2 ** 31)
  .transform((n) => n as CaseId);
export const LabelVersionIdSchema = z
  .number()
  .int()
  .positive()
  .max(2 ** 31)
  .transform((n) => n as LabelVersionId);
/**
 * A filesystem path chosen by the user: absolute (POSIX `/…` or Windows `C:\…`), bounded, no NUL
 * bytes and no `..` segments, so relative tricks are refused at the gate.
 */
export const PathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => !s.includes('\u0000'), 'path contains NUL')
  .refine((s) => s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s), 'path must be absolute')
  .refine((s) => !s.split(/[\\/]/).includes('..'), 'path must not contain .. segments');
export const JobIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);
/** Label bytes (Uint8Array) of at most 2^31 voxels. */
export const LabelBytesSchema = z.instanceof(Uint8Array).refine((b) => b.length > 0 && b.length < 2 ** 31, 'label map size');

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

/** A long-running task (import, AI run) the renderer polls or subscribes to. */
export interface JobInfo {
  readonly id: string;
  readonly kind: 'import' | 'analyze' | 'retrain';
  readonly state: JobState;
  readonly done: number;
  readonly total: number;
  readonly etaS: number | null;
  readonly message: string;
  readonly caseIds: readonly CaseId[];
  readonly error: string | null;
}

/**
 * Burden figures as shown to the reader (mL and % of lung volume): exactly the stored record, the
 * `BurdenResult` that `computeBurden` returns (whole lungs, right/left, zones, definitions), one
 * type from the store through the contract to the renderer.
 */
export type BurdenView = BurdenResult;

export interface VersionComparison {
  readonly a: LabelVersionId;
  readonly b: LabelVersionId;
  readonly dice: { readonly ggo: number | null; readonly highOpacity: number | null; readonly lesion: number | null };
  readonly volumeMl: {
    readonly a: { readonly ggo: number; readonly highOpacity: number };
    readonly b: { readonly ggo: number; readonly highOpacity: number };
  };
}

/** What an autosave slot holds for a case (edits of an earlier session not yet saved). */
export type AutosaveInfo =
  | { readonly kind: 'none' }
  | { readonly kind: 'recovered'; readonly parentVersionId: LabelVersionId | null; readonly savedAt: string; readonly sha256: string }
  | { readonly kind: 'corrupt'; readonly reason: string };

export interface ModelInfo {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly sha256: string;
  readonly active: boolean;
  /** Validation metrics on the fixed split (keys: `shared/inference/model-metrics.ts`). */
  readonly metrics: Readonly<Record<string, number | null>>;
  /** `builtin`: shipped with the app; `user`: registered by retraining (or copied in). */
  readonly source: 'builtin' | 'user';
  readonly createdAt: string;
  readonly architecture: string;
  /** One line per training source. */
  readonly trainingData: readonly string[];
}

/** One metric of a retraining comparison: the old and new model on the same fixed split. */
export interface MetricComparison {
  readonly key: string;
  readonly old: number | null;
  readonly new: number | null;
}

/** One retraining run (`<dataDir>/retrain/<id>/`), as the Models panel shows it. */
export interface RetrainRunView {
  /** The work folder name: a UTC timestamp (`20261129T231500Z`). */
  readonly id: string;
  readonly startedAt: string;
  /** `registered`: the new model passed the gate and is listed; `refused`: worse than the old one. */
  readonly state: 'running' | 'registered' | 'refused' | 'failed' | 'cancelled';
  readonly error: string | null;
  readonly base: { readonly name: string; readonly version: string } | null;
  readonly newVersion: string | null;
  readonly gate: { readonly metric: string; readonly old: number | null; readonly new: number | null; readonly minDelta: number } | null;
  readonly exportedCases: number;
  readonly trainingWindows: number;
  readonly steps: number;
  readonly trainingS: number | null;
  readonly validationSplitSha256: string | null;
  readonly metrics: readonly MetricComparison[];
}

export const RetrainOptionsSchema = z.object({
  /** Fine-tuning steps. */
  steps: z.number().int().min(1).max(100_000),
  /** Accept when new lesion Dice >= old − minDelta on the fixed split. */
  minDelta: z.number().min(-1).max(1),
});
export type RetrainOptions = z.infer<typeof RetrainOptionsSchema>;

/**
 * The workstation's typed contract: every call the renderer may make to the main process.
 * Binary payloads (voxels, label maps) are `Uint8Array`s: structured-cloned over Electron IPC,
 * raw `application/octet-stream` over the loopback bridge — never JSON.
 */
export const workstationContract = {
  cases: {
    list: method(z.tuple([])).returns<CaseSummary[]>(),
    get: method(z.tuple([CaseIdSchema])).returns<CaseDetail>(),
    /** Int16 HU voxels of the case volume (little-endian bytes, axis order of Volume). */
    volumeBytes: method(z.tuple([CaseIdSchema])).returns<Uint8Array>(),
    labelBytes: method(z.tuple([LabelVersionIdSchema])).returns<Uint8Array>(),
    /** Saves the reader's edited lesion labels as a new version (parent = version edited). */
    saveLesionLabels: method(
      z.tuple([CaseIdSchema, LabelBytesSchema, LabelVersionIdSchema.nullable(), z.string().max(2000)]),
    ).returns<LabelVersionInfo>(),
    /**
     * Saves the reader's corrected lung mask (0 outside, 1 right, 2 left; other values refused) as a
     * new lung version (parent = lung version edited); the stored burden of the latest lesion version
     * follows against it. A signed result keeps the lung version it was signed with.
     */
    saveLungLabels: method(
      z.tuple([CaseIdSchema, LabelBytesSchema, LabelVersionIdSchema.nullable(), z.string().max(2000)]),
    ).returns<LabelVersionInfo>(),
    /**
     * Electronic signature of a lesion version by the signed-in reader, who re-enters the password.
     * A version the reader did not make is first saved unchanged as theirs; that copy is signed and
     * returned. (No call sets a case's status: it follows from the versions and signatures.)
     */
    signOff: method(z.tuple([CaseIdSchema, LabelVersionIdSchema, PasswordSchema])).returns<LabelVersionInfo>(),
    burden: method(z.tuple([CaseIdSchema])).returns<BurdenView | null>(),
    compareVersions: method(z.tuple([LabelVersionIdSchema, LabelVersionIdSchema])).returns<VersionComparison>(),
  },
  jobs: {
    importPath: method(z.tuple([PathSchema])).returns<JobInfo>(),
    importSample: method(z.tuple([])).returns<JobInfo>(),
    analyze: method(z.tuple([CaseIdSchema])).returns<JobInfo>(),
    /**
     * Human-in-the-loop retraining: exports every signed case (de-identified, `lung-burden-v1`),
     * fine-tunes the active model, compares old and new on the fixed validation split and registers
     * the new model only if it is not worse. The outcome is in `models.retrainRuns`.
     */
    retrain: method(z.tuple([RetrainOptionsSchema])).returns<JobInfo>(),
    get: method(z.tuple([JobIdSchema])).returns<JobInfo>(),
    cancel: method(z.tuple([JobIdSchema])).returns<JobInfo>(),
  },
  models: {
    list: method(z.tuple([])).returns<ModelInfo[]>(),
    /** Makes a registered bundle the one "Run AI" uses; older label versions are kept as they are. */
    setActive: method(z.tuple([z.string().trim().min(1).max(200), z.string().trim().min(1).max(200)])).returns<ModelInfo[]>(),
    /** Retraining runs, newest first, each with its old/new comparison on the fixed split. */
    retrainRuns: method(z.tuple([])).returns<RetrainRunView[]>(),
  },
  autosave: {
    /** Stores the in-progress edit state (atomically; replaces the previous autosave of the case). */
    stage: method(z.tuple([CaseIdSchema, LabelBytesSchema, LabelVersionIdSchema.nullable()])).returns<{ savedAt: string }>(),
    /** On opening a case: is there an autosave of an earlier session? */
    recover: method(z.tuple([CaseIdSchema])).returns<AutosaveInfo>(),
    /** The recovered label bytes (call after `recover` said `recovered`). */
    recoveredBytes: method(z.tuple([CaseIdSchema])).returns<Uint8Array>(),
    /** The reader discarded the recovered edits. */
    discard: method(z.tuple([CaseIdSchema])).returns<null>(),
    /** Cases with unsaved edits (shown on the worklist at start). */
    pending: method(z.tuple([])).returns<CaseId[]>(),
  },
  ...qcContract,
  ...exportsContract,
  ...importsContract,
  ...pacsContract,
  ...readersContract,
  ...auditContract,
  ...adjudicationContract,
  ...lungAutosaveContract,
  ...trialContract,
  ...readStudiesContract,
  ...labelPatchesContract,
} as const;

export type WorkstationContract = typeof workstationContract;
