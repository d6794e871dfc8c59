import { join } from 'node:path';
import type { Volume } from '../../../shared/domain/volume.ts';
import { combineLungMasks, type LungMaskComparison } from '../../../shared/imaging/combine-lung-masks.ts';
import { segmentLungs } from '../../../shared/imaging/lung-mask.ts';
import { lungMaskNote } from '../../../shared/qc/lung-mask-note.ts';
import { APP_ROOT } from '../../app/paths.ts';
import { loadModelBundle, type ModelBundle } from '../inference/model-registry.ts';
import { runLungNet } from './run-lung-net.ts';

/** Name and version recorded as author of automatic lung masks (classical only). */
export const CLASSICAL_LUNG_MASK_ALGORITHM = 'lung-burden classical lung mask v1';

/** The learned lung mask's bundle folder, relative to the app root (outside `models/<name>/`, so the lesion registry never lists it). */
export const LUNG_NET_DIR = join('models', 'lung-masks', 'lungnet');

/** Which lung mask automatic analyses make: `$LUNG_BURDEN_LUNG_MASK` = `classical` | `combined` (default {@link DEFAULT_LUNG_MASK_MODE}). */
export type LungMaskMode = 'classical' | 'combined';
export const DEFAULT_LUNG_MASK_MODE: LungMaskMode = 'combined';

/** The mode from the environment; anything but the two names is refused with a clear error. */
export function lungMaskMode(env: NodeJS.ProcessEnv = process.env): LungMaskMode {
  const v = env['LUNG_BURDEN_LUNG_MASK'];
  if (v === undefined || v === '') return DEFAULT_LUNG_MASK_MODE;
  if (v === 'classical' || v === 'combined') return v;
  throw new Error(`LUNG_BURDEN_LUNG_MASK must be "classical" or "combined", not "${v}"`);
}

/** The learned lung mask bundle (validated, sha256 checked), or null when the app has none. */
export async function findLungNetBundle(appRoot: string = APP_ROOT): Promise<ModelBundle | null> {
  try {
    return await loadModelBundle(join(appRoot, LUNG_NET_DIR), 'builtin');
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'metadata-missing') return null;
    throw e;
  }
}

/** An automatic lung mask, with who made it and (combined) the note that keeps both volumes. */
export interface AutomaticLungMask {
  /** 0 outside, 1 right, 2 left, on the volume's grid. */
  readonly labels: Uint8Array;
  /** Author name of the lung version. */
  readonly algorithm: string;
  /** {@link lungMaskNote} for a combined mask, else undefined. */
  readonly note: string | undefined;
  readonly comparison: LungMaskComparison | null;
  readonly warnings: readonly string[];
}

/**
 * The automatic lung mask of a case: the classical mask, and in `combined` mode the learned mask
 * run in this (worker) thread and joined by `combineLungMasks` (the rule is stated there). Without
 * a bundle the combined mode falls back to the classical mask and says so in `warnings`.
 */
export async function computeLungMask(
  volume: Volume,
  opts: {
    readonly mode?: LungMaskMode;
    readonly bundle?: ModelBundle | null;
    readonly threads?: number;
    readonly signal?: AbortSignal;
  } = {},
): Promise<AutomaticLungMask> {
  const classical = segmentLungs(volume);
  const mode = opts.mode ?? lungMaskMode();
  const base = { labels: classical.labels.data, algorithm: CLASSICAL_LUNG_MASK_ALGORITHM, note: undefined, comparison: null };
  if (mode === 'classical') return { ...base, warnings: classical.warnings };
  const bundle = opts.bundle === undefined ? await findLungNetBundle() : opts.bundle;
  if (!bundle) return { ...base, warnings: [...classical.warnings, 'no learned lung mask bundle: classical mask only'] };
  const learned = await runLungNet(volume, bundle, {
    ...(opts.threads ? { threads: opts.threads } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const c = combineLungMasks(volume.data, volume.size, volume.spacingMm, classical.labels.data, learned);
  return {
    labels: c.labels,
    algorithm: `${CLASSICAL_LUNG_MASK_ALGORITHM} + ${bundle.metadata.name} ${bundle.metadata.version}`,
    note: lungMaskNote(c.comparison),
    comparison: c.comparison,
    warnings: classical.warnings,
  };
}
