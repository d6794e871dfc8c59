import type { LabelAuthor, LabelKind, LabelVersionInfo } from '../../../shared/domain/case.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import type { BurdenResult } from '../../../shared/imaging/burden.ts';
import type { PairAgreement } from '../../../shared/imaging/agreement.ts';
import type { ImportIssue } from '../../../shared/dicom/types.ts';
import { CaseStoreError, type CaseStore, type LabelVersionOptions } from '../cases/case-store.ts';
import type { QcFlag } from '../../../shared/qc/qc-flag.ts';
import { recordQcFlags } from '../qc/record-qc-flags.ts';
import type { LabelInput, PreparedSeries } from '../../workers/compute-tasks.ts';
import type { ComputeLane, ComputePool } from './compute-pool.ts';
import type { AutosaveRecovery } from '../autosave/autosave-store.ts';
import { CLASSICAL_LUNG_MASK_ALGORITHM } from '../lung-net/compute-lung-mask.ts';
import { caseLungMaskComparison } from '../lung-net/case-lung-mask-comparison.ts';
import { MAX_PATCH_CHAIN } from '../cases/label-chain.ts';
import { applyPatch } from '../cases/label-patch.ts';
import { LabelCache } from './label-cache.ts';

/** Name and version recorded as author of automatic (classical) lung masks. */
export const LUNG_MASK_ALGORITHM = CLASSICAL_LUNG_MASK_ALGORITHM;

type SaveOptions = LabelVersionOptions;

/** A save that changes more than this fraction of the voxels is stored as a full snapshot, not a patch. */
export const PATCH_MAX_FRACTION = 1 / 8;

/**
 * The case store's heavy work done off the main thread: every method hands the CPU part (decoding,
 * hashing, compression, lung mask, burden) to the compute pool and keeps only the SQLite calls
 * (the one connection, owned by the main thread) here. Lane `interactive` for what a reader waits
 * for, `bulk` for jobs.
 */
export class CaseCompute {
  /** Raw labels of the versions last saved or opened (the bases of patch saves). */
  readonly labelCache = new LabelCache();

  constructor(
    readonly store: CaseStore,
    readonly pool: ComputePool,
  ) {}

  /** Imports a DICOM folder or NIfTI file in a worker; the voxels are already in the store's cache (`addSeries(s, s.contentHash)`). */
  importPath(
    path: string,
    opts: { signal?: AbortSignal; onProgress?: (done: number, total: number, message: string) => void } = {},
  ): Promise<{ series: PreparedSeries[]; issues: readonly ImportIssue[] }> {
    return this.pool.run('importPath', { path, voxelDir: this.store.voxels.dir }, { lane: 'bulk', ...opts });
  }

  /** The case volume (read in a worker, moved here). */
  loadVolume(caseId: CaseId, lane: ComputeLane = 'interactive', signal?: AbortSignal): Promise<Volume> {
    return this.pool.run('readVolume', { voxels: this.store.voxelFile(caseId) }, { lane, ...(signal ? { signal } : {}) });
  }

  /**
   * Voxels of a label version, inflated and checked against its sha256 in a worker. On the
   * interactive lane, the latest version of its kind is also kept as the base of the next patch save.
   */
  async loadLabels(id: LabelVersionId, lane: ComputeLane = 'interactive'): Promise<Uint8Array> {
    const input = { stored: this.store.storedLabels(id), what: `label version ${id}` };
    const v = lane === 'interactive' ? this.store.labelVersion(id) : null;
    const key = v ? LabelCache.key(v.caseId, v.kind) : null;
    if (!v || !key || this.labelCache.get(key)?.versionId === id || this.store.latestLabelVersion(v.caseId, v.kind)?.id !== id)
      return this.pool.run('decodeLabels', input, { lane });
    const r = await this.pool.run('decodeLabelsShared', input, { lane });
    this.labelCache.set(key, { versionId: id, bytes: r.shared, counts: v.counts, sha256: v.sha256, depth: this.store.patchDepth(id) });
    return r.labels;
  }

