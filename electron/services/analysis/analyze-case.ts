import type { CaseStore } from '../cases/case-store.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { LabelMap } from '../../../shared/domain/label-map.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import { lungMask } from '../../../shared/imaging/lung-mask.ts';
import { computeBurden, type BurdenResult } from '../../../shared/imaging/burden.ts';
import type { ModelBundle } from '../inference/model-registry.ts';
import type { QcFlag } from '../../../shared/qc/qc-flag.ts';
import { runAnalysisQc } from '../qc/run-analysis-qc.ts';
import { SYSTEM_ACTOR, type AuditActor } from '../audit/audit-trail.ts';
import { runLesionModel, type InferenceService } from '../inference/inference-service.ts';
import { LUNG_MASK_ALGORITHM, type CaseCompute } from '../compute/case-compute.ts';
import { computeLungMask } from '../lung-net/compute-lung-mask.ts';

export { LUNG_MASK_ALGORITHM };

export interface AnalyzeOptions {
  /** Lesion model to run; null runs lung mask + burden only (lesion volumes 0). */
  readonly model: ModelBundle | null;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, message: string) => void;
  readonly threads?: number;
  readonly provider?: 'auto' | 'cpu' | 'cuda';
  /** Who ran it (audit trail; default the system). */
  readonly by?: AuditActor;
  /**
   * The workstation's runtime: compute pool (lung mask, label encoding, burden in worker threads)
   * and its one warm inference service. Without it (CLI), the work runs in this thread and the
   * model in a worker started for this case.
   */
  readonly runtime?: { readonly compute: CaseCompute; readonly inference: InferenceService };
}

export interface AnalyzeResult {
  readonly caseId: CaseId;
  readonly lungVersionId: LabelVersionId;
  readonly lesionVersionId: LabelVersionId | null;
  readonly burden: BurdenResult;
  readonly model: { readonly name: string; readonly version: string; readonly provider: string } | null;
  readonly timingsMs: { readonly lungMask: number; readonly model: number; readonly burden: number };
  /** Scan QC flags of this analysis (most serious first); stored with the case. */
  readonly qc: readonly QcFlag[];
}

/**
 * The analysis of one stored case: lung mask (reused when the case already has one), lesion
 * model (when a bundle is given) → lesion label version 1 authored by the model, burden record.
 * Cancellation before the model finishes stores no lesion version and leaves the status as it was.
 */
export async function analyzeCase(store: CaseStore, caseId: CaseId, opts: AnalyzeOptions): Promise<AnalyzeResult> {
  if (opts.runtime) return analyzeCaseOffThread(store, caseId, opts, opts.runtime);
  const volume: Volume = store.loadVolume(caseId);
  const t0 = performance.now();
  const by = opts.by ?? SYSTEM_ACTOR;
  const lung = await ensureAutomaticLungMask(store, caseId, volume, by, opts.signal);
  const t1 = performance.now();
  opts.signal?.throwIfAborted();

  let lesion: Uint8Array | null = null;
  let lesionVersionId: LabelVersionId | null = null;
  let model: AnalyzeResult['model'] = null;
  if (opts.model) {
    const bundle = opts.model;
    const out = await runLesionModel(volume, lung.labels, bundle, {
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (p) => opts.onProgress?.(p.done, p.total, `segmenting lesions: slice ${p.done}/${p.total}`),
      ...(opts.threads ? { threads: opts.threads } : {}),
      ...(opts.provider ? { provider: opts.provider } : {}),
    });
    opts.signal?.throwIfAborted();
    lesion = out.labels.data;
    const v = store.saveLabelVersion(
      caseId,
      'lesion',
      lesion,
      {
        kind: 'model',
        name: `${bundle.metadata.name} ${bundle.metadata.version}`,
        modelName: bundle.metadata.name,
        modelVersion: bundle.metadata.version,
      },
      { meanEntropy: out.meanEntropy, note: `automatic segmentation (${out.provider})`, by },
    );
    lesionVersionId = v.id;
    model = { name: bundle.metadata.name, version: bundle.metadata.version, provider: out.provider };
  }
  const t2 = performance.now();
  const burden = computeBurden(volume, lung.labels, lesion);
  store.recordBurden(caseId, lesionVersionId, lung.versionId, burden);
  // The case status follows from the versions stored (the store sets it); a signed result stays the result.
  appendAiRunAudit(store, by, caseId, lung.versionId, lesionVersionId, model, burden);
  const qc = runAnalysisQc(store, caseId, volume, lung.labels, burden);
  const t3 = performance.now();
  return {
    caseId,
    lungVersionId: lung.versionId,
    lesionVersionId,
    burden,
    model,
    timingsMs: { lungMask: t1 - t0, model: t2 - t1, burden: t3 - t2 },
    qc,
  };
}

