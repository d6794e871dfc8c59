/**
 * The CPU-heavy work of the main process, as plain functions of their inputs, run by the compute
 * worker threads (`compute-worker.ts`, pool in `electron/services/compute/compute-pool.ts`) so the
 * main thread never blocks on them. Each task only calls the pure/shared or service functions that
 * already do the work (the pool adds no logic): importing a path (`importAnyPath`: file reading,
 * DICOM/NIfTI decoding, reorientation) plus the voxel cache write, the lung mask, the burden
 * (`computeBurden`), label (de)compression with its sha256, and autosave slot writes/reads.
 * Large buffers come in and go out as transferables (moved, not copied).
 */
import { isAbsolute } from 'node:path';
import type { ImportIssue } from '../../shared/dicom/types.ts';
import type { Volume, VolumeGeometry } from '../../shared/domain/volume.ts';
import type { CaseId, LabelVersionId } from '../../shared/domain/ids.ts';
import { computeBurden, type BurdenResult } from '../../shared/imaging/burden.ts';
import { computeLungMask, type AutomaticLungMask } from '../services/lung-net/compute-lung-mask.ts';
import type { LungMaskComparison } from '../../shared/imaging/combine-lung-masks.ts';
import { importAnyPath } from '../services/analysis/import-any-path.ts';
import type { SeriesToStore } from '../services/cases/case-store.ts';
import {
  decodeLabels,
  encodeLabelsAgainst,
  encodeLabelsAsync,
  type EncodedLabels,
  type StoredLabels,
} from '../services/cases/label-encoding.ts';
import { sharedCopy } from '../services/compute/label-cache.ts';
import { resumableSha256 } from './resumable-sha256.ts';
import { pairAgreement, type PairAgreement } from '../../shared/imaging/agreement.ts';
import { VoxelCache } from '../services/cases/voxel-cache.ts';
import { scanQc, scanQcInput } from '../../shared/qc/scan-qc.ts';
import type { QcFlag } from '../../shared/qc/qc-flag.ts';
import { AutosaveStore, type AutosaveRecovery } from '../services/autosave/autosave-store.ts';
import { applyLabelPatchTask, stageLabelPatchTask, type ApplyLabelPatchInput } from './apply-label-patch.ts';

/** Where a case's voxels are on disk (the worker reads them itself: nothing crosses the thread boundary). */
export interface VoxelFile {
  readonly path: string;
  readonly geometry: VolumeGeometry;
}

/** A label map given to a task: raw bytes, or as stored (inflated and verified in the worker). */
export type LabelInput = { readonly raw: Uint8Array } | { readonly stored: StoredLabels; readonly what: string };

/** An imported series with its voxel-cache hash; its voxels are already in the cache. */
export interface PreparedSeries extends SeriesToStore {
  readonly contentHash: string;
}

/** The version a save is diffed against: its raw bytes (shared memory, read only here) and counts. */
export interface PatchBase {
  readonly bytes: Uint8Array;
  /** sha256 of `bytes` (the hash of the new map resumes from its states where the bytes are unchanged). */
  readonly sha256: string;
  readonly counts: readonly number[];
  /** Above this many changed voxels the save is a full snapshot. */
  readonly maxChangedVoxels: number;
}

/**
 * An encoded save: a patch against the base (`patch` set, `blob` the compressed patch) or a full
 * map (`patch` null); the worker's copy of the labels; for a full map with `keepShared`, a shared
 * copy to diff the next save against.
 */
export interface EncodedSave extends EncodedLabels {
  readonly labels: Uint8Array;
  readonly patch: { readonly raw: Uint8Array; readonly changedVoxels: number } | null;
  readonly shared: Uint8Array | null;
}