  /**
   * Saves a new label version: hash, counts and compression in a worker, the insert here. The
   * worker's copy of the labels comes back as `labels` of the result. `move`: move the caller's
   * buffer to the worker instead of copying it (the caller's array is detached): for labels this
   * process made itself; a caller's argument is copied (one memcpy), never detached.
   */
  async saveLabelVersion(
    caseId: CaseId,
    kind: LabelKind,
    labels: Uint8Array,
    author: LabelAuthor,
    opts: SaveOptions = {},
    lane: ComputeLane = 'interactive',
    move = false,
    check?: (counts: readonly number[]) => void,
  ): Promise<{ info: LabelVersionInfo; labels: Uint8Array }> {
    const byteLength = labels.length;
    // refuse a wrong size or a missing author before any work (the insert checks again)
    const [nI, nJ, nK] = this.store.voxelFile(caseId).geometry.size;
    if (byteLength !== nI * nJ * nK)
      throw new CaseStoreError('invalid', `label map has ${byteLength} voxels, the case volume has ${nI * nJ * nK}`);
    if (!author.name.trim()) throw new CaseStoreError('invalid', 'a label version needs an author');
    const key = LabelCache.key(caseId, kind);
    // One save of these labels at a time: a patch is diffed against the cached bytes of the version
    // last saved or opened (shared memory, read in place by the worker), a full snapshot is stored
    // when there is none, its chain is at the cap, or more than PATCH_MAX_FRACTION changed.
    return this.labelCache.exclusive(key, async () => {
      const cached = this.labelCache.get(key);
      const base = cached && cached.depth < MAX_PATCH_CHAIN ? cached : undefined;
      const enc = await this.pool.run(
        'encodeLabels',
        {
          labels,
          base: base
            ? { bytes: base.bytes, counts: base.counts, sha256: base.sha256, maxChangedVoxels: Math.floor(byteLength * PATCH_MAX_FRACTION) }
            : null,
          keepShared: lane === 'interactive',
        },
        { lane, transfer: move ? wholeBuffer(labels) : [] },
      );
      check?.(enc.counts);
      const patchOf = enc.patch && base ? { baseId: base.versionId, changedVoxels: enc.patch.changedVoxels } : undefined;
      const info = this.store.saveEncodedLabelVersion(
        caseId,
        kind,
        byteLength,
        { counts: enc.counts, blob: enc.blob, digest: enc.digest, ...(patchOf ? { patchOf } : {}) },
        author,
        opts,
      );
      const raw = enc.patch?.raw;
      if (raw && base)
        this.labelCache.advance(key, base, { versionId: info.id, counts: enc.counts, sha256: enc.digest, depth: base.depth + 1 }, (b) =>
          applyPatch(b, raw),
        );
      else if (enc.shared)
        this.labelCache.set(key, { versionId: info.id, bytes: enc.shared, counts: enc.counts, sha256: enc.digest, depth: 0 });
      return { info, labels: enc.labels };
    });
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
    const saved = await this.saveLabelVersion(
      caseId,
      'lung',
      mask.labels,
      { kind: 'algorithm', name: mask.algorithm },
      mask.note ? { note: mask.note } : {},
      'bulk',
      true,
    );
    return { versionId: saved.info.id, labels: saved.labels };
  }

  /**
   * Computes (in a worker) and records the burden of a lesion version (or of none) against the
   * case's lung mask. `lesionBytes`: the version's raw bytes when at hand (MOVED to the worker:
   * pass only an array this process owns), else they are decoded there from the store.
   */
  async recordBurden(
    caseId: CaseId,
    lesionVersionId: LabelVersionId | null,
    lesionBytes: Uint8Array | null,
    lane: ComputeLane = 'bulk',
    signal?: AbortSignal,
  ): Promise<BurdenResult> {
    const lung = await this.ensureLungMask(caseId, signal);
    const storedInput = (id: LabelVersionId): LabelInput => ({ stored: this.store.storedLabels(id), what: `label version ${id}` });
    const lesion: LabelInput | null = lesionBytes ? { raw: lesionBytes } : lesionVersionId !== null ? storedInput(lesionVersionId) : null;
    const transfer = lesionBytes ? wholeBuffer(lesionBytes) : [];
    const burden = await this.pool.run(
      'burden',
      { voxels: this.store.voxelFile(caseId), lung: storedInput(lung.versionId), lesion },
      { lane, transfer, ...(signal ? { signal } : {}) },
    );
    this.store.recordBurden(caseId, lesionVersionId, lung.versionId, burden);
    return burden;
  }

