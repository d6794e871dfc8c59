import type { Vec3, Volume } from '../../../shared/domain/volume.ts';

/** Size of every volume the crash-safety child imports (i, j, k). */
export const CRASH_VOLUME_SIZE: Vec3 = [48, 48, 24];
const N = CRASH_VOLUME_SIZE[0] * CRASH_VOLUME_SIZE[1] * CRASH_VOLUME_SIZE[2];

/** The deterministic, distinct HU volume imported by operation `i` (LPS-aligned, so stored as is). */
export function crashOpVolume(i: number): Volume {
  const data = new Int16Array(N);
  for (let x = 0; x < N; x++) data[x] = ((x * 13 + i * 101) % 1600) - 1000;
  return { size: CRASH_VOLUME_SIZE, spacingMm: [0.8, 0.8, 2], originLps: [-20, -20, -24], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1], data };
}

/** The deterministic label bytes saved by operation `i` (values 0, 1, 2). */
export function crashOpLabels(i: number): Uint8Array {
  const out = new Uint8Array(N);
  for (let x = 0; x < N; x++) out[x] = ((x >> 5) + i * 7 + (x % 97 === i % 97 ? 1 : 0)) % 3;
  return out;
}