/** Inputs and outputs of every task. */
export interface ComputeTaskMap {
  importPath: { input: { path: string; voxelDir: string }; output: { series: PreparedSeries[]; issues: readonly ImportIssue[] } };
  lungMask: { input: { voxels: VoxelFile }; output: Omit<AutomaticLungMask, 'warnings'> };
  burden: { input: { voxels: VoxelFile; lung: LabelInput; lesion: LabelInput | null }; output: BurdenResult };
  analysisQc: {
    input: {
      voxels: VoxelFile;
      lung: LabelInput;
      series: Pick<SeriesToStore, 'metadata' | 'sourceKind' | 'issues'>;
      burden: BurdenResult | null;
      lungMasks?: LungMaskComparison | null;
    };
    output: QcFlag[];
  };
  /** `burden` then `analysisQc` on one read of the volume and one decode of the lung mask. */
  burdenAndQc: {
    input: {
      voxels: VoxelFile;
      lung: LabelInput;
      lesion: LabelInput | null;
      series: Pick<SeriesToStore, 'metadata' | 'sourceKind' | 'issues'>;
      lungMasks?: LungMaskComparison | null;
    };
    output: { burden: BurdenResult; qc: QcFlag[] };
  };
  encodeLabels: { input: { labels: Uint8Array; base?: PatchBase | null; keepShared?: boolean }; output: EncodedSave };
  decodeLabels: { input: { stored: StoredLabels; what: string }; output: Uint8Array };
  /** Decoded labels and a SharedArrayBuffer copy of them (the base of the next patch save). */
  decodeLabelsShared: { input: { stored: StoredLabels; what: string }; output: { labels: Uint8Array; shared: Uint8Array } };
  /** Dice and volumes of two label maps (`pairAgreement`), each decoded here. */
  compareLabels: { input: { a: LabelInput; b: LabelInput; voxelMl: number; lung: LabelInput | null }; output: PairAgreement };
  readVolume: { input: { voxels: VoxelFile }; output: Volume };
  autosaveWrite: { input: { dataDir: string; caseId: CaseId; labels: Uint8Array; parentVersionId: LabelVersionId | null }; output: string };
  autosaveRecover: { input: { dataDir: string; caseId: CaseId }; output: AutosaveRecovery };
  /** A reader's patch applied to its parent, checked against the reader's sha256, encoded as a save (`apply-label-patch.ts`). */
  applyLabelPatch: { input: ApplyLabelPatchInput; output: EncodedSave };
  /** A reader's patch applied to its parent, checked, written to the autosave slot; the time stamp written. */
  stageLabelPatch: { input: Parameters<typeof stageLabelPatchTask>[0]; output: string };
}
export type ComputeTaskName = keyof ComputeTaskMap;

/** What a task may do while it runs. */
export interface TaskContext {
  readonly signal: AbortSignal;
  progress(done: number, total: number, message: string): void;
}

/** A task's result and the buffers to move (not copy) back with it. */
export interface TaskResult<T> {
  readonly value: T;
  readonly transfer: ArrayBuffer[];
}

const buffersOf = (...views: (ArrayBufferView | null | undefined)[]): ArrayBuffer[] => {
  const set = new Set<ArrayBuffer>();
  for (const v of views) if (v && v.buffer instanceof ArrayBuffer && v.byteLength > 64 * 1024) set.add(v.buffer);
  return [...set];
};

const readVoxels = (f: VoxelFile): Volume => {
  if (!isAbsolute(f.path)) throw new Error('voxel file path must be absolute');
  return VoxelCache.readFile(f.path, f.geometry);
};

const labelsOf = (l: LabelInput): Uint8Array => ('raw' in l ? l.raw : decodeLabels(l.stored, l.what));

type Tasks = {
  readonly [K in ComputeTaskName]: (
    input: ComputeTaskMap[K]['input'],
    ctx: TaskContext,
  ) => Promise<TaskResult<ComputeTaskMap[K]['output']>> | TaskResult<ComputeTaskMap[K]['output']>;
};