  /**
   * {@link recordBurden}, then the scan QC gate's analysis checks (lung mask statistics, HU
   * landmarks, lesion outside the lung) in a worker; the flags replace the case's earlier ones.
   */
  async recordBurdenAndQc(
    caseId: CaseId,
    lesionVersionId: LabelVersionId | null,
    lesionBytes: Uint8Array | null,
    lane: ComputeLane = 'bulk',
    signal?: AbortSignal,
  ): Promise<{ burden: BurdenResult; qc: QcFlag[] }> {
    const lung = await this.ensureLungMask(caseId, signal);
    const storedInput = (id: LabelVersionId): LabelInput => ({ stored: this.store.storedLabels(id), what: `label version ${id}` });
    const lesion: LabelInput | null = lesionBytes ? { raw: lesionBytes } : lesionVersionId !== null ? storedInput(lesionVersionId) : null;
    const detail = this.store.getCase(caseId);
    const series = { metadata: this.store.seriesMetadata(caseId), sourceKind: detail.sourceKind, issues: detail.issues };
    // one task: the volume is read and the lung mask decoded once for both
    const { burden, qc } = await this.pool.run(
      'burdenAndQc',
      {
        voxels: this.store.voxelFile(caseId),
        lung: storedInput(lung.versionId),
        lesion,
        series,
        lungMasks: caseLungMaskComparison(this.store, caseId),
      },
      { lane, transfer: lesionBytes ? wholeBuffer(lesionBytes) : [], ...(signal ? { signal } : {}) },
    );
    this.store.recordBurden(caseId, lesionVersionId, lung.versionId, burden);
    recordQcFlags(this.store.db, caseId, 'analysis', qc);
    return { burden, qc };
  }

  /** Verifies (in a worker) that the stored bytes of a label version still match its sha256; throws `conflict` if not. */
  async verifyLabels(id: LabelVersionId): Promise<void> {
    await this.pool.run('decodeLabels', { stored: this.store.storedLabels(id), what: `label version ${id}` }, { lane: 'interactive' });
  }

  /** Computes (in a worker) and records the burden of exactly this lesion + lung version pair (a signed result's burden). */
  async recordBurdenOfPair(caseId: CaseId, lesionVersionId: LabelVersionId, lungVersionId: LabelVersionId): Promise<BurdenResult> {
    const input = (id: LabelVersionId): LabelInput => ({ stored: this.store.storedLabels(id), what: `label version ${id}` });
    const burden = await this.pool.run(
      'burden',
      { voxels: this.store.voxelFile(caseId), lung: input(lungVersionId), lesion: input(lesionVersionId) },
      { lane: 'interactive' },
    );
    this.store.recordBurden(caseId, lesionVersionId, lungVersionId, burden);
    return burden;
  }

  /** Dice and volumes of two label versions of one case (and inside `lungVersionId` when given), computed in a worker. */
  compareLabels(
    a: LabelVersionId,
    b: LabelVersionId,
    voxelMl: number,
    lungVersionId: LabelVersionId | null = null,
  ): Promise<PairAgreement> {
    const input = (id: LabelVersionId): LabelInput => ({ stored: this.store.storedLabels(id), what: `label version ${id}` });
    return this.pool.run(
      'compareLabels',
      { a: input(a), b: input(b), voxelMl, lung: lungVersionId === null ? null : input(lungVersionId) },
      { lane: 'interactive' },
    );
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
