import type { Volume } from '../../../shared/domain/volume.ts';

/**
 * A synthetic chest CT for browser tests and benchmarks (generated, nothing copied): air
 * outside, a soft-tissue body ellipse (40 HU) with fat rim, two lung ellipsoids (−850 HU), a
 * spine (700 HU), three ground-glass blobs (−500 HU) and one consolidation (20 HU). Axes follow
 * `shared/domain/volume.ts`; identity direction, so i → patient left, j → posterior, k → superior.
 * Spacing defaults to 0.7 × 0.7 × 2.5 mm to exercise non-square voxels and thick slices.
 */
export function chestPhantom(
  size: readonly [number, number, number] = [160, 128, 60],
  spacingMm: readonly [number, number, number] = [2.2, 2.2, 5],
): Volume {
  const [nI, nJ, nK] = size;
  const data = new Int16Array(nI * nJ * nK);
  const [sx, sy, sz] = spacingMm;
  const cx = ((nI - 1) * sx) / 2;
  const cy = ((nJ - 1) * sy) / 2;
  const cz = ((nK - 1) * sz) / 2;
  const bodyA = nI * sx * 0.45;
  const bodyB = nJ * sy * 0.42;
  const lungA = bodyA * 0.36;
  const lungB = bodyB * 0.7;
  const lungC = nK * sz * 0.46;
  const lungDx = bodyA * 0.47;
  const blobs: { c: [number, number, number]; r: number; hu: number }[] = [
    { c: [cx - lungDx, cy + bodyB * 0.25, cz - lungC * 0.3], r: Math.min(lungA, lungC) * 0.45, hu: -500 },
    { c: [cx + lungDx, cy - bodyB * 0.1, cz + lungC * 0.35], r: Math.min(lungA, lungC) * 0.35, hu: -520 },
    { c: [cx + lungDx * 1.05, cy + bodyB * 0.35, cz - lungC * 0.45], r: Math.min(lungA, lungC) * 0.3, hu: -480 },
    { c: [cx - lungDx * 1.1, cy + bodyB * 0.45, cz + lungC * 0.1], r: Math.min(lungA, lungC) * 0.3, hu: 20 },
  ];
  let idx = 0;
  for (let k = 0; k < nK; k++) {
    const z = k * sz;
    for (let j = 0; j < nJ; j++) {
      const y = j * sy;
      for (let i = 0; i < nI; i++, idx++) {
        const x = i * sx;
        const bx = (x - cx) / bodyA;
        const by = (y - cy) / bodyB;
        const body = bx * bx + by * by;
        let hu = -1000;
        if (body <= 1) {
          hu = body > 0.85 ? -100 : 40;
          const spx = (x - cx) / (bodyA * 0.09);
          const spy = (y - (cy + bodyB * 0.72)) / (bodyB * 0.12);
          if (spx * spx + spy * spy <= 1) hu = 700;
          for (const side of [-1, 1]) {
            const lx = (x - (cx + side * lungDx)) / lungA;
            const ly = (y - cy) / lungB;
            const lz = (z - cz) / lungC;
            if (lx * lx + ly * ly + lz * lz <= 1) hu = -850 + ((i * 7 + j * 13 + k * 3) % 40);
          }
          for (const b of blobs) {
            const d2 = (x - b.c[0]) ** 2 + (y - b.c[1]) ** 2 + (z - b.c[2]) ** 2;
            if (d2 <= b.r * b.r && hu < -600) hu = b.hu;
          }
        }
        data[idx] = hu;
      }
    }
  }
  return { size: [nI, nJ, nK], spacingMm: [sx, sy, sz], originLps: [-cx, -cy, -cz], directionLps: [1, 0, 0, 0, 1, 0, 0, 0, 1], data };
}
