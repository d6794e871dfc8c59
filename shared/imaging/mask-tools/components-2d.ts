/** 8-connected components of a binary image (see {@link components2d}). */
export interface Components2d {
  /** Per pixel: 0 outside, else component number 1..count. */
  readonly labels: Int32Array;
  readonly count: number;
  /** Per component c (index c − 1): pixel count, pixel-index sums and inclusive bounding box. */
  readonly area: Float64Array;
  readonly sumX: Float64Array;
  readonly sumY: Float64Array;
  readonly minX: Int32Array;
  readonly maxX: Int32Array;
  readonly minY: Int32Array;
  readonly maxY: Int32Array;
}

/**
 * Labels the 8-connected components of `mask` (width × height, x fastest) in scan order with
 * an explicit pixel stack (no recursion, no per-pixel objects).
 */
export function components2d(mask: Uint8Array, width: number, height: number): Components2d {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const area: number[] = [],
    sumX: number[] = [],
    sumY: number[] = [];
  const minX: number[] = [],
    maxX: number[] = [],
    minY: number[] = [],
    maxY: number[] = [];
  let count = 0;
  for (let start = 0; start < mask.length; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    count++;
    let a = 0,
      sx = 0,
      sy = 0,
      x0 = width,
      x1 = -1,
      y0 = height,
      y1 = -1;
    let sp = 0;
    stack[sp++] = start;
    labels[start] = count;
    while (sp > 0) {
      const p = stack[--sp]!;
      const x = p % width,
        y = (p - x) / width;
      a++;
      sx += x;
      sy += y;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          const q = xx + yy * width;
          if (mask[q] !== 0 && labels[q] === 0) {
            labels[q] = count;
            stack[sp++] = q;
          }
        }
      }
    }
    area.push(a);
    sumX.push(sx);
    sumY.push(sy);
    minX.push(x0);
    maxX.push(x1);
    minY.push(y0);
    maxY.push(y1);
  }
  return {
    labels,
    count,
    area: Float64Array.from(area),
    sumX: Float64Array.from(sumX),
    sumY: Float64Array.from(sumY),
    minX: Int32Array.from(minX),
    maxX: Int32Array.from(maxX),
    minY: Int32Array.from(minY),
    maxY: Int32Array.from(maxY),
  };
}
