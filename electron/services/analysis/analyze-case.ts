import type { CaseStore } from '../cases/case-store.ts';
import type { CaseId, LabelVersionId } from '../../../shared/domain/ids.ts';
import type { LabelMap } from '../../../shared/domain/label-map.ts';
import type { Volume } from '../../../shared/domain/volume.ts';
import { lungMask } from '../../../shared/imaging/lung-mask.ts';
import { computeBurden, type BurdenResult } from '../../../shared/imaging/burden.ts';
import type { ModelBundle } from '../inference/model-registry.ts';
import { runLesionModel } from '../inference/inference-service.ts';
import type { QcFlag } from '../../../shared/qc/qc-flag.ts';
import { runAnalysisQc } from '../qc/run-analysis-qc.ts';
import { SYSTEM_ACTOR, type AuditActor } from '../audit/audit-trail.ts';

/** Name and version recorded as author of automatic lung masks. */
export const LUNG_MASK_ALGORITHM = 'lung-burden classical lung mask v1';

export interface AnalyzeOptions {
  /** Lesion model to run; null runs lung mask + burden only (lesion volumes 0). */
  readonly model: ModelBundle | null;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number, message: string) => void;
  readonly threads?: number;
  readonly provider?: 'auto' | 'cpu' | 'cuda';
  /** Who ran it (audit trail; default the system). */
  readonly by?: AuditActor;
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
  const volume: Volume = store.loadVolume(caseId);
  const t0 = performance.now();
  const by = opts.by ?? SYSTEM_ACTOR;
  const lung = ensureLungMask(store, caseId, volume, by);
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
      { kind: 'model', name: `${bundle.metadata.name} ${bundle.metadata.version}`, modelName: bundle.metadata.name, modelVersion: bundle.metadata.version },
      { meanEntropy: out.meanEntropy, note: `automatic segmentation (${out.provider})`, by },
    );
    lesionVersionId = v.id;
    model = { name: bundle.metadata.name, version: bundle.metadata.version, provider: out.provider };
  }
  const t2 = performance.now();
  const burden = computeBurden(volume, lung.labels, lesion);
  store.recordBurden(caseId, lesionVersionId, lung.versionId, burden);
  // The case status follows from the versions stored (the store sets it); a signed result stays the result.
  store.audit.append({
    actor: by, action: 'ai.run', caseId, entity: lesionVersionId === null ? `label_version:${lung.versionId}` : `label_version:${lesionVersionId}`,
    sha256: lesionVersionId === null ? store.labelVersion(lung.versionId).sha256 : store.labelVersion(lesionVersionId).sha256,
    details: { model: model ? `${model.name} ${model.version}` : null, provider: model?.provider ?? null, lungVersionId: lung.versionId, lesionVersionId, burdenPercent: burden.burdenPercent },
  });
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

/** The case's latest lung mask, computed and stored (author: the algorithm) when missing. */
export function ensureLungMask(store: CaseStore, caseId: CaseId, volume: Volume, by: AuditActor = SYSTEM_ACTOR): { versionId: LabelVersionId; labels: LabelMap } {
  const existing = store.latestLabelVersion(caseId, 'lung');
  if (existing) return { versionId: existing.id, labels: { ...geometry(volume), data: store.loadLabels(existing.id) } };
  const labels = lungMask(volume);
  const v = store.saveLabelVersion(caseId, 'lung', labels.data, { kind: 'algorithm', name: LUNG_MASK_ALGORITHM }, { by });
  return { versionId: v.id, labels };
}

/** Burden of exactly this lesion + lung version pair, stored as a burden record (a signed result's burden). */
export function burdenOfPair(store: CaseStore, caseId: CaseId, lesionVersionId: LabelVersionId, lungVersionId: LabelVersionId): BurdenResult {
  const volume = store.loadVolume(caseId);
  const lung = { ...geometry(volume), data: store.loadLabels(lungVersionId) };
  const burden = computeBurden(volume, lung, store.loadLabels(lesionVersionId));
  store.recordBurden(caseId, lesionVersionId, lungVersionId, burden);
  return burden;
}

/** Burden of a stored lesion version against the case's lung mask (used after reader edits). */
export function burdenOfVersion(store: CaseStore, caseId: CaseId, lesionVersionId: LabelVersionId, lesionLabels?: Uint8Array): BurdenResult {
  const volume = store.loadVolume(caseId);
  const lung = ensureLungMask(store, caseId, volume);
  const burden = computeBurden(volume, lung.labels, lesionLabels ?? store.loadLabels(lesionVersionId));
  store.recordBurden(caseId, lesionVersionId, lung.versionId, burden);
  runAnalysisQc(store, caseId, volume, lung.labels, burden);
  return burden;
}

const geometry = (v: Volume) => ({ size: v.size, spacingMm: v.spacingMm, originLps: v.originLps, directionLps: v.directionLps });