/**
 * {@link analyzeCase} with the main thread kept free: the lung mask, the lesion label encoding and
 * the burden run in the compute pool, the model in the warm inference service; only the SQLite
 * inserts run on this thread. Same results and records.
 */
async function analyzeCaseOffThread(
  store: CaseStore,
  caseId: CaseId,
  opts: AnalyzeOptions,
  rt: NonNullable<AnalyzeOptions['runtime']>,
): Promise<AnalyzeResult> {
  const { signal } = opts;
  const by = opts.by ?? SYSTEM_ACTOR;
  const t0 = performance.now();
  const lung = await rt.compute.ensureLungMask(caseId, signal);
  const t1 = performance.now();
  signal?.throwIfAborted();
  let lesionVersionId: LabelVersionId | null = null;
  let lesion: Uint8Array | null = null;
  let model: AnalyzeResult['model'] = null;
  if (opts.model) {
    const bundle = opts.model;
    const [volume, lungLabels] = await Promise.all([
      rt.compute.loadVolume(caseId, 'bulk', signal),
      lung.labels ?? rt.compute.loadLabels(lung.versionId, 'bulk'),
    ]);
    const out = await rt.inference.run(volume, { ...volume, data: lungLabels }, bundle, {
      ...(signal ? { signal } : {}),
      onProgress: (p) => opts.onProgress?.(p.done, p.total, `segmenting lesions: slice ${p.done}/${p.total}`),
      ...(opts.threads ? { threads: opts.threads } : {}),
      ...(opts.provider ? { provider: opts.provider } : {}),
      transferInputs: true,
    });
    signal?.throwIfAborted();
    const saved = await rt.compute.saveLabelVersion(
      caseId,
      'lesion',
      out.labels.data,
      {
        kind: 'model',
        name: `${bundle.metadata.name} ${bundle.metadata.version}`,
        modelName: bundle.metadata.name,
        modelVersion: bundle.metadata.version,
      },
      { meanEntropy: out.meanEntropy, note: `automatic segmentation (${out.provider})`, by },
      'bulk',
      true,
    );
    lesionVersionId = saved.info.id;
    lesion = saved.labels;
    model = { name: bundle.metadata.name, version: bundle.metadata.version, provider: out.provider };
  }
  const t2 = performance.now();
  const { burden, qc } = await rt.compute.recordBurdenAndQc(caseId, lesionVersionId, lesion, 'bulk');
  // The case status follows from the versions stored (the store sets it); a signed result stays the result.
  appendAiRunAudit(store, by, caseId, lung.versionId, lesionVersionId, model, burden);
  const t3 = performance.now();
  return {
    caseId,
    lungVersionId: lung.versionId,
    lesionVersionId,
    burden,
    model,
    timingsMs: { lungMask: t1 - t0, model: t2 - t1, burden: t3 - t2 },
    qc,
  };
}

