import type { ModelBundle } from '../services/inference/model-registry.ts';
import type { InferenceService } from '../services/inference/inference-service.ts';
import { fromUpright, toUpright, type StoredOrientation } from '../../shared/imaging/slice-orientation.ts';
import { eightBitToVolume } from './eight-bit-to-volume.ts';
import type { SegmentOrienter } from './segment-orienter.ts';

/** What `segment` needs for one 8-bit image besides the image: the open services and the window it is read in. */
export interface SegmentGray8Context {
  readonly orienter: SegmentOrienter;
  readonly service: InferenceService;
  readonly model: ModelBundle;
  /** Window (HU) in which the image was rendered: grey 0 → center − width/2, grey 255 → center + width/2. */
  readonly centerHu: number;
  readonly widthHu: number;
  readonly threads?: number;
}

/** Labels of one image in its stored orientation (0 background, 1 GGO, 2 high opacity) and the orientation it was segmented in. */
export interface SegmentGray8Result {
  readonly labels: Uint8Array;
  readonly orientation: StoredOrientation;
}

/**
 * `segment`'s path for one 8-bit display image (row-major, `width` × `height`): stored orientation
 * decided by the orienter (classifier + heuristic, or the fixed one), image brought upright, read
 * back to HU in the window, run as one slice with no lung restriction and left–right mirror
 * averaging (skipped for a bundle that already averages the mirror inside its graph, the accurate
 * bundle: averaging a mirror-symmetric network again gives the same labels at twice the cost), labels brought back to the stored orientation (same size as the input). `name` is
 * only used in the orienter's log lines. The segmentation stress test (scripts/segment-stress.ts)
 * calls this same function.
 */
export async function segmentGray8(
  name: string,
  gray: Uint8Array,
  width: number,
  height: number,
  c: SegmentGray8Context,
): Promise<SegmentGray8Result> {
  const orientation = await c.orienter.decide(name, eightBitToVolume(gray, width, height, c.centerHu, c.widthHu));
  const up = toUpright(gray, width, height, orientation);
  const volume = eightBitToVolume(up.data, up.cols, up.rows, c.centerHu, c.widthHu);
  const mirrorAverage = !averagesMirrorInGraph(c.model);
  const r = await c.service.run(volume, null, c.model, { mirrorAverage, ...(c.threads ? { threads: c.threads } : {}) });
  return { labels: fromUpright(r.labels.data, up.cols, up.rows, orientation).data, orientation };
}

/** The accurate bundle's architecture ends in `+mirror-tta` (written by models/training/lungburden/export_tta.py). */
function averagesMirrorInGraph(model: ModelBundle): boolean {
  return model.metadata.architecture.endsWith('+mirror-tta');
}