/** The task implementations (run in a compute worker; callable in-process by tests). */
export const computeTasks: Tasks = {
  importPath: async ({ path, voxelDir }, ctx) => {
    const r = await importAnyPath(path, {
      signal: ctx.signal,
      onProgress: (done, total, file) => ctx.progress(done, total, `reading ${file}`),
    });
    const cache = new VoxelCache(voxelDir, { sweep: false });
    const series = r.series.map((s): PreparedSeries => {
      const contentHash = VoxelCache.contentHash(s.volume);
      cache.put(contentHash, s.volume);
      // The scan QC gate's import checks read every voxel (HU landmarks): here, not on the main thread.
      return { ...s, contentHash, qcFlags: scanQc(scanQcInput(s, s.volume)) };
    });
    return { value: { series, issues: r.issues }, transfer: buffersOf(...series.map((s) => s.volume.data)) };
  },
  lungMask: async ({ voxels }, ctx) => {
    const { warnings: _w, ...mask } = await computeLungMask(readVoxels(voxels), { signal: ctx.signal });
    return { value: mask, transfer: buffersOf(mask.labels) };
  },
  burden: ({ voxels, lung, lesion }) => {
    const volume = readVoxels(voxels);
    const value = computeBurden(volume, { ...voxels.geometry, data: labelsOf(lung) }, lesion ? labelsOf(lesion) : null);
    return { value, transfer: [] };
  },
  burdenAndQc: ({ voxels, lung, lesion, series, lungMasks }) => {
    const volume = readVoxels(voxels);
    const lungMap = { ...voxels.geometry, data: labelsOf(lung) };
    const burden = computeBurden(volume, lungMap, lesion ? labelsOf(lesion) : null);
    return {
      value: { burden, qc: scanQc(scanQcInput(series, volume, { lung: lungMap, burden, lungMasks: lungMasks ?? null })) },
      transfer: [],
    };
  },
  analysisQc: ({ voxels, lung, series, burden, lungMasks }) => {
    const volume = readVoxels(voxels);
    return {
      value: scanQc(
        scanQcInput(series, volume, { lung: { ...voxels.geometry, data: labelsOf(lung) }, burden, lungMasks: lungMasks ?? null }),
      ),
      transfer: [],
    };
  },
  encodeLabels: async ({ labels, base, keepShared }) => {
    const p = base
      ? encodeLabelsAgainst(labels, base.bytes, base.counts, base.maxChangedVoxels, (l, firstChange) =>
          resumableSha256(l, { digest: base.sha256, firstChange }),
        )
      : null;
    if (p) return { value: { ...p, labels, shared: null }, transfer: buffersOf(labels, p.blob, p.patch.raw) };
    const enc = await encodeLabelsAsync(labels, (l) => resumableSha256(l));
    return {
      value: { ...enc, labels, patch: null, shared: keepShared ? sharedCopy(labels) : null },
      transfer: buffersOf(labels, enc.blob),
    };
  },
  decodeLabelsShared: ({ stored, what }) => {
    const labels = decodeLabels(stored, what, (l) => resumableSha256(l));
    return { value: { labels, shared: sharedCopy(labels) }, transfer: buffersOf(labels) };
  },
  compareLabels: ({ a, b, voxelMl, lung }) => ({
    value: pairAgreement(labelsOf(a), labelsOf(b), voxelMl, lung ? labelsOf(lung) : null),
    transfer: [],
  }),
  decodeLabels: ({ stored, what }) => {
    const labels = decodeLabels(stored, what);
    return { value: labels, transfer: buffersOf(labels) };
  },
  readVolume: ({ voxels }) => {
    const volume = readVoxels(voxels);
    return { value: volume, transfer: buffersOf(volume.data) };
  },
  autosaveWrite: ({ dataDir, caseId, labels, parentVersionId }) => ({
    value: new AutosaveStore(dataDir).write({ caseId, labels, parentVersionId }),
    transfer: [],
  }),
  applyLabelPatch: async (input) => {
    const v = await applyLabelPatchTask(input);
    return { value: v, transfer: buffersOf(v.labels, v.blob, v.patch?.raw) };
  },
  stageLabelPatch: (input) => ({ value: stageLabelPatchTask(input), transfer: [] }),
  autosaveRecover: ({ dataDir, caseId }) => {
    const value = new AutosaveStore(dataDir).recover(caseId);
    return { value, transfer: value.kind === 'recovered' ? buffersOf(value.record.labels) : [] };
  },
};