/** The case's latest lung mask, computed and stored (author: the algorithm) when missing. */
export function ensureLungMask(
  store: CaseStore,
  caseId: CaseId,
  volume: Volume,
  by: AuditActor = SYSTEM_ACTOR,
): { versionId: LabelVersionId; labels: LabelMap } {
  const existing = store.latestLabelVersion(caseId, 'lung');
  if (existing) return { versionId: existing.id, labels: { ...geometry(volume), data: store.loadLabels(existing.id) } };
  const labels = lungMask(volume);
  const v = store.saveLabelVersion(caseId, 'lung', labels.data, { kind: 'algorithm', name: LUNG_MASK_ALGORITHM }, { by });
  return { versionId: v.id, labels };
}

/**
 * {@link ensureLungMask} for an analysis: a missing lung mask is made by `computeLungMask` (the
 * classical mask, or the combined one per `$LUNG_BURDEN_LUNG_MASK`, with its note) in this thread.
 */
export async function ensureAutomaticLungMask(
  store: CaseStore,
  caseId: CaseId,
  volume: Volume,
  by: AuditActor,
  signal?: AbortSignal,
): Promise<{ versionId: LabelVersionId; labels: LabelMap }> {
  const existing = store.latestLabelVersion(caseId, 'lung');
  if (existing) return { versionId: existing.id, labels: { ...geometry(volume), data: store.loadLabels(existing.id) } };
  const mask = await computeLungMask(volume, signal ? { signal } : {});
  const v = store.saveLabelVersion(
    caseId,
    'lung',
    mask.labels,
    { kind: 'algorithm', name: mask.algorithm },
    mask.note ? { by, note: mask.note } : { by },
  );
  return { versionId: v.id, labels: { ...geometry(volume), data: mask.labels } };
}

/** Burden of exactly this lesion + lung version pair, stored as a burden record (a signed result's burden). */
export function burdenOfPair(
  store: CaseStore,
  caseId: CaseId,
  lesionVersionId: LabelVersionId,
  lungVersionId: LabelVersionId,
): BurdenResult {
  const volume = store.loadVolume(caseId);
  const lung = { ...geometry(volume), data: store.loadLabels(lungVersionId) };
  const burden = computeBurden(volume, lung, store.loadLabels(lesionVersionId));
  store.recordBurden(caseId, lesionVersionId, lungVersionId, burden);
  return burden;
}

/** Burden of a stored lesion version against the case's lung mask (used after reader edits). */
export function burdenOfVersion(
  store: CaseStore,
  caseId: CaseId,
  lesionVersionId: LabelVersionId,
  lesionLabels?: Uint8Array,
): BurdenResult {
  const volume = store.loadVolume(caseId);
  const lung = ensureLungMask(store, caseId, volume);
  const burden = computeBurden(volume, lung.labels, lesionLabels ?? store.loadLabels(lesionVersionId));
  store.recordBurden(caseId, lesionVersionId, lung.versionId, burden);
  runAnalysisQc(store, caseId, volume, lung.labels, burden);
  return burden;
}

const geometry = (v: Volume) => ({ size: v.size, spacingMm: v.spacingMm, originLps: v.originLps, directionLps: v.directionLps });

/** The audit entry of an AI run (lung mask + model): what it made, with which model, and its burden. */
function appendAiRunAudit(
  store: CaseStore,
  by: AuditActor,
  caseId: CaseId,
  lungVersionId: LabelVersionId,
  lesionVersionId: LabelVersionId | null,
  model: AnalyzeResult['model'],
  burden: BurdenResult,
): void {
  const made = lesionVersionId ?? lungVersionId;
  store.audit.append({
    actor: by,
    action: 'ai.run',
    caseId,
    entity: `label_version:${made}`,
    sha256: store.labelVersion(made).sha256,
    details: {
      model: model ? `${model.name} ${model.version}` : null,
      provider: model?.provider ?? null,
      lungVersionId,
      lesionVersionId,
      burdenPercent: burden.burdenPercent,
    },
  });
}
