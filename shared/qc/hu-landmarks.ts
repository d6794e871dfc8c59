import type { Volume } from '../domain/volume.ts';

/**
 * Two landmarks of a CT's HU histogram that any correctly scaled chest (or head) CT shows: air
 * (outside the body and in the lungs, about −1000 … −850 HU) and soft tissue (fat −100, muscle and
 * blood +40 HU). A missing or wrong RescaleIntercept shifts both (e.g. air at 0, tissue at +1060).
 */
export interface HuLandmarks {
  /** Mode (HU, 20 HU bins) of the darkest fifth of the voxels above the padding value. */
  readonly airHu: number;
  /** Mode (HU, 20 HU bins) of the voxels more than 500 HU above the air landmark (up to the 98th percentile). */
  readonly softTissueHu: number;
  /** Voxels sampled. */
  readonly samples: number;
}

const MAX_SAMPLES = 1 << 20;
const BIN_HU = 20;

function modeOf(sorted: Int16Array, from: number, to: number): number {
  const counts = new Map<number, number>();
  let best = 0;
  let bestCount = -1;
  for (let i = from; i < to; i++) {
    const b = Math.floor((sorted[i] as number) / BIN_HU);
    const c = (counts.get(b) ?? 0) + 1;
    counts.set(b, c);
    if (c > bestCount) {
      bestCount = c;
      best = b;
    }
  }
  return best * BIN_HU + BIN_HU / 2;
}

/**
 * The air and soft-tissue landmarks of a volume (a strided sample of at most 2^20 voxels; voxels
 * at or below −1024 HU, i.e. padding and clipped air, are left out), or null when too few voxels
 * remain to tell.
 */
export function huLandmarks(v: Pick<Volume, 'data'>): HuLandmarks | null {
  const n = v.data.length;
  const stride = Math.max(1, Math.floor(n / MAX_SAMPLES));
  const sample: number[] = [];
  for (let i = 0; i < n; i += stride) {
    const x = v.data[i] as number;
    if (x > -1024) sample.push(x);
  }
  if (sample.length < 1000) return null;
  const sorted = Int16Array.from(sample).sort();
  const q = (p: number): number => Math.min(sorted.length, Math.floor(p * sorted.length));
  const airHu = modeOf(sorted, 0, Math.max(1, q(0.2)));
  // Soft tissue: what is clearly denser than air (a wide field of view can be mostly air, so a
  // fixed percentile may still be air); bone and metal (top 2 %) left out.
  let from = 0;
  while (from < sorted.length && (sorted[from] as number) <= airHu + 500) from++;
  const to = Math.max(from + 1, q(0.98));
  if (to - from < 100) return null;
  return { airHu, softTissueHu: modeOf(sorted, from, Math.min(to, sorted.length)), samples: sorted.length };
}
