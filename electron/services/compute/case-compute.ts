import type { LabelAuthor, LabelKind, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import type { BurdenResult } from '../../../shared/imaging/burden.ts';
import type { ImportIssue } from '../../../shared/dicom/types.ts';
import { CaseStoreError, type CaseStore, type LabelVersionOptions } from '../cases/case-store.ts';
import type { QcFlag } from '../../../shared/qc/qc-flag.ts';
import { recordQcFlags } from '../qc/record-qc-flags.ts';
import type { LabelInput, PreparedSeries } from '../../workers/compute-tasks.ts';
import type { ComputeLane, ComputePool } from './compute-pool.ts';
import type { AutosaveRecovery } from '../autosave/autosave-store.ts';
import { CLASSICAL_LUNG_MASK_ALGORITHM } from '../lung-net/compute-lung-mask.ts';
import { caseLungMaskComparison } from '../lung-net/case-lung-mask-comparison.ts';

/** Name and version recorded as author of automatic (classical) lung masks. */
export const LUNG_MASK_ALGORITHM = CLASSICAL_LUNG_MASK_ALGORITHM;

type SaveOptions = LabelVersionOptions;

/**
 * The case store's heavy work done off the main thread: every method hands the CPU part (decoding,
 * hashing, compression, lung mask, burden) to the compute pool and keeps only the SQLite calls
 * (the one connection, owned by the main thread) here. Lane `interactive` for what a reader waits
 * for, `bulk` for jobs.
 */
export class CaseCompute {
  constructor(
    readonly store: CaseStore,
    readonly pool: ComputePool,
  ) {}

  /** Imports a DICOM folder or NIfTI file in a worker; the voxels are already in the store's cache (`addSeries(s, s.contentHash)`). */
  importPath(path: string, opts: { signal?: AbortSignal; onProgress?: (done: number, total: number, message: string) => void } = {}): Promise<{ series: PreparedSeries[]; issues: readonly ImportIssue[] }> {
    return this.pool.run('importPath', { path, voxelDir: this.store.voxels.dir }, { lane: 'bulk', ...opts });
  }

  /** The case volume (read in a worker, moved here). */
  loadVolume(caseId: CaseId, lane: ComputeLane = 'interactive', signal?: AbortSignal): Promise<Volume> {
    return this.pool.run('readVolume', { voxels: this.store.voxelFile(caseId) }, { lane, ...(signal ? { signal } : {}) });
  }

  /** Voxels of a label version, inflated and checked against its sha256 in a worker. */
  loadLabels(id: LabelVersionId, lane: ComputeLane = 'interactive'): Promise<Uint8Array> {
    return this.pool.run('decodeLabels', { stored: this.store.storedLabels(id), what: `label version ${id}` }, { lane });
  }

  /**
   * Saves a new label version: hash, counts and compression in a worker, the insert here. The
   * worker's copy of the labels comes back as `labels` of the result. `move`: move the caller's
   * buffer to the worker instead of copying it (the caller's array is detached): for labels this
   * process made itself; a caller's argument is copied (one memcpy), never detached.
   */
  async saveLabelVersion(caseId: CaseId, kind: LabelKind, labels: Uint8Array, author: LabelAuthor, opts: SaveOptions = {}, lane: ComputeLane = 'interactive', move = false): Promise<{ info: LabelVersionInfo; labels: Uint8Array }> {
    const byteLength = labels.length;
    // refuse a wrong size or a missing author before any work (the insert checks again)
    const [nI, nJ, nK] = this.store.voxelFile(caseId).geometry.size;
    if (byteLength !== nI * nJ * nK) throw new CaseStoreError('invalid', `label map has ${byteLength} voxels, the case volume has ${nI * nJ * nK}`);
    if (!author.name.trim()) throw new CaseStoreError('invalid', 'a label version needs an author');
    const enc = await this.pool.run('encodeLabels', { labels }, { lane, transfer: move ? wholeBuffer(labels) : [] });
    const info = this.store.saveEncodedLabelVersion(caseId, kind, byteLength, { counts: enc.counts, blob: enc.blob, digest: enc.digest }, author, opts);
    return { info, labels: enc.labels };
  }

  /** The case's latest lung mask version, computed in a worker and stored (author: the algorithm) when missing. */
  async ensureLungMask(caseId: CaseId, signal?: AbortSignal): Promise<{ versionId: LabelVersionId; labels: Uint8Array | null }> {
    const existing = this.store.latestLabelVersion(caseId, 'lung');
    if (existing) return { versionId: existing.id, labels: null };
    const mask = await this.pool.run('lungMask', { voxels: this.store.voxelFile(caseId) }, { lane: 'bulk', ...(signal ? { signal } : {}) });
    signal?.throwIfAborted();
    // a concurrent save may have stored one meanwhile: keep the first
    const again = this.store.latestLabelVersion(caseId, 'lung');
    if (again) return { versionId: again.id, labels: null };
    const saved = await this.saveLabelVersion(caseId, 'lung', mask.labels, { kind: 'algorithm', name: mask.algorithm }, mask.note ? { note: mask.note } : {}, 'bulk', true);
    return { versionId: saved.info.id, labels: saved.labels };
  }

  /**
   * Computes (in a worker) and records the burden of a lesion version (or of none) against the
   * case's lung mask. `lesionBytes`: the version's raw bytes when at hand (MOVED to the worker:
   * pass only an array this process owns), else they are decoded there from the store.
   */
  async recordBurden(caseId: CaseId, lesionVersionId: LabelVersionId | null, lesionBytes: Uint8Array | null, lane: ComputeLane = 'bulk', signal?: AbortSignal): Promise<BurdenResult> {
    const lung = await this.ensureLungMask(caseId, signal);
    const storedInput = (id: LabelVersionId): LabelInput => ({ stored: this.store.storedLabels(id), what: `label version ${id}` });
    const lesion: LabelInput | null = lesionBytes ? { raw: lesionBytes } : lesionVersionId !== null ? storedInput(lesionVersionId) : null;
    const transfer = lesionBytes ? wholeBuffer(lesionBytes) : [];
    const burden = await this.pool.run('burden', { voxels: this.store.voxelFile(caseId), lung: storedInput(lung.versionId), lesion }, { lane, transfer, ...(signal ? { signal } : {}) });
    this.store.recordBurden(caseId, lesionVersionId, lung.versionId, burden);
    return burden;
  }

  /**
   * {@link recordBurden}, then the scan QC gate's analysis checks (lung mask statistics, HU
   * landmarks, lesion outside the lung) in a worker; the flags replace the case's earlier ones.
   */
  async recordBurdenAndQc(caseId: CaseId, lesionVersionId: LabelVersionId | null, lesionBytes: Uint8Array | null, lane: ComputeLane = 'bulk', signal?: AbortSignal): Promise<{ burden: BurdenResult; qc: QcFlag[] }> {
    const burden = await this.recordBurden(caseId, lesionVersionId, lesionBytes, lane, signal);
    const lung = this.store.latestLabelVersion(caseId, 'lung');
    if (!lung) throw new CaseStoreError('invalid', `case ${caseId} has no lung mask`);
    const detail = this.store.getCase(caseId);
    const series = { metadata: this.store.seriesMetadata(caseId), sourceKind: detail.sourceKind, issues: detail.issues };
    const qc = await this.pool.run(
      'analysisQc',
      { voxels: this.store.voxelFile(caseId), lung: { stored: this.store.storedLabels(lung.id), what: `label version ${lung.id}` }, series, burden, lungMasks: caseLungMaskComparison(this.store, caseId) },
      { lane, ...(signal ? { signal } : {}) },
    );
    recordQcFlags(this.store.db, caseId, 'analysis', qc);
    return { burden, qc };
  }

  /** Writes the autosave slot of a case in a worker (the labels are copied there). Resolves with the time stamp written. */
  autosaveWrite(dataDir: string, caseId: CaseId, labels: Uint8Array, parentVersionId: LabelVersionId | null): Promise<string> {
    return this.pool.run('autosaveWrite', { dataDir, caseId, labels, parentVersionId }, { lane: 'interactive' });
  }

  /** Reads and verifies the autosave slot of a case in a worker (see `AutosaveStore.recover`). */
  autosaveRecover(dataDir: string, caseId: CaseId): Promise<AutosaveRecovery> {
    return this.pool.run('autosaveRecover', { dataDir, caseId }, { lane: 'interactive' });
  }
}

/** The buffer of `a` when `a` spans all of it (then it can be moved to a worker), else none (it is copied). */
function wholeBuffer(a: Uint8Array): ArrayBuffer[] {
  return a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? [a.buffer] : [];
}
